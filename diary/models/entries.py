"""Injections and the daily diary, with the previous versions of every edited entry."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TEMPERATURE_MIN_C = Decimal("34.0")
TEMPERATURE_MAX_C = Decimal("42.5")


class Joint(models.TextChoices):
    KNEE = "knee", _("Knee")
    HIP = "hip", _("Hip")
    SHOULDER = "shoulder", _("Shoulder")
    OTHER = "other", _("Other")


class Side(models.TextChoices):
    LEFT = "left", _("Left")
    RIGHT = "right", _("Right")
    BOTH = "both", _("Both")


class Agent(models.TextChoices):
    HYALURONIC_ACID = "hyaluronic_acid", _("Hyaluronic acid")
    CORTICOSTEROID = "corticosteroid", _("Corticosteroid")
    PRP = "prp", _("PRP (platelet-rich plasma)")
    CELL_THERAPY = "cell_therapy", _("Cell therapy")
    OTHER = "other", _("Other")


# Fields a clinician records or corrects for an injection.
INJECTION_FIELDS = (
    "day",
    "time",
    "joint",
    "side",
    "agent",
    "course_number",
    "course_total",
    "given_by",
    "baseline_pain",
    "notes",
)


class Injection(models.Model):
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("patient"),
        on_delete=models.PROTECT,
        related_name="injections",
    )
    day = models.DateField(_("date"))
    time = models.TimeField(_("time"), null=True, blank=True)
    joint = models.CharField(_("joint"), max_length=16, choices=Joint.choices)
    side = models.CharField(_("side"), max_length=8, choices=Side.choices)
    agent = models.CharField(_("agent"), max_length=32, choices=Agent.choices)
    course_number = models.PositiveSmallIntegerField(
        _("number in course"), default=1, validators=[MinValueValidator(1)]
    )
    course_total = models.PositiveSmallIntegerField(
        _("injections in course"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    given_by = models.CharField(_("given by"), max_length=150, blank=True)
    baseline_pain = models.PositiveSmallIntegerField(
        _("pain before the injection (0–10)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
        help_text=_(
            "Optional. Ask at the first injection of a course: the patient's usual worst pain in "
            "the joint over the past week, 0 = no pain, 10 = the worst pain imaginable. It is the "
            "course's baseline only when the diary has fewer than 3 entries in the 7 days before "
            "that first injection."
        ),
    )
    notes = models.TextField(
        _("notes"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("injection")
        verbose_name_plural = _("injections")
        ordering = ["-day", "-time"]
        indexes = [models.Index(fields=["patient", "day"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(course_total__isnull=True)
                | Q(course_number__lte=models.F("course_total")),
                name="injection_number_within_course",
            ),
            models.CheckConstraint(
                condition=Q(baseline_pain__isnull=True) | Q(baseline_pain__lte=10),
                name="injection_baseline_pain_0_10",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.get_joint_display()} ({self.get_side_display()})"

    def clean(self):
        from django.core.exceptions import ValidationError

        from accounts.bidi import without_bidi_controls

        self.given_by = without_bidi_controls(self.given_by)
        if self.course_total and self.course_number and self.course_number > self.course_total:
            raise ValidationError(
                {"course_number": _("The number in the course cannot exceed the course length.")}
            )


class Redness(models.TextChoices):
    NONE = "none", _("None")
    PRESENT = "present", _("Present")
    SPREADING = "spreading", _("Spreading")


class WeightBearing(models.TextChoices):
    FULL = "full", _("Yes, normally")
    PAINFUL = "painful", _("Yes, but it hurts")
    CANNOT = "cannot", _("No, I cannot")


SWELLING_CHOICES = [(0, _("None")), (1, _("Mild")), (2, _("Moderate")), (3, _("Severe"))]
WARMTH_CHOICES = [(0, _("None")), (1, _("Slightly warm")), (2, _("Clearly warm")), (3, _("Hot"))]

# Field names stored in a version snapshot; everything a patient can change.
ENTRY_FIELDS = (
    "pain",
    "swelling",
    "warmth",
    "redness",
    "weight_bearing",
    "temperature_c",
    "feverish",
    "unwell",
    "night_pain",
    "exercise_minutes",
    "painkiller",
    "notes",
)


class DiaryEntry(models.Model):
    """One patient's diary for one calendar day (in the clinic's time zone)."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("patient"),
        on_delete=models.PROTECT,
        related_name="diary_entries",
    )
    day = models.DateField(_("day"))
    pain = models.PositiveSmallIntegerField(
        _("pain"), validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    swelling = models.PositiveSmallIntegerField(_("swelling"), choices=SWELLING_CHOICES)
    warmth = models.PositiveSmallIntegerField(_("warmth"), choices=WARMTH_CHOICES)
    redness = models.CharField(_("redness"), max_length=16, choices=Redness.choices)
    weight_bearing = models.CharField(
        _("weight bearing"), max_length=16, choices=WeightBearing.choices
    )
    temperature_c = models.DecimalField(
        _("temperature (°C)"),
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(TEMPERATURE_MIN_C), MaxValueValidator(TEMPERATURE_MAX_C)],
    )
    feverish = models.BooleanField(_("felt feverish or had chills"), default=False)
    unwell = models.BooleanField(_("generally unwell"), default=False)
    night_pain = models.PositiveSmallIntegerField(
        _("pain at night"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    exercise_minutes = models.PositiveSmallIntegerField(
        _("exercise (minutes)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(600)],
    )
    painkiller = models.BooleanField(_("took a painkiller"), default=False)
    notes = models.TextField(
        _("notes"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)]
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    # Saved in a session opened by a link the clinic sent for the existing account, which
    # clinic staff may have used themselves (later edits say so on their version).
    created_via_clinic_link = models.BooleanField(
        _("created in a session opened by a link from the clinic"), default=False
    )
    # How many times the answers were changed after the first save: with updated_at, the
    # version a form was loaded with (version_token), so a save over a newer one is noticed.
    revision = models.PositiveIntegerField(_("number of changes"), default=0)

    class Meta:
        verbose_name = _("diary entry")
        verbose_name_plural = _("diary entries")
        ordering = ["-day"]
        indexes = [models.Index(fields=["patient", "updated_at"], name="entry_patient_updated")]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "day"], name="entry_one_per_patient_per_day"
            ),
            models.CheckConstraint(condition=Q(pain__gte=0, pain__lte=10), name="entry_pain_0_10"),
            models.CheckConstraint(
                condition=Q(swelling__gte=0, swelling__lte=3), name="entry_swelling_0_3"
            ),
            models.CheckConstraint(
                condition=Q(warmth__gte=0, warmth__lte=3), name="entry_warmth_0_3"
            ),
            models.CheckConstraint(
                condition=Q(redness__in=Redness.values), name="entry_redness_valid"
            ),
            models.CheckConstraint(
                condition=Q(weight_bearing__in=WeightBearing.values),
                name="entry_weight_bearing_valid",
            ),
            models.CheckConstraint(
                condition=Q(temperature_c__isnull=True)
                | Q(temperature_c__gte=TEMPERATURE_MIN_C, temperature_c__lte=TEMPERATURE_MAX_C),
                name="entry_temperature_plausible",
            ),
            models.CheckConstraint(
                condition=Q(night_pain__isnull=True) | Q(night_pain__gte=0, night_pain__lte=10),
                name="entry_night_pain_0_10",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient} {self.day}"

    def version_token(self) -> str:
        """A short token of the answers as they are now; it changes with every change."""
        return f"{self.revision}.{int(self.updated_at.timestamp() * 1_000_000)}"

    def snapshot(self) -> dict:
        """The patient-editable values as plain JSON-able data (for the edit history)."""
        data = {name: getattr(self, name) for name in ENTRY_FIELDS}
        if data["temperature_c"] is not None:
            data["temperature_c"] = str(data["temperature_c"])
        return data


class DiaryEntryVersion(models.Model):
    """The values an entry had before an edit, with who changed it and when.

    Rows are only ever added: an edit never loses what was there before.
    """

    entry = models.ForeignKey(
        DiaryEntry, verbose_name=_("entry"), on_delete=models.PROTECT, related_name="versions"
    )
    data = models.JSONField(_("previous values"))
    changed_fields = models.JSONField(_("changed fields"), default=list)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    via_clinic_link = models.BooleanField(
        _("changed in a session opened by a link from the clinic"), default=False
    )

    class Meta:
        verbose_name = _("entry version")
        verbose_name_plural = _("entry versions")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.entry} @ {self.changed_at:%Y-%m-%d %H:%M}"


