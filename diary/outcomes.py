"""Outcomes: did the injection help?

Pure functions (standard library only, no Django) behind the two answers a clinician looks for
at the review visit:

* **Goal attainment** - was the goal agreed with the patient reached by its review date?
* **Responder** - did the patient respond by the OMERACT-OARSI criteria (Pham et al. 2004)?

The responder is judged against the course, not the latest injection: a course is the run of
injections numbered 1...n, and its baseline is the week before the first of them. Scores for the
responder criteria are on 0-100 scales where higher is worse. Missing data gives "not enough data"
(``None`` / ``"no_data"``), never a guess.
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, NamedTuple, Protocol, TypeVar

# OMERACT-OARSI responder criteria (Pham et al., Osteoarthritis Cartilage 2004;12:389-99).
HIGH_RELATIVE = 0.5  # responder if pain or function improves by at least 50 % ...
HIGH_ABSOLUTE = 20  # ... and by at least 20 points;
LOW_RELATIVE = 0.2  # otherwise responder if a domain improves by at least 20 % ...
LOW_ABSOLUTE = 10  # ... and by at least 10 points ...
LOW_DOMAINS_NEEDED = 2  # ... in at least two of pain, function and patient global.

DOMAINS = ("pain", "function", "global")
SCALE_MIN = 0.0  # best possible score on the 0-100 scales (no pain, no difficulty)
SCALE_MAX = 100.0  # worst possible score
NRS_MAX = 10  # top of the 0-10 rating scales (pain, PSFS ability, patient global)

WINDOW_DAYS = 7  # baseline and follow-up are each the mean of a 7-day window
MIN_DAYS_IN_WINDOW = 3  # daily measures: fewer diary days than this is "not enough data"
MIN_WEEKLY_RATINGS_IN_WINDOW = 1  # weekly measures (ability goals, patient global)

# "Improved": moved toward the target by at least this many points, by the measure's scale.
IMPROVED_MIN_CHANGE_0_10 = 2  # the PSFS minimal detectable change, on 0-10 (pain, abilities)
IMPROVED_MIN_CHANGE_0_3 = 1  # one whole step on 0-3 (swelling, warmth: e.g. moderate -> mild)
SWELLING_WARMTH_MAX = 3  # top of the 0-3 diary scales
MEASURES_0_3 = ("swelling", "warmth")  # diary measures rated 0-3; every other one is 0-10

# Averages carry floating-point noise (0.1 + 0.2 != 0.3). A difference smaller than this is
# treated as none, so that a result exactly on a threshold counts as reaching it.
TOLERANCE = 1e-9

Pair = tuple[float | None, float | None]  # (baseline, follow-up)
AttainmentStatus = Literal["met", "improved", "not_met", "in_progress", "no_data"]
BaselineSource = Literal["diary", "recorded"]


# --- Courses ------------------------------------------------------------------------------


class CourseInjection(Protocol):
    """What the course rule needs of an injection: its number in the course (1, 2, ...)."""

    course_number: int


InjectionT = TypeVar("InjectionT", bound=CourseInjection)


def first_injection_of_course(
    injections: Sequence[InjectionT], injection: InjectionT
) -> InjectionT:
    """The injection that started the course ``injection`` belongs to.

    ``injections`` are the patient's injections in the order they were given, oldest first, and
    include ``injection``. A course is the run of injections numbered 1...n, so a goal reviewed
    after the 4th injection is judged against the week before the 1st: walking back from
    ``injection``, the course starts at the nearest one numbered 1. When number 1 was never
    recorded (the patient joined the diary mid-course), the run is broken where the number
    stops going down - a number at or above the later one belongs to an earlier course - and
    the earliest injection of the unbroken run is taken; gaps in the numbering (1, 3) are
    forgiven, since a missing record is likelier than a new course.
    """
    position = list(injections).index(injection)
    while (
        injections[position].course_number > 1
        and position > 0
        and injections[position - 1].course_number < injections[position].course_number
    ):
        position -= 1
    return injections[position]


# --- Scales -------------------------------------------------------------------------------


def nrs_to_100(value: float) -> float:
    """A 0-10 numeric rating (pain, patient global; 10 = worst) on the 0-100 scale."""
    _check_range("rating", value, 0, NRS_MAX)
    return value * 10


def ability_to_difficulty(rating: float) -> float:
    """A PSFS ability rating (0 = cannot do it, 10 = as before) as difficulty on 0-100.

    The scale is turned round so that, like pain, higher is worse: 10 -> 0, 0 -> 100.
    """
    _check_range("ability rating", rating, 0, NRS_MAX)
    return (NRS_MAX - rating) * 10


def mean_or_none(values: Iterable[float | None], *, min_count: int = 1) -> float | None:
    """The mean of the values given, ignoring blanks; None if fewer than ``min_count`` remain."""
    present = [value for value in values if value is not None]
    if not present or len(present) < min_count:
        return None
    return math.fsum(present) / len(present)


# --- Windows ------------------------------------------------------------------------------


class Window(NamedTuple):
    """A run of calendar days, both ends included."""

    first: date
    last: date


def baseline_window(first_injection_day: date) -> Window:
    """The 7 days before the course's first injection; the injection day itself is not part of
    it (that day's entry may already have been written after the injection)."""
    return Window(
        first_injection_day - timedelta(days=WINDOW_DAYS),
        first_injection_day - timedelta(days=1),
    )


def follow_up_window(review_day: date) -> Window:
    """The 7 days ending on the review date, the review date included."""
    return Window(review_day - timedelta(days=WINDOW_DAYS - 1), review_day)


def window_mean(
    values_by_day: Mapping[date, float | None],
    window: tuple[date, date],
    *,
    min_days: int = MIN_DAYS_IN_WINDOW,
) -> float | None:
    """Mean of the days in the window that have a value; None if fewer than ``min_days`` do.

    Use ``min_days=MIN_WEEKLY_RATINGS_IN_WINDOW`` for measures the patient rates weekly.
    """
    first, last = window
    in_window = (value for day, value in values_by_day.items() if first <= day <= last)
    return mean_or_none(in_window, min_count=min_days)


class Baseline(NamedTuple):
    """A baseline score and where it came from: the diary's week, or the value recorded with
    the course's first injection. Both None when neither exists."""

    value: float | None
    source: BaselineSource | None


def baseline(
    values_by_day: Mapping[date, float | None],
    first_injection_day: date,
    *,
    recorded: float | None = None,
    min_days: int = MIN_DAYS_IN_WINDOW,
) -> Baseline:
    """Baseline for one measure: the diary's mean over the 7 days before the course's first
    injection.

    When the diary has fewer than ``min_days`` there, the value the clinician recorded with
    that first injection is used instead - the patient's own week beats a single value asked
    in the consulting room, and a recorded value beats none. ``recorded`` must be on the same
    scale as the diary values.
    """
    window = baseline_window(first_injection_day)
    diary_mean = window_mean(values_by_day, window, min_days=min_days)
    if diary_mean is not None:
        return Baseline(diary_mean, "diary")
    if recorded is not None:
        return Baseline(float(recorded), "recorded")
    return Baseline(None, None)


def baseline_score(
    values_by_day: Mapping[date, float | None],
    first_injection_day: date,
    *,
    recorded: float | None = None,
    min_days: int = MIN_DAYS_IN_WINDOW,
) -> float | None:
    """The value of ``baseline``: the diary's week before the course, else the recorded value."""
    return baseline(values_by_day, first_injection_day, recorded=recorded, min_days=min_days).value


def follow_up_score(
    values_by_day: Mapping[date, float | None],
    review_day: date,
    *,
    min_days: int = MIN_DAYS_IN_WINDOW,
) -> float | None:
    """Follow-up for one measure: the mean of the 7 days ending on the review date."""
    return window_mean(values_by_day, follow_up_window(review_day), min_days=min_days)


# --- Responder ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ResponderResult:
    """The responder verdict and the domains (pain, function, global) lacking data.

    ``responder`` is None when the missing data could change the verdict. The missing domains
    are listed whatever the verdict, so a report can say what was not measured.
    """

    responder: bool | None
    missing: tuple[str, ...]  # any part missing
    missing_baseline: tuple[str, ...]  # no score before the injection
    missing_follow_up: tuple[str, ...]  # no score around the review date


def oarsi_responder(
    pain: Pair | None = None, function: Pair | None = None, global_: Pair | None = None
) -> bool | None:
    """OMERACT-OARSI responder from (baseline, follow-up) pairs on 0-100 scales, higher = worse.

    Responder if pain or function improves by at least 50 % and 20 points; otherwise if at
    least two of pain, function and patient global improve by at least 20 % and 10 points.
    A domain is missing when it is None or either of its values is None.

    True: the domains given meet the criteria. False: they could not be met even if every
    missing value were the most favourable possible (baseline 100, follow-up 0). None: the
    missing data decides - not enough data.
    """
    pairs = {"pain": pain, "function": function, "global": global_}
    for name, pair in pairs.items():
        _check_pair(name, pair)
    measured = {name: pair if _complete(pair) else None for name, pair in pairs.items()}
    if _criteria_met(measured):
        return True
    best_case = {name: _best_case(pair) for name, pair in pairs.items()}
    if not _criteria_met(best_case):
        return False
    return None


def responder_verdict(
    pain: Pair | None = None, function: Pair | None = None, global_: Pair | None = None
) -> ResponderResult:
    """``oarsi_responder`` together with the domains whose baseline or follow-up is missing."""
    pairs = {"pain": pain, "function": function, "global": global_}
    responder = oarsi_responder(pain=pain, function=function, global_=global_)
    no_baseline = tuple(name for name in DOMAINS if pairs[name] is None or pairs[name][0] is None)
    no_follow_up = tuple(name for name in DOMAINS if pairs[name] is None or pairs[name][1] is None)
    missing = tuple(name for name in DOMAINS if name in no_baseline or name in no_follow_up)
    return ResponderResult(responder, missing, no_baseline, no_follow_up)


def _improved(baseline: float, follow_up: float, relative: float, absolute: float) -> bool:
    """Did the score fall by at least ``absolute`` points and ``relative`` share of baseline?"""
    if baseline <= SCALE_MIN:
        return False  # nothing to improve on
    improvement = baseline - follow_up
    return improvement >= absolute - TOLERANCE and improvement >= relative * baseline - TOLERANCE


def _criteria_met(pairs: Mapping[str, tuple[float, float] | None]) -> bool:
    """The published criteria, counting only the domains that have a pair."""
    high = low = 0
    for name, pair in pairs.items():
        if pair is None:
            continue
        if name != "global" and _improved(*pair, HIGH_RELATIVE, HIGH_ABSOLUTE):
            high += 1  # the high criterion is for pain or function only
        if _improved(*pair, LOW_RELATIVE, LOW_ABSOLUTE):
            low += 1
    return high >= 1 or low >= LOW_DOMAINS_NEEDED


def _complete(pair: Pair | None) -> bool:
    return pair is not None and pair[0] is not None and pair[1] is not None


def _best_case(pair: Pair | None) -> tuple[float, float]:
    """Fill the gaps with the most favourable values: worst start, full recovery."""
    baseline, follow_up = pair if pair is not None else (None, None)
    return (
        SCALE_MAX if baseline is None else baseline,
        SCALE_MIN if follow_up is None else follow_up,
    )


def _check_pair(name: str, pair: Pair | None) -> None:
    if pair is None:
        return
    if not isinstance(pair, tuple) or len(pair) != 2:
        raise ValueError(f"{name}: expected (baseline, follow_up), got {pair!r}")
    for value in pair:
        if value is not None:
            _check_range(name, value, SCALE_MIN, SCALE_MAX)


def _check_range(name: str, value: float, low: float, high: float) -> None:
    # "not low <= value <= high" also rejects NaN.
    if not low <= value <= high:
        raise ValueError(f"{name}: {value!r} is outside {low:g}-{high:g}")


# --- Goal attainment ----------------------------------------------------------------------


def measure_scale_max(measure: str | None) -> int:
    """Top of the scale a goal is rated on: 3 for swelling and warmth, 10 for the rest (pain,
    night pain, and the PSFS ability ratings, which have no diary measure)."""
    return SWELLING_WARMTH_MAX if measure in MEASURES_0_3 else NRS_MAX


def improved_min_change(scale_max: int) -> int:
    """Points a goal must move toward its target to count as ``improved`` on this scale."""
    if scale_max == NRS_MAX:
        return IMPROVED_MIN_CHANGE_0_10
    if scale_max == SWELLING_WARMTH_MAX:
        return IMPROVED_MIN_CHANGE_0_3
    raise ValueError(f"No 'improved' threshold for a 0-{scale_max} scale")


@dataclass(frozen=True)
class Attainment:
    """Where a goal stands: ``status`` and ``progress``, the share of the way from baseline to
    target (0 = no better than baseline, 1 = target reached; None when unknown)."""

    status: AttainmentStatus
    progress: float | None


def goal_attainment(
    *,
    baseline: float,
    target: float,
    current: float | None,
    review_date: date,
    on: date,
    higher_is_better: bool | None = None,
    scale_max: int = NRS_MAX,
) -> Attainment:
    """Judge a goal on day ``on`` against its agreed review date.

    Direction comes from baseline and target: an ability goal (PSFS 0-10) aims up, a symptom
    goal such as "night pain at most 3" aims down. Pass ``higher_is_better`` when it is known
    (needed when baseline equals target). From the review date on the goal is ``met`` (target
    reached or passed), ``improved`` (not reached, but at least 2 points toward the target on a
    0-10 scale, or 1 point on a 0-3 scale such as swelling - pass ``scale_max=3``) or
    ``not_met``; before it, ``in_progress``. ``no_data`` when there is no current value.
    """
    min_change = improved_min_change(scale_max)
    if current is None:
        return Attainment("no_data", None)
    if higher_is_better is None and target == baseline:
        reached = abs(current - target) <= TOLERANCE  # direction unknown: only the target counts
        return _judged(reached, 1.0 if reached else 0.0, False, on < review_date)
    if higher_is_better is None:
        higher_is_better = target > baseline
    sign = 1 if higher_is_better else -1
    reached = sign * (current - target) >= -TOLERANCE
    needed = sign * (target - baseline)
    if needed <= 0:
        # Baseline already at or past the target: a "keep it there" goal, reached or not.
        return _judged(reached, 1.0 if reached else 0.0, False, on < review_date)
    moved = sign * (current - baseline)
    progress = 1.0 if reached else min(1.0, max(0.0, moved / needed))
    improved = moved >= min_change - TOLERANCE
    return _judged(reached, progress, improved, on < review_date)


def _judged(reached: bool, progress: float, improved: bool, before_review: bool) -> Attainment:
    if before_review:
        return Attainment("in_progress", progress)
    if reached:
        return Attainment("met", 1.0)
    return Attainment("improved" if improved else "not_met", progress)
