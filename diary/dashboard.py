"""The clinic's triage dashboard: whom to call first. A fixed number of queries per page.

Order: open urgent flags (oldest first), open caution flags, not logging, review date within
7 days, then everyone else by latest activity.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from accounts.models import Clinic, User
from diary.models import DiaryEntry, Flag, FlagCode, Goal, Injection, Severity
from diary.red_flags import severity_rank

PAGE_SIZE = 50
SPARKLINE_DAYS = 14
TREND_LOOKBACK_DAYS = 2
REVIEW_WINDOW_DAYS = 7

GROUP_URGENT, GROUP_CAUTION, GROUP_NOT_LOGGING, GROUP_REVIEW, GROUP_OTHER = range(5)
GROUP_NAMES = ("urgent", "caution", "not_logging", "review", "other")
FILTERS = ("attention", "not_logging", "review", "all")


def _open_flags(severity: str | None = None, code: str | None = None):
    flags = Flag.objects.filter(patient=OuterRef("pk"), status=Flag.Status.OPEN)
    if severity:
        flags = flags.filter(severity=severity)
    if code:
        flags = flags.filter(code=code)
    return flags


def _triage_annotations(clinic: Clinic, today: date) -> QuerySet[User]:
    """The clinic's patients with the flags that decide their triage group (indexed lookups)."""
    window = (
        today - timedelta(days=REVIEW_WINDOW_DAYS),
        today + timedelta(days=REVIEW_WINDOW_DAYS),
    )
    return User.objects.filter(clinic=clinic, role=User.Role.PATIENT).annotate(
        has_urgent=Exists(_open_flags(Severity.URGENT)),
        has_caution=Exists(_open_flags(Severity.CAUTION)),
        not_logging=Exists(_open_flags(code=FlagCode.MISSED_ENTRIES)),
        review_due=Exists(Goal.objects.filter(patient=OuterRef("pk"), review_date__range=window)),
    )


def dashboard_queryset(clinic: Clinic, today: date, *, query: str = "") -> QuerySet[User]:
    """The clinic's patients annotated with their triage group, in triage order."""
    patients = _triage_annotations(clinic, today).annotate(
        urgent_since=Subquery(
            _open_flags(Severity.URGENT).order_by("first_day").values("first_day")[:1]
        ),
        # A correlated subquery on an index, not a join over every diary entry of the clinic.
        last_activity=Subquery(
            DiaryEntry.objects.filter(patient=OuterRef("pk"))
            .order_by("-updated_at")
            .values("updated_at")[:1]
        ),
        group=Case(
            When(has_urgent=True, then=Value(GROUP_URGENT)),
            When(has_caution=True, then=Value(GROUP_CAUTION)),
            When(not_logging=True, then=Value(GROUP_NOT_LOGGING)),
            When(review_due=True, then=Value(GROUP_REVIEW)),
            default=Value(GROUP_OTHER),
            output_field=IntegerField(),
        ),
    )
    if query:
        patients = patients.filter(Q(name__icontains=query) | Q(patient_number__icontains=query))
    return patients.order_by(
        "group",
        F("urgent_since").asc(nulls_last=True),  # the longest-waiting urgent patient first
        F("last_activity").desc(nulls_last=True),
        "name",
        "pk",
    )


def apply_filter(patients: QuerySet[User], name: str) -> QuerySet[User]:
    if name == "attention":
        return patients.filter(Q(has_urgent=True) | Q(has_caution=True))
    if name == "not_logging":
        return patients.filter(not_logging=True)
    if name == "review":
        return patients.filter(review_due=True)
    return patients


def dashboard_counts(clinic: Clinic, today: date) -> dict[str, int]:
    """How many patients are in each group, for the counts above the list (one query)."""
    # Aggregate names must differ from the annotations they count, or they shadow them.
    counts = _triage_annotations(clinic, today).aggregate(
        count_urgent=Count("pk", filter=Q(has_urgent=True)),
        count_caution=Count("pk", filter=Q(has_caution=True)),
        count_not_logging=Count("pk", filter=Q(not_logging=True)),
        count_review=Count("pk", filter=Q(review_due=True)),
        count_total=Count("pk"),
    )
    return {name.removeprefix("count_"): value for name, value in counts.items()}


