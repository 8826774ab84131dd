"""The clinic's triage dashboard: whom to call first. A fixed number of queries per page.

The order (see `diary.triage`) is the only part that looks at every patient of the clinic: one
stored row per patient and, for those without an open flag, one indexed look-up for a goal
under review. Everything a row shows is read for one page only, as plain values, and its words
are looked up once per request rather than once per row (rendering 50 rich rows, not the
database, was most of the page's time).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from accounts.models import Clinic, User
from accounts.search import patient_search_q
from diary.flag_text import NAMES, flag_name
from diary.models import Agent, DiaryEntry, Flag, Goal, Injection, Joint, Severity, Side
from diary.red_flags import severity_rank
from diary.triage import (
    GROUP_CAUTION,
    GROUP_NOT_LOGGING,
    GROUP_OTHER,
    GROUP_REVIEW,
    GROUP_URGENT,
    REVIEW_WINDOW_DAYS,
    goals_under_review,
    review_overdue,
)
from diary.waiting import time_ago, waiting_text

PAGE_SIZE = 50
SPARKLINE_DAYS = 14
TREND_LOOKBACK_DAYS = 2

GROUP_NAMES = ("urgent", "caution", "not_logging", "review", "other")
TRENDS = ("up", "down", "same")


def dashboard_queryset(clinic: Clinic, today: date, *, query: str = "") -> QuerySet[User]:
    """The clinic's patients annotated with their triage group, in triage order: each patient's
    stored `PatientTriage` row (see `diary.triage`), and for those without an open flag, whether
    a goal is under review."""
    under_review = Case(
        When(Exists(goals_under_review(today)), then=Value(GROUP_REVIEW)),
        default=Value(GROUP_OTHER),
    )
    patients = triage_patients(clinic).annotate(
        group=Coalesce("triage__flag_group", under_review, output_field=IntegerField()),
        urgent_since=F("triage__urgent_since"),
        last_activity=F("triage__last_activity"),
    )
    if query:
        patients = patients.filter(patient_search_q(query))  # kana in any width, phone digits
    return patients.order_by(
        "group",
        F("urgent_since").asc(nulls_last=True),  # the longest-waiting urgent patient first
        F("last_activity").desc(nulls_last=True),
        "name",
        "pk",
    )


def triage_patients(clinic: Clinic) -> QuerySet[User]:
    """The clinic's patients on its dashboard: all but those whose data was erased."""
    return User.objects.filter(clinic=clinic, role=User.Role.PATIENT).exclude(triage__erased=True)


# The count cards, each a filter of the list: one card per triage group, so that a patient is
# counted once, in the group their row shows (a patient with an urgent and a caution flag is
# urgent), and the card's number is the number of rows its filter lists.
CARD_GROUPS = {
    "urgent": GROUP_URGENT,
    "caution": GROUP_CAUTION,
    "not_logging": GROUP_NOT_LOGGING,
    "review": GROUP_REVIEW,
}
FILTER_GROUPS = {**CARD_GROUPS, "attention": (GROUP_URGENT, GROUP_CAUTION)}
FILTERS = (*CARD_GROUPS, "attention", "all")


def apply_filter(patients: QuerySet[User], name: str) -> QuerySet[User]:
    """The patients of one group (or urgent and caution: "attention"); all for any other name.
    `patients` comes from `dashboard_queryset`, whose `group` both the counts and the rows read."""
    groups = FILTER_GROUPS.get(name)
    if groups is None:
        return patients
    if isinstance(groups, tuple):
        return patients.filter(group__in=groups)
    return patients.filter(group=groups)


def dashboard_counts(clinic: Clinic, today: date) -> dict[str, int]:
    """How many patients are in each group, for the count cards above the list, and in all: one
    query, grouped by the same `group` the list is ordered and filtered by."""
    by_group = dict(
        dashboard_queryset(clinic, today)
        .order_by()
        .values_list("group")
        .annotate(n=Count("pk"))
        .values_list("group", "n")
    )
    counts = {name: by_group.get(group, 0) for name, group in CARD_GROUPS.items()}
    counts["attention"] = counts["urgent"] + counts["caution"]
    counts["all"] = counts["total"] = sum(by_group.values())
    return counts