class EntrySubmission(models.Model):
    """One sending of the diary form, by the key the form carried (`submission_id`).

    A form sent again with the same key — a retry after a lost answer, a phone sending an
    entry kept offline once more, a double tap — is recognised here and saves nothing again.
    The unique constraint decides between two that arrive at once. `answers_digest` tells a
    retry (the same answers) from a form used again with other answers; `saved_version`
    tells the patient correcting their own save from a day changed meanwhile elsewhere, and
    `answers_revision` a late sending of answers the patient has since corrected.
    """

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("patient"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    key = models.UUIDField(_("submission key"))
    day = models.DateField(_("day"))
    # Set in the same transaction as the save; empty only inside it.
    entry = models.ForeignKey(
        DiaryEntry,
        verbose_name=_("entry"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="submissions",
    )
    answers_digest = models.CharField(_("answers digest"), max_length=64)
    # The entry's version_token() right after this key's save. The key sent again with other
    # answers (Back, a typo fixed, saved again) while the entry still has this token is the
    # patient correcting their own save: an update, not a conflict. Empty on rows saved before.
    saved_version = models.CharField(_("version after this save"), max_length=40, blank=True)
    # Which answers under this key the save holds: the phone counts up each time it keeps
    # changed answers under the same key (1, 2, …). A sending that arrives late with a lower
    # number (sent before a correction, delayed on the way) is older than what is saved and
    # saves nothing. Empty when the form did not say (a page without the script).
    answers_revision = models.PositiveIntegerField(_("answers revision"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)

    class Meta:
        verbose_name = _("entry submission")
        verbose_name_plural = _("entry submissions")
        constraints = [
            models.UniqueConstraint(fields=["patient", "key"], name="submission_once_per_patient")
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.day}"
