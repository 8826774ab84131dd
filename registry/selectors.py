"""Reads for the register's pages, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.db.models import Count, Max, Min, QuerySet
from django.utils.translation import gettext as _

from accounts.models import Clinic, User
from diary.models import Agent, Flag, FlagCode, Injection, Joint
from registry import rules
from registry.figures import course_reviews, injections_with_flags, latest_per_patient
from registry.models import (
    EVENT_FIELDS,
    AdverseEvent,
    AdverseEventVersion,
    Outcome,
    PlanInjection,
    Relation,
    Seriousness,
    TreatmentPlan,
)

# --- Deadlines ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    event: AdverseEvent
    deadline: date
    days_left: int  # 0 on the day, negative once passed

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left


def _owing(events: QuerySet) -> QuerySet:
    """Events that may owe a report: serious, under a plan, not reported, not judged unrelated."""
    return (
        events.filter(plan__isnull=False, reported_on__isnull=True)
        .exclude(seriousness=Seriousness.NOT_SERIOUS)
        .exclude(relation=Relation.NOT_RELATED)
    )


def deadlines_of(events, today: date) -> list[Deadline]:
    """The open reporting deadlines among these events, the most urgent first."""
    found = []
    for event in events:
        if event.reported_on is None and (deadline := event.deadline) is not None:
            found.append(Deadline(event, deadline, rules.days_left(deadline, today)))
    return sorted(found, key=lambda d: (d.deadline, d.event.pk))


def clinic_deadlines(clinic: Clinic, today: date) -> list[Deadline]:
    """Every open reporting deadline of the clinic (one query)."""
    events = _owing(AdverseEvent.objects.filter(patient__clinic=clinic)).select_related(
        "patient", "plan"
    )
    return deadlines_of(events, today)


def patient_events(patient: User) -> list[AdverseEvent]:
    """The patient's adverse events, latest onset first (one query)."""
    return list(
        AdverseEvent.objects.filter(patient=patient).select_related("plan", "injection", "flag")
    )


def clinic_events(clinic: Clinic) -> QuerySet:
    return AdverseEvent.objects.filter(patient__clinic=clinic).select_related(
        "patient", "plan", "recorded_by"
    )


# --- The patient's own copy ---------------------------------------------------------------

# What the patient's download holds of each event: everything the register holds about them,
# the clinician's description and assessment included, and to whom and when it was reported
# (a provision to a third party). Not who recorded or changed it: staff are not named in the
# patient's copy, as with the flags and the calls. No deadline: it is the clinic's duty, not a
# fact about the patient.
EXPORT_EVENT_FIELDS = (
    "onset_on",
    "learned_on",
    "description",
    "seriousness",
    "relation",
    "outcome",
    "outcome_on",
    "reported_on",
    "reported_to",
    "recorded_at",
    "updated_at",
)
EXPORT_INJECTION_FIELDS = ("day", "time", "joint", "side", "agent")
# The stored names of the linked rows in a version, and their names in the copy.
_LINKS = {"injection_id": "injection", "plan_id": "plan"}


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def _injection_data(injection) -> dict | None:
    if injection is None:
        return None
    return {name: _plain(getattr(injection, name)) for name in EXPORT_INJECTION_FIELDS}


def _plan_data(plan: TreatmentPlan | None) -> dict | None:
    return None if plan is None else {"number": plan.number, "title": plan.title}


def patient_events_export(patient: User) -> list[dict]:
    """The patient's adverse events as plain JSON-able data for their own download, earliest
    onset first, each with its earlier versions (latest change first, as the diary's edits).
    At most four queries, however many events and versions."""
    events = list(
        AdverseEvent.objects.filter(patient=patient)
        .select_related("injection", "plan", "flag")
        .prefetch_related("versions")
        .order_by("onset_on", "pk")
    )
    versions = [version for event in events for version in event.versions.all()]
    injection_ids = {v.data.get("injection_id") for v in versions} - {None}
    plan_ids = {v.data.get("plan_id") for v in versions} - {None}
    # The rows the versions name by id (one query each, none when no version names one).
    injections = (
        Injection.objects.filter(patient=patient).in_bulk(injection_ids) if injection_ids else {}
    )
    plans = (
        TreatmentPlan.objects.filter(clinic_id=patient.clinic_id).in_bulk(plan_ids)
        if plan_ids
        else {}
    )

    def previous(data: dict) -> dict:
        # The same fields as the current state (an earlier version holds no more than they).
        values = {name: data.get(name) for name in EXPORT_EVENT_FIELDS if name in EVENT_FIELDS}
        values["injection"] = _injection_data(injections.get(data.get("injection_id")))
        values["plan"] = _plan_data(plans.get(data.get("plan_id")))
        return values

    return [
        {
            **{name: _plain(getattr(event, name)) for name in EXPORT_EVENT_FIELDS},
            "injection": _injection_data(event.injection),
            "plan": _plan_data(event.plan),
            "red_flag": None
            if event.flag is None
            else {"code": event.flag.code, "first_day": event.flag.first_day.isoformat()},
            "edits": [
                {
                    "changed_at": v.changed_at.isoformat(),
                    "previous": previous(v.data),
                    "changed_fields": [_LINKS.get(name, name) for name in v.changed_fields],
                }
                for v in event.versions.all()
            ],
        }
        for event in events
    ]


def event_versions(event: AdverseEvent) -> list[AdverseEventVersion]:
    return list(event.versions.select_related("changed_by"))


def events_from_flag(flag: Flag) -> list[AdverseEvent]:
    return list(AdverseEvent.objects.filter(flag=flag))


# --- Plans -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanSummary:
    plan: TreatmentPlan
    years: list[rules.PlanYear]  # begun by today, latest first
    patients: int
    injections: int
    first_injection: date | None
    last_injection: date | None