@dataclass
class Measure:
    """The latest value of a measure and its trend against two days earlier."""

    value: int | None = None
    earlier: int | None = None
    trend_html: str = ""  # the arrow and its words, see `_Words.trend_html`

    @property
    def text(self) -> str:
        # A string, not an int: the template would run each number through localisation.
        return "" if self.value is None else str(self.value)

    @property
    def trend(self) -> str:
        if self.value is None or self.earlier is None:
            return ""
        if self.value > self.earlier:
            return "up"
        if self.value < self.earlier:
            return "down"
        return "same"


@dataclass(frozen=True)
class FlagBadge:
    code: str
    severity: str
    label: str


@dataclass
class DashboardRow:
    """One patient's row as the page shows it: words and numbers ready to print."""

    name: str
    patient_number: str
    url: str
    group: int
    injection: str = ""  # "Knee (Left) · Hyaluronic acid"
    day_text: str = ""  # "Day 5"
    last_entry_day: str = ""  # "11/26"; empty when the patient never logged
    saved_text: str = ""  # "saved 2 hours ago"
    pain: Measure = field(default_factory=Measure)
    swelling: Measure = field(default_factory=Measure)
    warmth: Measure = field(default_factory=Measure)
    flags: list[FlagBadge] = field(default_factory=list)
    goals_text: str = ""  # "2 goals"
    next_review: str = ""  # "11/29"
    review_due: bool = False  # within the next 7 days
    review_overdue: bool = False  # the date has passed: "overdue", in words, not by colour
    sparkline_text: str = ""  # "–, 3, 4", for the screen reader
    sparkline_points: str = ""  # SVG polyline points
    waiting: str = ""  # the longest-waiting open urgent flag: "waiting 45 min" (diary.waiting)
    name_kana: str = ""  # スズキ　ハナコ, shown under the name

    @property
    def group_name(self) -> str:
        return GROUP_NAMES[self.group]


class _Words:
    """The rows' words in the active language, looked up once per request."""

    def __init__(self):
        self.joints = {value: str(label) for value, label in Joint.choices}
        self.sides = {value: str(label) for value, label in Side.choices}
        self.agents = {value: str(label) for value, label in Agent.choices}
        self.flag_codes = {code: flag_name(code) for code in NAMES}
        self.day = gettext("Day %(n)s")
        self.saved = gettext("saved %(when)s")  # "saved 5 minutes ago" / 「保存：5分前」
        # The same few bytes for every row: the partial is rendered once per trend.
        self.trend_html = {
            trend: render_to_string("clinic/_trend.html", {"trend": trend})
            for trend in ("", *TRENDS)
        }
        self._goals: dict[int, str] = {}
        # Reversing the patient's URL per row is slow; its shape is the same for everyone.
        self._placeholder = str(uuid.UUID(int=0))
        self._url = reverse("clinic:patient", args=[self._placeholder])

    def goals(self, count: int) -> str:
        if count not in self._goals:
            self._goals[count] = ngettext("%(n)s goal", "%(n)s goals", count) % {"n": count}
        return self._goals[count]

    def patient_url(self, public_id: uuid.UUID) -> str:
        return self._url.replace(self._placeholder, str(public_id))

    def measure(self, value: int, earlier: int | None) -> Measure:
        measure = Measure(value, earlier)
        measure.trend_html = self.trend_html[measure.trend]
        return measure


# What the page reads of each patient: no full model instances for 50 rows.
PATIENT_FIELDS = ("pk", "public_id", "name", "name_kana", "patient_number", "group")


def dashboard_page(
    clinic: Clinic,
    today: date,
    *,
    query: str = "",
    filter_name: str = "all",
    page: str | int = 1,
    counts: dict[str, int] | None = None,
) -> tuple[Page, list[DashboardRow]]:
    """One page of rows in triage order; `counts` from `dashboard_counts`, when the page has
    them, spare the paginator counting every patient again."""
    patients = apply_filter(dashboard_queryset(clinic, today, query=query), filter_name)
    paginator = Paginator(patients.values(*PATIENT_FIELDS), PAGE_SIZE)
    if counts is not None and not query:
        # A cached property: this value is used instead (the same query, already counted).
        paginator.count = counts.get(filter_name, counts["total"])
    page_obj = paginator.get_page(page)
    return page_obj, dashboard_rows(list(page_obj.object_list), today)


def _latest_entries(ids: list[int]):
    """Each patient's latest entry in one query: one indexed lookup per patient of the page."""
    latest = DiaryEntry.objects.filter(patient=OuterRef("pk")).order_by("-day").values("pk")[:1]
    latest_ids = User.objects.filter(pk__in=ids).values(latest=Subquery(latest))
    return DiaryEntry.objects.filter(pk__in=latest_ids).values_list(
        "patient_id", "day", "updated_at", "pain", "swelling", "warmth"
    )


