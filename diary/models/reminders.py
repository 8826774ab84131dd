"""Reminders already sent, so that each kind goes out at most once per patient per day: the
evening one (the diary is not filled in) and the morning re-check after a caution."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Reminder(models.Model):
    class Kind(models.TextChoices):
        EVENING = "evening", _("Evening reminder")
        RECHECK = "recheck", _("Morning re-check")

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("patient"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.EVENING)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "day", "kind"], name="reminder_once_per_day_and_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.patient_id} {self.day}"
