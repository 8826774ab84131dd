"""A patient's request to erase their data, and what the clinic did about it."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ErasureRequest(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        DONE = "done", pgettext_lazy("erasure request status", "Done")

    class Mode(models.TextChoices):
        ANONYMISE = "anonymise", _("Anonymise: remove identity and free text, keep the numbers")
        DELETE = "delete", _("Delete: remove all health data and the identity")

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("patient"),
        on_delete=models.PROTECT,
        related_name="erasure_requests",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED
    )
    mode = models.CharField(_("what was done"), max_length=16, choices=Mode.choices, blank=True)
    reason = models.TextField(
        _("reason"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)]
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(status="requested"),
                name="erasure_one_open_request_per_patient",
            ),
            models.CheckConstraint(
                condition=Q(status="requested")
                | Q(handled_at__isnull=False, handled_by__isnull=False)
                & ~Q(mode="")
                & ~Q(reason=""),
                name="erasure_done_has_who_when_mode_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient_id} {self.status} {self.requested_at:%Y-%m-%d}"