def dashboard_rows(patients: list[dict], today: date) -> list[DashboardRow]:
    """Everything the rows show, for one page of patients, in five queries whatever the size."""
    if not patients:  # e.g. a search that found nobody
        return []
    now = timezone.now()
    words = _Words()
    ids = [p["pk"] for p in patients]
    rows = {
        p["pk"]: DashboardRow(
            p["name"],
            p["patient_number"],
            words.patient_url(p["public_id"]),
            p["group"],
            name_kana=p["name_kana"],
        )
        for p in patients
    }

    injections = Injection.objects.filter(patient_id__in=ids, day__lte=today).order_by("day")
    for patient_id, day, joint, side, agent in injections.values_list(
        "patient_id", "day", "joint", "side", "agent"
    ):  # the latest wins
        row = rows[patient_id]
        row.injection = f"{words.joints[joint]} ({words.sides[side]}) · {words.agents[agent]}"
        row.day_text = words.day % {"n": (today - day).days}

    since = today - timedelta(days=SPARKLINE_DAYS - 1)
    window = [since + timedelta(days=n) for n in range(SPARKLINE_DAYS)]
    # Plain tuples, not model instances: 14 days × 50 patients is 700 rows per page.
    days_by_patient: dict[int, dict[date, tuple[int, int, int]]] = defaultdict(dict)
    for patient_id, day, pain, swelling, warmth in DiaryEntry.objects.filter(
        patient_id__in=ids, day__range=(since, today)
    ).values_list("patient_id", "day", "pain", "swelling", "warmth"):
        days_by_patient[patient_id][day] = (pain, swelling, warmth)

    for patient_id, day, updated_at, *values in _latest_entries(ids):
        row = rows[patient_id]
        row.last_entry_day = f"{day:%m/%d}"
        row.saved_text = words.saved % {"when": time_ago(updated_at, now)}
        lookback = day - timedelta(days=TREND_LOOKBACK_DAYS)
        earlier = days_by_patient[patient_id].get(lookback, (None, None, None))
        row.pain, row.swelling, row.warmth = map(words.measure, values, earlier)

    flags = Flag.objects.filter(patient_id__in=ids, status=Flag.Status.OPEN)
    urgent_since: dict[int, datetime] = {}
    for patient_id, code, severity, _first_day, urgent_at in sorted(
        flags.values_list("patient_id", "code", "severity", "first_day", "urgent_at"),
        key=lambda f: (-severity_rank(f[2]), f[3]),
    ):
        rows[patient_id].flags.append(FlagBadge(code, severity, words.flag_codes[code]))
        if severity == Severity.URGENT and urgent_at is not None:
            urgent_since[patient_id] = min(urgent_at, urgent_since.get(patient_id, urgent_at))
    for patient_id, since in urgent_since.items():
        rows[patient_id].waiting = waiting_text(since, now)

    review_dates: dict[int, list[date]] = defaultdict(list)
    for patient_id, review_date in Goal.objects.filter(
        patient_id__in=ids, review_date__gte=today - timedelta(days=REVIEW_WINDOW_DAYS)
    ).values_list("patient_id", "review_date"):
        review_dates[patient_id].append(review_date)

    for pk, row in rows.items():
        if dates := review_dates.get(pk):
            next_review = min(dates)
            row.goals_text = words.goals(len(dates))
            row.next_review = f"{next_review:%m/%d}"
            row.review_due = next_review <= today + timedelta(days=REVIEW_WINDOW_DAYS)
            row.review_overdue = review_overdue(next_review, today)
        by_day = days_by_patient.get(pk, {})
        pains = [values[0] if (values := by_day.get(day)) else None for day in window]
        row.sparkline_text = ", ".join("–" if pain is None else str(pain) for pain in pains)
        row.sparkline_points = _sparkline_points(pains)
    return [rows[pk] for pk in ids]


def _sparkline_points(pains: list[int | None]) -> str:
    """SVG polyline points for the 14-day pain line (x 0–130, y 0–30, higher pain is up)."""
    step = 130 / max(1, SPARKLINE_DAYS - 1)
    return " ".join(
        f"{i * step:.0f},{30 - pain * 3:.0f}" for i, pain in enumerate(pains) if pain is not None
    )
