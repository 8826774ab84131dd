"""Red flags raised by the rules (diary/red_flags.py) and their acknowledgement."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from diary.flag_text import NAMES


class Severity(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    CAUTION = "caution", _("Caution")
    INFO = "info", _("Information")


class FlagCode(models.TextChoices):
    """The findings' codes, labelled with the clinician's one name for each (diary/flag_text.py)."""

    FEVER = "fever", NAMES["fever"]
    UNWELL = "unwell", NAMES["unwell"]
    SWELLING_WORSENING = "swelling_worsening", NAMES["swelling_worsening"]
    EARLY_REACTION = "early_reaction", NAMES["early_reaction"]
    REDNESS_SPREADING = "redness_spreading", NAMES["redness_spreading"]
    HOT_SWOLLEN_JOINT = "hot_swollen_joint", NAMES["hot_swollen_joint"]
    WARM_RED_JOINT = "warm_red_joint", NAMES["warm_red_joint"]
    CANNOT_BEAR_WEIGHT = "cannot_bear_weight", NAMES["cannot_bear_weight"]
    NOT_EASING = "not_easing", NAMES["not_easing"]
    MISSED_ENTRIES = "missed_entries", NAMES["missed_entries"]


class Flag(models.Model):
    """A red flag the rules raised for a patient, open until a clinician acknowledges it.

    While a flag of a code is open, later firing days add occurrences to it instead of opening
    another. A flag whose evidence disappears after an edit is withdrawn, never deleted.
    """

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("flag status", "Open")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        # Closed when the patient's data was anonymised (diary/privacy.py): nobody to call.
        ERASED = "erased", _("Closed: patient erased")

    class Action(models.TextChoices):
        CALLED = "called", _("Called the patient")
        ASKED_TO_COME_IN = "asked_to_come_in", _("Asked to come in")
        REFERRED_EMERGENCY = "referred_emergency", _("Referred to emergency care")
        NO_ACTION = "no_action", _("No action needed")

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("patient"),
        on_delete=models.PROTECT,
        related_name="flags",
    )
    code = models.CharField(_("code"), max_length=32, choices=FlagCode.choices)
    severity = models.CharField(_("severity"), max_length=16, choices=Severity.choices)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("latest day"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    # When the flag became urgent (it may have opened as a caution); empty while it is not.
    # The wait shown to the clinic and the escalation of diary/escalation.py count from here.
    urgent_at = models.DateTimeField(_("urgent since"), null=True, blank=True)
    digested_at = models.DateTimeField(_("included in a digest at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    action = models.CharField(_("action taken"), max_length=32, choices=Action.choices, blank=True)
    note = models.TextField(
        _("note"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)]
    )

    class Meta:
        verbose_name = _("red flag")
        verbose_name_plural = _("red flags")
        ordering = ["-last_day", "-id"]
        indexes = [models.Index(fields=["patient", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "code"],
                condition=Q(status="open"),
                name="flag_one_open_per_patient_and_code",
            ),
            models.CheckConstraint(
                condition=~Q(status="acknowledged")
                | Q(acknowledged_at__isnull=False, acknowledged_by__isnull=False) & ~Q(action=""),
                name="flag_acknowledged_has_who_when_action",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()} ({self.get_severity_display()}) {self.first_day}"


class FlagOccurrence(models.Model):
    """One day on which a flag's rule fired, with the days of the entries that made it fire."""

    flag = models.ForeignKey(
        Flag, verbose_name=_("flag"), on_delete=models.PROTECT, related_name="occurrences"
    )
    day = models.DateField(_("day"))
    severity = models.CharField(_("severity"), max_length=16, choices=Severity.choices)
    evidence_days = models.JSONField(_("evidence (entry days)"), default=list)
    notified_at = models.DateTimeField(_("clinicians alerted at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("flag occurrence")
        verbose_name_plural = _("flag occurrences")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["flag", "day"], name="occurrence_one_per_flag_and_day")
        ]

    def __str__(self) -> str:
        return f"{self.flag_id} {self.day} {self.severity}"


class FlagNotice(models.Model):
    """One e-mail about an urgent flag to one recipient: the first alert of a firing day, or a
    repeated notice (escalation) while nobody acknowledges it. Whether the mail server took it
    is recorded, so the clinic can see who was told when."""

    class Kind(models.TextChoices):
        FIRST = "first", _("First alert")
        ESCALATION = "escalation", _("Repeated notice")

    flag = models.ForeignKey(
        Flag, verbose_name=_("flag"), on_delete=models.PROTECT, related_name="notices"
    )
    occurrence = models.ForeignKey(
        FlagOccurrence,
        verbose_name=_("firing day"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # 0 for a first alert; 1, 2 … for the repeated notices.
    number = models.PositiveSmallIntegerField(_("number"), default=0)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    address = models.EmailField(_("e-mail address"))  # as it was sent to (or the on-call one)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    # None while it is being sent; then whether the mail server accepted it.
    delivered = models.BooleanField(_("delivered"), null=True)

    class Meta:
        verbose_name = _("urgent flag notice")
        verbose_name_plural = _("urgent flag notices")
        ordering = ["sent_at", "id"]
        indexes = [models.Index(fields=["flag", "kind", "number"])]

    def __str__(self) -> str:
        return f"{self.flag_id} {self.kind} {self.number} {self.address}"