def clinic_plans(clinic: Clinic, today: date) -> list[PlanSummary]:
    """The clinic's plans with their years and how many were treated (two queries)."""
    plans = list(TreatmentPlan.objects.filter(clinic=clinic))
    counts = {
        row["plan_id"]: row
        for row in PlanInjection.objects.filter(plan__clinic=clinic)
        .values("plan_id")
        .annotate(
            patients=Count("injection__patient_id", distinct=True),
            injections=Count("pk"),
            first=Min("injection__day"),
            last=Max("injection__day"),
        )
    }
    summaries = []
    for plan in plans:
        row = counts.get(plan.pk, {})
        summaries.append(
            PlanSummary(
                plan=plan,
                years=list(reversed(rules.plan_years(plan.accepted_on, today))),
                patients=row.get("patients", 0),
                injections=row.get("injections", 0),
                first_injection=row.get("first"),
                last_injection=row.get("last"),
            )
        )
    return summaries


def plans_for_injections(clinic: Clinic) -> list[TreatmentPlan]:
    return list(TreatmentPlan.objects.filter(clinic=clinic).order_by("agent", "-accepted_on"))


# --- The periodic report -----------------------------------------------------------------


@dataclass(frozen=True)
class PeriodicReport:
    plan: TreatmentPlan
    year: rules.PlanYear
    as_of: date  # verdicts judged on this day: the filing deadline, or today if earlier
    counts: rules.PeriodicCounts
    events: list[AdverseEvent]
    seriousness: list[tuple[str, str]]  # (value, label), in the report's order
    outcomes: list[tuple[str, str]]


def periodic_report(plan: TreatmentPlan, number: int, today: date) -> PeriodicReport:
    """The figures of one plan year. Eight queries, however many patients."""
    year = rules.plan_year(plan.accepted_on, number)
    as_of = min(today, year.report_due)
    links = list(
        PlanInjection.objects.filter(
            plan=plan, injection__day__range=(year.start, min(year.end, today))
        ).values_list("injection_id", "injection__patient_id", "injection__day")
    )
    events = list(
        AdverseEvent.objects.filter(plan=plan, onset_on__range=(year.start, year.end))
        .select_related("patient", "injection")
        .order_by("onset_on", "pk")
    )
    treated = User.objects.filter(
        pk__in=PlanInjection.objects.filter(
            plan=plan, injection__day__range=(year.start, year.end)
        ).values("injection__patient_id")
    )
    plan_injections = {injection_id for injection_id, _p, _d in links}
    in_plan = [
        r
        for r in course_reviews(treated, today=as_of, reviewed_to=as_of)
        if r.injection.pk in plan_injections or r.course_start.pk in plan_injections
    ]
    reviews = [
        rules.Review(r.patient_id, r.responder_verdict, r.goal_statuses)
        for r in latest_per_patient(in_plan)
    ]
    counts = rules.periodic_counts(
        [rules.TreatedInjection(patient, day) for _i, patient, day in links],
        [rules.EventRecord(e.seriousness, e.outcome) for e in events],
        reviews,
        outcomes=Outcome.values,
    )
    return PeriodicReport(
        plan, year, as_of, counts, events, list(Seriousness.choices), list(Outcome.choices)
    )


# --- What works in our clinic ------------------------------------------------------------

GROUPINGS = {"agent": Agent, "joint": Joint}
ALL = "all"  # the row of the whole clinic
FLAG_CODES = tuple(
    code
    for code in FlagCode.values
    if code not in (FlagCode.EARLY_REACTION, FlagCode.MISSED_ENTRIES)
)


@dataclass(frozen=True)
class ClinicOutcomes:
    start: date
    end: date
    grouping: str
    rows: list[rules.GroupFigures]  # groups with any data, in the choices' order
    labels: dict[str, str]  # group value -> its label
    flag_codes: tuple[str, ...]


def default_period(today: date) -> tuple[date, date]:
    return today - timedelta(days=364), today


def clinic_outcomes(
    clinic: Clinic, *, start: date, end: date, grouping: str, today: date
) -> ClinicOutcomes:
    """By agent or by joint: the courses reviewed in [start, end] (each patient's latest) and
    the injections given in it. Seven queries, however many patients."""
    choices = GROUPINGS[grouping]
    patients = User.objects.filter(clinic=clinic, role=User.Role.PATIENT)
    reviews = latest_per_patient(
        course_reviews(patients, today=today, reviewed_from=start, reviewed_to=end)
    )
    given = injections_with_flags(patients, start=start, end=min(end, today))
    group_reviews = [
        rules.GroupReview(
            group=getattr(r.injection, grouping),
            patient=r.patient_id,
            responder=r.responder_verdict,
            goal_statuses=r.goal_statuses,
            pain_change=r.pain_change,
            logging_at_review=r.logging_at_review,
        )
        for r in reviews
    ]
    group_injections = [
        rules.GroupInjection(getattr(i, grouping), i.patient_id, i.flag_codes) for i in given
    ]
    # The whole clinic first (every patient once), then each group.
    rows = rules.group_figures(
        [replace(r, group=ALL) for r in group_reviews],
        [replace(i, group=ALL) for i in group_injections],
        groups=[ALL],
        flag_codes=FLAG_CODES,
    ) + rules.group_figures(
        group_reviews, group_injections, groups=choices.values, flag_codes=FLAG_CODES
    )
    return ClinicOutcomes(
        start=start,
        end=end,
        grouping=grouping,
        rows=[row for row in rows if row.patients_reviewed or row.injections],
        labels={ALL: _("All patients"), **{value: str(label) for value, label in choices.choices}},
        flag_codes=FLAG_CODES,
    )
