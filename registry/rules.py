"""The register's arithmetic: legal deadlines, plan years, retention, and the clinic's figures.

Pure Python (standard library only, no Django), like diary/red_flags.py and diary/outcomes.py:
plain values in, plain values out, the legal periods as named constants. Everything a clinician
or an inspector may want to check by hand is here, tested on its own.

Periods follow the Japanese way of counting (Civil Code Art. 140-143): a period of days starts
the day after the event (the day the clinic learned of it is day 0), so "within 7 days" ends
at the end of day 7; a period of years ends on the day before the same calendar day, or on the
last day of the month when that day does not exist (29 February).
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

# --- Serious adverse events (疾病等報告), Ordinance Art. 35 ----------------------------------

DEATH = "death"
LIFE_THREATENING = "life_threatening"
HOSPITALISATION = "hospitalisation"
DISABILITY = "disability"
OTHER_SERIOUS = "other_serious"
NOT_SERIOUS = "not_serious"
SERIOUSNESS = (DEATH, LIFE_THREATENING, HOSPITALISATION, DISABILITY, OTHER_SERIOUS, NOT_SERIOUS)

REPORT_WITHIN_DAYS = {
    DEATH: 7,  # death, or a case that could lead to death: within 7 days
    LIFE_THREATENING: 7,
    HOSPITALISATION: 15,  # hospitalisation or a longer stay, disability, other serious: 15 days
    DISABILITY: 15,
    OTHER_SERIOUS: 15,
}
# Only events suspected of coming from the treatment are reported: a clinician who judges an
# event unrelated owes no report (an event of unknown relation is reported).
NOT_RELATED = "not_related"

# --- Periodic report (定期報告) and retention ------------------------------------------------

PERIODIC_REPORT_WITHIN_DAYS = 90  # after the end of each plan year
RETENTION_YEARS = 10  # records of a patient treated under a plan, from the last treatment

# --- Figures ---------------------------------------------------------------------------------

Z_95 = 1.959963984540054  # the normal quantile for a two-sided 95 % interval
MIN_GROUP_PATIENTS = 5  # a group of fewer patients is "too few to say"
PER_INJECTIONS = 100  # red flags are counted per 100 injections


def is_serious(seriousness: str) -> bool:
    if seriousness not in SERIOUSNESS:
        raise ValueError(f"unknown seriousness {seriousness!r}")
    return seriousness != NOT_SERIOUS


def report_deadline(
    seriousness: str, learned_on: date, *, under_plan: bool = True, relation: str = ""
) -> date | None:
    """The last day to report the event, or None when no report is owed.

    Counted from the day the clinic learned of it (day 0): 7 days for death or a case that could
    lead to death, 15 days for hospitalisation, disability and other serious cases. Owed only
    for a serious event under a treatment plan that the clinician does not judge unrelated.
    """
    if not is_serious(seriousness) or not under_plan or relation == NOT_RELATED:
        return None
    return learned_on + timedelta(days=REPORT_WITHIN_DAYS[seriousness])


def days_left(deadline: date, today: date) -> int:
    """Days until the deadline: 0 on the day itself, negative once it has passed."""
    return (deadline - today).days


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def years_end(start: date, years: int) -> date:
    """The last day of a period of `years` years that begins on `start` (start included).

    The day before the same calendar day; when that day does not exist in the end year (a plan
    accepted on 29 February), the last day of February (Civil Code Art. 143).
    """
    if not _exists(start, years):
        return date(start.year + years, 2, 28)
    return start.replace(year=start.year + years) - timedelta(days=1)


def _exists(day: date, years: int) -> bool:
    try:
        day.replace(year=day.year + years)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class PlanYear:
    """One year of a treatment plan, counted from the day the plan was accepted."""

    number: int  # 1, 2, ...
    start: date
    end: date
    report_due: date  # the periodic report: within 90 days of the end

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def ended(self, today: date) -> bool:
        return today > self.end


def plan_year(accepted_on: date, number: int) -> PlanYear:
    if number < 1:
        raise ValueError(f"plan years count from 1, not {number}")
    start = accepted_on if number == 1 else years_end(accepted_on, number - 1) + timedelta(days=1)
    end = years_end(accepted_on, number)
    return PlanYear(number, start, end, end + timedelta(days=PERIODIC_REPORT_WITHIN_DAYS))


def plan_year_number(accepted_on: date, day: date) -> int | None:
    """Which plan year `day` falls in; None before the plan was accepted."""
    if day < accepted_on:
        return None
    number = max(1, day.year - accepted_on.year)
    while plan_year(accepted_on, number).end < day:
        number += 1
    while number > 1 and plan_year(accepted_on, number).start > day:
        number -= 1
    return number


def plan_years(accepted_on: date, today: date) -> list[PlanYear]:
    """Every plan year begun by `today`, the first first; empty before the plan was accepted."""
    current = plan_year_number(accepted_on, today)
    return [] if current is None else [plan_year(accepted_on, n) for n in range(1, current + 1)]


def retention_until(last_treatment: date) -> date:
    """The last day a treated patient's records must be kept: 10 years after the last
    treatment under a plan (the period starts the next day and ends on the same calendar day)."""
    return add_years(last_treatment, RETENTION_YEARS)


def retained(last_treatment: date | None, today: date) -> bool:
    return last_treatment is not None and today <= retention_until(last_treatment)


# --- Proportions and medians -------------------------------------------------------------


@dataclass(frozen=True)
class Proportion:
    """k of n, with the Wilson score 95 % interval."""

    count: int
    total: int

    @property
    def share(self) -> float | None:
        return None if self.total == 0 else self.count / self.total

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.count, self.total)


def wilson_interval(successes: int, total: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval for a proportion (Wilson 1927), as shares 0-1.

    Unlike the textbook p ± z·SE it stays inside 0-1 and is usable for small groups and for 0
    or n successes. None when there is nothing to estimate (total 0).
    """
    if total < 0 or not 0 <= successes <= total:
        raise ValueError(f"{successes} of {total} is not a proportion")
    if total == 0:
        return None
    p = successes / total
    z2 = z * z
    denominator = 1 + z2 / total
    centre = (p + z2 / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z2 / (4 * total * total)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def median(values: Iterable[float | None]) -> float | None:
    """The median of the values present; None when there are none."""
    present = [value for value in values if value is not None]
    return statistics.median(present) if present else None


# --- The periodic report -----------------------------------------------------------------

GOAL_STATUSES = ("met", "improved", "not_met", "no_data")


@dataclass(frozen=True)
class TreatedInjection:
    patient: int  # any id that tells patients apart
    day: date


@dataclass(frozen=True)
class EventRecord:
    seriousness: str
    outcome: str


@dataclass(frozen=True)
class Review:
    """One patient's course at its review date: the responder verdict (None: not enough data)
    and the attainment of each goal ("met", "improved", "not_met", "no_data")."""

    patient: int
    responder: bool | None
    goal_statuses: tuple[str, ...] = ()

    @property
    def has_verdict(self) -> bool:
        judged = {"met", "improved", "not_met"}
        return self.responder is not None or any(s in judged for s in self.goal_statuses)


@dataclass(frozen=True)
class PeriodicCounts:
    patients_treated: int
    injections_given: int
    events: int
    serious_events: int
    # (seriousness, outcome) -> number of events; every seriousness and outcome given appears
    events_by: dict[tuple[str, str], int]
    follow_up: Proportion  # treated patients with a review verdict
    responders: int
    non_responders: int
    responder_no_data: int
    goals: dict[str, int] = field(default_factory=dict)  # status -> number of goals

    def by_seriousness(self, seriousness: str) -> int:
        return sum(n for (s, _o), n in self.events_by.items() if s == seriousness)

    def by_outcome(self, outcome: str) -> int:
        return sum(n for (_s, o), n in self.events_by.items() if o == outcome)


def periodic_counts(
    injections: Iterable[TreatedInjection],
    events: Iterable[EventRecord],
    reviews: Iterable[Review],
    *,
    outcomes: Sequence[str] = (),
) -> PeriodicCounts:
    """The figures of one plan year's periodic report.

    `injections` are the plan's injections in the year, `events` the adverse events under the
    plan with their onset in the year, `reviews` the reviewed courses of the treated patients
    (one per patient; a review of someone not treated in the year is ignored).
    """
    injections = list(injections)
    treated = {i.patient for i in injections}
    events = list(events)
    table = {(s, o): 0 for s in SERIOUSNESS for o in outcomes}
    for event in events:
        is_serious(event.seriousness)  # validates
        key = (event.seriousness, event.outcome)
        table[key] = table.get(key, 0) + 1
    by_patient: dict[int, Review] = {}
    for review in reviews:
        if review.patient in treated:
            if review.patient in by_patient:
                raise ValueError(f"two reviews for patient {review.patient}")
            by_patient[review.patient] = review
    goals = Counter(s for r in by_patient.values() for s in r.goal_statuses)
    if unknown := set(goals) - set(GOAL_STATUSES):
        raise ValueError(f"unknown goal status {sorted(unknown)}")
    verdicts = [r.responder for r in by_patient.values()]
    return PeriodicCounts(
        patients_treated=len(treated),
        injections_given=len(injections),
        events=len(events),
        serious_events=sum(1 for e in events if e.seriousness != NOT_SERIOUS),
        events_by=table,
        follow_up=Proportion(sum(1 for r in by_patient.values() if r.has_verdict), len(treated)),
        responders=verdicts.count(True),
        non_responders=verdicts.count(False),
        responder_no_data=verdicts.count(None),
        goals={status: goals.get(status, 0) for status in GOAL_STATUSES},
    )


# --- What works in our clinic ------------------------------------------------------------


@dataclass(frozen=True)
class GroupReview:
    """A reviewed course for the clinic's figures: its group (an agent or a joint), the
    responder verdict, the goals, the change in pain (NRS 0-10, follow-up minus baseline:
    negative is better) and whether the patient still logged in the week up to the review."""

    group: str
    patient: int
    responder: bool | None
    goal_statuses: tuple[str, ...] = ()
    pain_change: float | None = None
    logging_at_review: bool = False


@dataclass(frozen=True)
class GroupInjection:
    group: str
    patient: int
    flag_codes: tuple[str, ...] = ()  # the red flags raised after it, before the next one


@dataclass(frozen=True)
class GroupFigures:
    group: str
    patients_reviewed: int
    responders: Proportion  # of the reviewed patients with a verdict
    responder_no_data: int
    goals: dict[str, int]
    median_pain_change: float | None
    pain_changes: int  # how many patients the median is of
    logging: Proportion  # of the reviewed patients
    injections: int
    injected_patients: int
    flags_by_code: dict[str, int]

    @property
    def too_few_reviewed(self) -> bool:
        return self.patients_reviewed < MIN_GROUP_PATIENTS

    @property
    def too_few_injected(self) -> bool:
        return self.injected_patients < MIN_GROUP_PATIENTS

    def flags_per_100(self, code: str | None = None) -> float | None:
        """Red flags (of one code, or all) per 100 injections; None without injections."""
        if self.injections == 0:
            return None
        count = sum(self.flags_by_code.values()) if code is None else self.flags_by_code[code]
        return count * PER_INJECTIONS / self.injections


def group_figures(
    reviews: Iterable[GroupReview],
    injections: Iterable[GroupInjection],
    *,
    groups: Sequence[str],
    flag_codes: Sequence[str],
) -> list[GroupFigures]:
    """One row of figures per group, in the order of `groups` (groups with no data included)."""
    reviews, injections = list(reviews), list(injections)
    rows = []
    for group in groups:
        mine = [r for r in reviews if r.group == group]
        if len({r.patient for r in mine}) != len(mine):
            raise ValueError(f"a patient reviewed twice in group {group!r}")
        given = [i for i in injections if i.group == group]
        verdicts = [r.responder for r in mine]
        goals = Counter(s for r in mine for s in r.goal_statuses)
        codes = Counter(code for i in given for code in i.flag_codes)
        if unknown := set(codes) - set(flag_codes):
            raise ValueError(f"unknown flag code {sorted(unknown)}")
        changes = [r.pain_change for r in mine if r.pain_change is not None]
        rows.append(
            GroupFigures(
                group=group,
                patients_reviewed=len(mine),
                responders=Proportion(verdicts.count(True), sum(v is not None for v in verdicts)),
                responder_no_data=verdicts.count(None),
                goals={status: goals.get(status, 0) for status in GOAL_STATUSES},
                median_pain_change=median(changes),
                pain_changes=len(changes),
                logging=Proportion(sum(r.logging_at_review for r in mine), len(mine)),
                injections=len(given),
                injected_patients=len({i.patient for i in given}),
                flags_by_code={code: codes.get(code, 0) for code in flag_codes},
            )
        )
    return rows