@dataclass
class Measure:
    """The latest value of a measure and its trend against two days earlier."""

    value: int | None = None
    earlier: int | None = None

    @property
    def trend(self) -> str:
        if self.value is None or self.earlier is None:
            return ""
        if self.value > self.earlier:
            return "up"
        if self.value < self.earlier:
            return "down"
        return "same"


@dataclass
class DashboardRow:
    patient: User
    group: int
    injection: Injection | None = None
    day_number: int | None = None
    last_entry: DiaryEntry | None = None
    pain: Measure = field(default_factory=Measure)
    swelling: Measure = field(default_factory=Measure)
    warmth: Measure = field(default_factory=Measure)
    flags: list[Flag] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    sparkline: list[int | None] = field(default_factory=list)

    @property
    def group_name(self) -> str:
        return GROUP_NAMES[self.group]

    @property
    def sparkline_text(self) -> str:
        return ", ".join("–" if value is None else str(value) for value in self.sparkline)

    @property
    def next_review(self) -> date | None:
        return min((g.review_date for g in self.goals), default=None)

    def sparkline_points(self) -> str:
        """SVG polyline points for a 14-day pain line (x 0–130, y 0–30, higher pain is up)."""
        step = 130 / max(1, SPARKLINE_DAYS - 1)
        return " ".join(
            f"{i * step:.0f},{30 - value * 3:.0f}"
            for i, value in enumerate(self.sparkline)
            if value is not None
        )


def dashboard_page(
    clinic: Clinic, today: date, *, query: str = "", filter_name: str = "all", page: str | int = 1
) -> tuple[Page, list[DashboardRow]]:
    patients = apply_filter(dashboard_queryset(clinic, today, query=query), filter_name)
    page_obj = Paginator(patients, PAGE_SIZE).get_page(page)
    return page_obj, dashboard_rows(list(page_obj.object_list), today)


class _DayValues(NamedTuple):
    pain: int
    swelling: int
    warmth: int


def dashboard_rows(patients: list[User], today: date) -> list[DashboardRow]:
    """Everything a row shows, for one page of patients, in four queries whatever the size."""
    ids = [p.pk for p in patients]
    rows = {p.pk: DashboardRow(p, p.group) for p in patients}

    for injection in Injection.objects.filter(patient_id__in=ids, day__lte=today).order_by("day"):
        rows[injection.patient_id].injection = injection  # the latest wins
    since = today - timedelta(days=SPARKLINE_DAYS - 1)
    # Plain tuples, not model instances: 14 days × 50 patients is 700 rows per page.
    entries_by_patient: dict[int, dict[date, _DayValues]] = defaultdict(dict)
    for patient_id, day, pain, swelling, warmth in DiaryEntry.objects.filter(
        patient_id__in=ids, day__range=(since, today)
    ).values_list("patient_id", "day", "pain", "swelling", "warmth"):
        entries_by_patient[patient_id][day] = _DayValues(pain, swelling, warmth)
    last_entries = {
        e.patient_id: e
        for e in DiaryEntry.objects.filter(
            patient_id__in=ids,
            day=Subquery(
                DiaryEntry.objects.filter(patient_id=OuterRef("patient_id"))
                .order_by("-day")
                .values("day")[:1]
            ),
        )
    }
    for flag in Flag.objects.filter(patient_id__in=ids, status=Flag.Status.OPEN):
        rows[flag.patient_id].flags.append(flag)
    for goal in Goal.objects.filter(
        patient_id__in=ids, review_date__gte=today - timedelta(days=REVIEW_WINDOW_DAYS)
    ):
        rows[goal.patient_id].goals.append(goal)

    for pk, row in rows.items():
        row.flags.sort(key=lambda f: (-severity_rank(f.severity), f.first_day))
        if row.injection is not None:
            row.day_number = (today - row.injection.day).days
        by_day = entries_by_patient.get(pk, {})
        row.sparkline = [
            e.pain if (e := by_day.get(since + timedelta(days=i))) else None
            for i in range(SPARKLINE_DAYS)
        ]
        row.last_entry = last_entries.get(pk)
        if row.last_entry is not None:
            earlier = by_day.get(row.last_entry.day - timedelta(days=TREND_LOOKBACK_DAYS))
            for name in ("pain", "swelling", "warmth"):
                setattr(
                    row,
                    name,
                    Measure(getattr(row.last_entry, name), getattr(earlier, name, None)),
                )
    return [rows[p.pk] for p in patients]
