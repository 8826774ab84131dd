"""The regenerative-medicine register: treatment plans, the injections given under them, adverse
events with every earlier version, and the erasures that the retention period limited.

Thin models: fields, labels, constraints, clean(). The diary knows nothing of these: the links
point from here to diary.Injection and diary.Flag. Adverse events and their versions are never
deleted, through the app or the admin.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from registry import rules


class PlanAgent(models.TextChoices):
    """What a plan provides; the values are those of diary.models.Agent."""

    PRP = "prp", _("PRP (platelet-rich plasma)")
    CELL_THERAPY = "cell_therapy", _("Cell therapy")
    OTHER = "other", _("Other")


# Agents whose injections must name their plan (the diary's "other" may name one).
PLAN_REQUIRED_AGENTS = (PlanAgent.PRP, PlanAgent.CELL_THERAPY)


class RiskClass(models.TextChoices):
    CLASS_1 = "1", _("Class I")
    CLASS_2 = "2", _("Class II")
    CLASS_3 = "3", _("Class III")


class TreatmentPlan(models.Model):
    """A regenerative treatment plan (再生医療等提供計画) the clinic provides treatment under."""

    clinic = models.ForeignKey(
        "accounts.Clinic",
        verbose_name=_("clinic"),
        on_delete=models.PROTECT,
        related_name="treatment_plans",
    )
    number = models.CharField(
        _("plan number"),
        max_length=40,
        help_text=_("The number the plan was given when it was accepted, e.g. PC3150123."),
    )
    title = models.CharField(_("title of the plan"), max_length=200)
    agent = models.CharField(_("agent"), max_length=32, choices=PlanAgent.choices)
    risk_class = models.CharField(_("class"), max_length=1, choices=RiskClass.choices)
    accepted_on = models.DateField(
        _("date the plan was accepted"),
        help_text=_("Plan years, and with them the periodic reports, count from this day."),
    )
    committee = models.CharField(_("certified committee"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("treatment plan")
        verbose_name_plural = _("treatment plans")
        ordering = ["-accepted_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "number"],
                name="registry_plan_number_unique_per_clinic",
                violation_error_message=_("The clinic has a plan with this number already."),
            ),
            models.CheckConstraint(
                condition=Q(agent__in=PlanAgent.values), name="registry_plan_agent_valid"
            ),
            models.CheckConstraint(
                condition=Q(risk_class__in=RiskClass.values), name="registry_plan_class_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def clean(self) -> None:
        from accounts.bidi import without_bidi_controls

        self.number = without_bidi_controls(self.number).strip()
        self.title = without_bidi_controls(self.title).strip()
        self.committee = without_bidi_controls(self.committee).strip()


class PlanInjection(models.Model):
    """The plan an injection was given under: one plan per injection."""

    injection = models.OneToOneField(
        "diary.Injection",
        verbose_name=_("injection"),
        on_delete=models.CASCADE,  # an injection recorded by mistake takes its link with it
        related_name="plan_link",
    )
    plan = models.ForeignKey(
        TreatmentPlan,
        verbose_name=_("treatment plan"),
        on_delete=models.PROTECT,
        related_name="injection_links",
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    linked_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("injection under a plan")
        verbose_name_plural = _("injections under a plan")
        indexes = [models.Index(fields=["plan"])]

    def __str__(self) -> str:
        return f"{self.injection_id} → {self.plan_id}"


class Seriousness(models.TextChoices):
    DEATH = rules.DEATH, _("Death")
    LIFE_THREATENING = rules.LIFE_THREATENING, _("Life-threatening (could lead to death)")
    HOSPITALISATION = rules.HOSPITALISATION, _("Hospitalisation or a longer hospital stay")
    DISABILITY = rules.DISABILITY, _("Disability, or a case that could lead to it")
    OTHER_SERIOUS = rules.OTHER_SERIOUS, _("Other serious case")
    NOT_SERIOUS = rules.NOT_SERIOUS, _("Not serious")


class Relation(models.TextChoices):
    RELATED = "related", _("Related")
    POSSIBLY_RELATED = "possibly_related", _("Cannot be ruled out")
    NOT_RELATED = rules.NOT_RELATED, _("Not related")
    UNKNOWN = "unknown", pgettext_lazy("relation to the treatment", "Cannot be assessed")


class Outcome(models.TextChoices):
    RECOVERED = "recovered", _("Recovered")
    RECOVERING = "recovering", _("Recovering")
    NOT_RECOVERED = "not_recovered", _("Not recovered")
    SEQUELAE = "sequelae", _("Recovered with lasting effects")
    FATAL = "fatal", _("Died")
    UNKNOWN = "unknown", pgettext_lazy("outcome of an adverse event", "Unknown")


class ReportedTo(models.TextChoices):
    COMMITTEE = "committee", _("The certified committee")
    MINISTRY = "ministry", _("The Minister of Health, Labour and Welfare")
    BOTH = "both", _("The committee and the Minister")


# Field names an edit can change, kept in each version.
EVENT_FIELDS = (
    "onset_on",
    "learned_on",
    "description",
    "seriousness",
    "relation",
    "outcome",
    "outcome_on",
    "injection_id",
    "plan_id",
    "reported_on",
    "reported_to",
)


class AdverseEventQuerySet(models.QuerySet):
    def delete(self):
        raise PermissionError("Adverse events are never deleted.")


class AdverseEvent(models.Model):
    """An adverse event (疾病等) of a patient, recorded by a clinician. Never deleted; every change
    keeps the values before it (AdverseEventVersion)."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("patient"),
        on_delete=models.PROTECT,
        related_name="adverse_events",
    )
    injection = models.ForeignKey(
        "diary.Injection",
        verbose_name=_("injection concerned"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adverse_events",
    )
    plan = models.ForeignKey(
        TreatmentPlan,
        verbose_name=_("treatment plan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adverse_events",
    )
    flag = models.ForeignKey(
        "diary.Flag",
        verbose_name=_("recorded from the warning sign"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adverse_events",
    )
    onset_on = models.DateField(_("onset"))
    learned_on = models.DateField(
        _("date the clinic learned of it"),
        help_text=_("The reporting deadline counts from this day."),
    )
    description = models.TextField(
        _("what happened"), max_length=4000, validators=[MaxLengthValidator(4000)]
    )
    seriousness = models.CharField(_("seriousness"), max_length=20, choices=Seriousness.choices)
    relation = models.CharField(
        _("relation to the treatment"), max_length=20, choices=Relation.choices
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    outcome_on = models.DateField(_("date of the outcome"), null=True, blank=True)
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    reported_to = models.CharField(
        _("reported to"), max_length=16, choices=ReportedTo.choices, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)

    objects = AdverseEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("adverse event")
        verbose_name_plural = _("adverse events")
        ordering = ["-onset_on", "-id"]
        indexes = [
            models.Index(fields=["patient", "onset_on"]),
            models.Index(fields=["plan", "onset_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(onset_on__lte=F("learned_on")),
                name="registry_event_learned_not_before_onset",
            ),
            models.CheckConstraint(
                condition=Q(reported_on__isnull=True, reported_to="")
                | Q(reported_on__isnull=False) & ~Q(reported_to=""),
                name="registry_event_reported_has_date_and_recipient",
            ),
            models.CheckConstraint(
                condition=Q(reported_on__isnull=True) | Q(reported_on__gte=F("onset_on")),
                name="registry_event_reported_not_before_onset",
            ),
            models.CheckConstraint(
                condition=Q(seriousness__in=Seriousness.values),
                name="registry_event_seriousness_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient_id} {self.onset_on} {self.seriousness}"

    def delete(self, *args, **kwargs):
        raise PermissionError("Adverse events are never deleted.")

    def clean(self) -> None:
        errors = {}
        if self.onset_on and self.learned_on and self.learned_on < self.onset_on:
            errors["learned_on"] = _("The clinic cannot have learned of it before the onset.")
        if self.outcome_on and self.onset_on and self.outcome_on < self.onset_on:
            errors["outcome_on"] = _("The outcome cannot be before the onset.")
        if self.reported_on and self.onset_on and self.reported_on < self.onset_on:
            errors["reported_on"] = _("The report cannot be before the onset.")
        if bool(self.reported_on) != bool(self.reported_to):
            errors["reported_to"] = _("Give both the date of the report and to whom it went.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_serious(self) -> bool:
        return rules.is_serious(self.seriousness)

    @property
    def deadline(self):
        """The last day to report it, or None when no report is owed (rules.report_deadline)."""
        return rules.report_deadline(
            self.seriousness,
            self.learned_on,
            under_plan=self.plan_id is not None,
            relation=self.relation,
        )

    def snapshot(self) -> dict:
        data = {}
        for name in EVENT_FIELDS:
            value = getattr(self, name)
            data[name] = value.isoformat() if hasattr(value, "isoformat") else value
        return data


class AdverseEventVersionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Earlier versions are kept as they were.")

    def delete(self):
        raise PermissionError("Earlier versions are kept as they were.")


class AdverseEventVersion(models.Model):
    """The values an adverse event had before a change, with who changed it and when."""

    event = models.ForeignKey(
        AdverseEvent, verbose_name=_("adverse event"), on_delete=models.PROTECT,
        related_name="versions",
    )  # fmt: skip
    data = models.JSONField(_("previous values"))
    changed_fields = models.JSONField(_("changed fields"), default=list)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    objects = AdverseEventVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("adverse event version")
        verbose_name_plural = _("adverse event versions")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.event_id} @ {self.changed_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Earlier versions are kept as they were.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Earlier versions are kept as they were.")


class RetainedErasure(models.Model):
    """An erasure the retention period limited: only the contact data was removed, the records
    are kept until `kept_until` (10 years after the last treatment under a plan)."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("patient"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    erasure_request = models.OneToOneField(
        "diary.ErasureRequest",
        verbose_name=_("erasure request"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="retained",
    )
    kept_until = models.DateField(_("records kept until"))
    reason = models.TextField(_("reason"), max_length=2000, validators=[MaxLengthValidator(2000)])
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    done_at = models.DateTimeField(_("done at"), default=timezone.now)

    class Meta:
        verbose_name = _("contact data removed, records kept")
        verbose_name_plural = _("contact data removed, records kept")
        ordering = ["-done_at"]

    def __str__(self) -> str:
        return f"{self.patient_id} {self.done_at:%Y-%m-%d} → {self.kept_until}"
