"""Goals agreed in advance, and the patient's ratings that show whether they were reached."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ZERO_TO_TEN = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("10"))]
MAX_GOALS_PER_COURSE = 5


class GoalKind(models.TextChoices):
    ABILITY = "ability", _("Ability (rated 0–10 by the patient)")
    SYMPTOM = "symptom", _("Symptom (from the diary)")


class GoalMeasure(models.TextChoices):
    """Diary measures a symptom goal can follow; lower is better for each."""

    PAIN = "pain", _("Worst pain (0–10)")
    NIGHT_PAIN = "night_pain", _("Pain at night (0–10)")
    SWELLING = "swelling", _("Swelling (0–3)")
    WARMTH = "warmth", _("Warmth (0–3)")


class Goal(models.Model):
    """A concrete goal agreed by a clinician with the patient, with the day to judge it.

    Ability goals follow the Patient-Specific Functional Scale: 0 = cannot do it, 10 = as before
    the problem, so higher is better. Symptom goals follow a diary measure's 7-day mean, where
    lower is better ("night pain ≤ 3").
    """

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("patient"),
        on_delete=models.PROTECT,
        related_name="goals",
    )
    injection = models.ForeignKey(
        "diary.Injection",
        verbose_name=_("injection course"),
        on_delete=models.PROTECT,
        related_name="goals",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("kind"), max_length=16, choices=GoalKind.choices)
    title = models.CharField(
        _("goal in the patient's words"),
        max_length=200,
        help_text=_("For example: walk the whole shopping trip without stopping."),
    )
    measure = models.CharField(
        _("diary measure"), max_length=16, choices=GoalMeasure.choices, blank=True
    )
    baseline = models.DecimalField(
        _("baseline"), max_digits=3, decimal_places=1, validators=ZERO_TO_TEN
    )
    target = models.DecimalField(
        _("target"), max_digits=3, decimal_places=1, validators=ZERO_TO_TEN
    )
    review_date = models.DateField(_("review date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agreed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("agreed at"), default=timezone.now)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["review_date", "id"]
        # The dashboard counts the goals under review by date, across the clinic.
        indexes = [models.Index(fields=["review_date", "patient"], name="goal_review_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="ability", measure="") | Q(kind="symptom") & ~Q(measure=""),
                name="goal_measure_only_for_symptom_goals",
            ),
            models.CheckConstraint(
                condition=Q(kind="symptom") | Q(target__gt=models.F("baseline")),
                name="goal_ability_target_above_baseline",
            ),
            models.CheckConstraint(
                condition=Q(kind="ability") | Q(target__lt=models.F("baseline")),
                name="goal_symptom_target_below_baseline",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def higher_is_better(self) -> bool:
        return self.kind == GoalKind.ABILITY

    def clean(self) -> None:
        errors = {}
        if self.kind == GoalKind.SYMPTOM and not self.measure:
            errors["measure"] = _("Choose the diary measure this goal follows.")
        if self.kind == GoalKind.ABILITY:
            self.measure = ""
        scale_max = (
            Decimal("3") if self.measure in (GoalMeasure.SWELLING, GoalMeasure.WARMTH) else None
        )
        for name in ("baseline", "target"):
            value = getattr(self, name)
            if scale_max is not None and value is not None and value > scale_max:
                errors[name] = _("Swelling and warmth are rated 0–3.")
        if self.baseline is not None and self.target is not None and not errors:
            if self.kind == GoalKind.ABILITY and self.target <= self.baseline:
                errors["target"] = _("An ability goal's target must be above its baseline.")
            if self.kind == GoalKind.SYMPTOM and self.target >= self.baseline:
                errors["target"] = _("A symptom goal's target must be below its baseline.")
        if errors:
            raise ValidationError(errors)


class GoalRating(models.Model):
    """The patient's weekly 0–10 rating of an ability goal (PSFS)."""

    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.PROTECT, related_name="ratings"
    )
    day = models.DateField(_("day"))
    value = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    created_at = models.DateTimeField(_("rated at"), default=timezone.now)

    class Meta:
        verbose_name = _("goal rating")
        verbose_name_plural = _("goal ratings")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "day"], name="goal_rating_one_per_day"),
            models.CheckConstraint(
                condition=Q(value__gte=0, value__lte=10), name="goal_rating_0_10"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goal} {self.day}: {self.value}"


class GlobalRating(models.Model):
    """ "How is your joint overall?" 0–10, 10 = very bad (the OMERACT-OARSI patient global)."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("patient"),
        on_delete=models.PROTECT,
        related_name="global_ratings",
    )
    day = models.DateField(_("day"))
    value = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    created_at = models.DateTimeField(_("rated at"), default=timezone.now)

    class Meta:
        verbose_name = _("overall rating")
        verbose_name_plural = _("overall ratings")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "day"], name="global_rating_one_per_day"),
            models.CheckConstraint(
                condition=Q(value__gte=0, value__lte=10), name="global_rating_0_10"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient} {self.day}: {self.value}"
