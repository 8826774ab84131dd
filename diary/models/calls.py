"""Phone calls the clinic made from its call list (diary/calls.py), and how each one went."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CallReason(models.TextChoices):
    """Why a patient is on the call list, the most pressing first."""

    URGENT = "urgent", _("Urgent warning sign not acknowledged")
    CAUTION = "caution", _("Caution not acknowledged")
    RECHECK = "recheck", _("Re-check not done")
    NOT_LOGGING = "not_logging", _("Not logging")


class CallOutcome(models.Model):
    class Result(models.TextChoices):
        REACHED = "reached", pgettext_lazy("phone call", "Reached")
        NO_ANSWER = "no_answer", pgettext_lazy("phone call", "No answer")
        MESSAGE_LEFT = "message_left", pgettext_lazy("phone call", "Left a message")

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("patient"),
        on_delete=models.PROTECT,
        related_name="call_outcomes",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("called by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    at = models.DateTimeField(_("when"), default=timezone.now)
    result = models.CharField(_("result"), max_length=16, choices=Result.choices)
    reason = models.CharField(_("reason"), max_length=16, choices=CallReason.choices)
    note = models.TextField(
        _("note"), blank=True, max_length=500, validators=[MaxLengthValidator(500)]
    )

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["patient", "-at"])]

    def __str__(self) -> str:
        return f"{self.patient_id} {self.at:%Y-%m-%d %H:%M} {self.result}"
