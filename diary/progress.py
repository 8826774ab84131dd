"""Reads for goals and "did it work?": each goal's attainment and the OMERACT-OARSI responder.

Gathers the plain values from the database and hands them to the pure functions of
diary/outcomes.py; the judgement itself lives there. A course's verdict is judged against the
week before the course's first injection, however many injections followed it: that is the
patient's state before the treatment the goals were agreed for.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import F

from accounts.models import User
from diary import outcomes
from diary.models import DiaryEntry, GlobalRating, Goal, GoalKind, GoalRating, Injection

RATING_INTERVAL_DAYS = 7  # ability goals and the overall rating are asked weekly

# What a verdict of "not enough data" lacks, so that the page can say it in words
# (templates/diary/_outcome.html). Each comes with the days the data was needed for.
PAIN_BEFORE = "pain_before"  # < 3 diary days before the first injection, no pain recorded with it
PAIN_AT_REVIEW = "pain_at_review"  # < 3 diary days in the week up to the review date
NO_ABILITY_GOALS = "no_ability_goals"  # function is measured by ability goals; none was agreed
ABILITY_AT_REVIEW = "ability_at_review"  # an ability goal not rated in the week up to the review
OVERALL_NEVER = "overall_never"  # no "how is your joint overall?" rating at all
OVERALL_BEFORE = "overall_before"  # none in the week before the first injection
OVERALL_AT_REVIEW = "overall_at_review"  # none in the week up to the review date


@dataclass(frozen=True)
class MissingData:
    """One piece of data the verdict lacks, with the days it was needed for."""

    kind: str
    window: outcomes.Window | None = None
    goals: tuple[Goal, ...] = ()  # ABILITY_AT_REVIEW: the goals not rated


@dataclass(frozen=True)
class GoalProgress:
    goal: Goal
    current: float | None
    attainment: outcomes.Attainment
    ratings: tuple[tuple[date, int], ...]
    # The days `current` is the mean of; None while an ability goal shows its latest rating.
    window: outcomes.Window | None = None

    @property
    def percent(self) -> int | None:
        progress = self.attainment.progress
        return None if progress is None else round(progress * 100)


@dataclass(frozen=True)
class Responder:
    result: outcomes.ResponderResult
    pain_baseline: float | None  # NRS 0–10, for the summary
    pain_follow_up: float | None  # NRS 0–10, the 7-day mean up to the review date
    pain_baseline_source: outcomes.BaselineSource | None  # the diary's week, or recorded
    baseline_window: outcomes.Window  # the week before the course's first injection
    follow_up_window: outcomes.Window  # the week up to the review date
    missing_data: tuple[MissingData, ...] = ()


@dataclass(frozen=True)
class CourseOutcome:
    """The goals of one injection course and, from the review date on, the verdict.

    ``injection`` is the injection the goals were agreed for (or, for goals agreed without
    one, the latest on or before the review date); ``course_start`` is the first injection of
    its course, whose preceding week is the baseline.
    """

    injection: Injection | None
    review_date: date
    today: date
    goals: list[GoalProgress] = field(default_factory=list)
    responder: Responder | None = None
    course_start: Injection | None = None

    @property
    def reviewed(self) -> bool:
        return self.today >= self.review_date

    @property
    def goals_met(self) -> int:
        return sum(1 for g in self.goals if g.attainment.status == "met")

    @property
    def needs_rethink(self) -> bool:
        """Goals not met or not a responder: time to discuss other options."""
        if not self.reviewed:
            return False
        not_met = any(g.attainment.status in ("not_met", "improved") for g in self.goals)
        return not_met or (self.responder is not None and self.responder.result.responder is False)


def _by_day(entries, name: str) -> dict[date, float | None]:
    return {e.day: getattr(e, name) for e in entries}


def injections_in_order(patient: User) -> list[Injection]:
    """The patient's injections in the order they were given, as the course rule reads them."""
    return list(
        Injection.objects.filter(patient=patient).order_by(
            "day", F("time").asc(nulls_first=True), "pk"
        )
    )


def course_start(patient: User, injection: Injection) -> Injection:
    """The first injection of the course ``injection`` belongs to (outcomes' course rule)."""
    return outcomes.first_injection_of_course(injections_in_order(patient), injection)


def course_pain_baseline(
    pain_by_day: Mapping[date, float | None], first_injection: Injection | None
) -> outcomes.Baseline:
    """Worst pain before the course, on the NRS 0–10: the diary's mean of the 7 days before its
    first injection or, with fewer than 3 entries there, the pain the clinician recorded with
    that first injection. Pain recorded with a later injection of the course is not used: it
    was asked after the treatment had begun."""
    if first_injection is None:
        return outcomes.Baseline(None, None)
    return outcomes.baseline(
        pain_by_day, first_injection.day, recorded=first_injection.baseline_pain
    )


def goal_injection(goal: Goal, injections: Sequence[Injection]) -> Injection | None:
    """The injection a goal is judged after: the one it was agreed for or, for a goal agreed
    without one, the latest injection on or before its review date (the treatment the patient
    was having when it fell due)."""
    if goal.injection_id is not None:
        return next((i for i in injections if i.pk == goal.injection_id), None)
    given = [i for i in injections if i.day <= goal.review_date]
    return given[-1] if given else None


def course_outcome(patient: User, today: date) -> CourseOutcome | None:
    """The latest course's goals (those of the goal with the latest review date, and every goal
    of the same course) and, from its review date on, the responder verdict."""
    goals = list(Goal.objects.filter(patient=patient))
    if not goals:
        return None
    injections = injections_in_order(patient)
    injection_of = {goal.pk: goal_injection(goal, injections) for goal in goals}
    start_of = {
        pk: None if injection is None else outcomes.first_injection_of_course(injections, injection)
        for pk, injection in injection_of.items()
    }
    latest = max(goals, key=lambda g: (g.review_date, g.pk))
    injection, start = injection_of[latest.pk], start_of[latest.pk]
    goals = [g for g in goals if start_of[g.pk] == start]
    review_date = max(g.review_date for g in goals)
    entries = list(
        DiaryEntry.objects.filter(patient=patient).only(
            "day", "pain", "night_pain", "swelling", "warmth"
        )
    )
    ratings: dict[int, dict[date, int]] = defaultdict(dict)
    for rating in GoalRating.objects.filter(goal__in=goals):
        ratings[rating.goal_id][rating.day] = rating.value
    progress = [goal_progress(goal, entries, ratings[goal.pk], today) for goal in goals]
    responder = None
    if today >= review_date and start is not None:
        global_ratings = dict(
            GlobalRating.objects.filter(patient=patient).values_list("day", "value")
        )
        responder = course_responder(start, review_date, entries, goals, ratings, global_ratings)
    return CourseOutcome(
        injection=injection,
        review_date=review_date,
        today=today,
        goals=progress,
        responder=responder,
        course_start=start,
    )


def goal_progress(goal: Goal, entries, ratings: dict[date, int], today: date) -> GoalProgress:
    judged_on = min(today, goal.review_date)
    window = None
    if goal.kind == GoalKind.ABILITY:
        scale_max = outcomes.NRS_MAX
        if today >= goal.review_date:
            window = outcomes.follow_up_window(goal.review_date)
            current = outcomes.follow_up_score(
                ratings, goal.review_date, min_days=outcomes.MIN_WEEKLY_RATINGS_IN_WINDOW
            )
        else:
            earlier = [day for day in ratings if day <= judged_on]
            current = float(ratings[max(earlier)]) if earlier else None
    else:
        scale_max = outcomes.measure_scale_max(goal.measure)
        window = outcomes.follow_up_window(judged_on)
        current = outcomes.follow_up_score(_by_day(entries, goal.measure), judged_on)
    attainment = outcomes.goal_attainment(
        baseline=float(goal.baseline),
        target=float(goal.target),
        current=current,
        review_date=goal.review_date,
        on=today,
        higher_is_better=goal.higher_is_better,
        scale_max=scale_max,
    )
    return GoalProgress(goal, current, attainment, tuple(sorted(ratings.items())), window)


def course_responder(
    first_injection: Injection, review_date: date, entries, goals, ratings, global_ratings
) -> Responder:
    before = outcomes.baseline_window(first_injection.day)
    after = outcomes.follow_up_window(review_date)
    pain_nrs = _by_day(entries, "pain")
    pain_before = course_pain_baseline(pain_nrs, first_injection)
    pain_after = outcomes.follow_up_score(pain_nrs, review_date)
    pain_pair = (_to_100(pain_before.value), _to_100(pain_after))
    weekly = outcomes.MIN_WEEKLY_RATINGS_IN_WINDOW
    ability = [g for g in goals if g.kind == GoalKind.ABILITY]
    function_pair = None
    unrated: tuple[Goal, ...] = ()
    if ability:
        follow_ups = {
            g: outcomes.follow_up_score(ratings[g.pk], review_date, min_days=weekly)
            for g in ability
        }
        unrated = tuple(g for g, value in follow_ups.items() if value is None)
        # Every ability goal needs its follow-up rating: averaging a subset would be a guess.
        function_pair = (
            outcomes.mean_or_none(
                outcomes.ability_to_difficulty(float(g.baseline)) for g in ability
            ),
            None
            if unrated
            else outcomes.mean_or_none(
                outcomes.ability_to_difficulty(v) for v in follow_ups.values()
            ),
        )
    global_100 = {day: outcomes.nrs_to_100(v) for day, v in global_ratings.items()}
    global_pair = (
        outcomes.baseline_score(global_100, first_injection.day, min_days=weekly),
        outcomes.follow_up_score(global_100, review_date, min_days=weekly),
    )
    result = outcomes.responder_verdict(pain=pain_pair, function=function_pair, global_=global_pair)
    rated_overall = any(day <= review_date for day in global_ratings)
    missing = _missing_data(
        result,
        before,
        after,
        has_ability=bool(ability),
        unrated=unrated,
        rated_overall=rated_overall,
    )
    return Responder(
        result,
        pain_baseline=pain_before.value,
        pain_follow_up=pain_after,
        pain_baseline_source=pain_before.source,
        baseline_window=before,
        follow_up_window=after,
        missing_data=missing,
    )


def _missing_data(
    result: outcomes.ResponderResult,
    before: outcomes.Window,
    after: outcomes.Window,
    *,
    has_ability: bool,
    unrated: tuple[Goal, ...],
    rated_overall: bool,
) -> tuple[MissingData, ...]:
    """What the verdict lacks, domain by domain, in the order the page lists it."""
    missing: list[MissingData] = []
    if "pain" in result.missing_baseline:
        missing.append(MissingData(PAIN_BEFORE, before))
    if "pain" in result.missing_follow_up:
        missing.append(MissingData(PAIN_AT_REVIEW, after))
    if not has_ability:
        missing.append(MissingData(NO_ABILITY_GOALS))
    elif unrated:
        missing.append(MissingData(ABILITY_AT_REVIEW, after, unrated))
    if not rated_overall:
        missing.append(MissingData(OVERALL_NEVER))
    else:
        if "global" in result.missing_baseline:
            missing.append(MissingData(OVERALL_BEFORE, before))
        if "global" in result.missing_follow_up:
            missing.append(MissingData(OVERALL_AT_REVIEW, after))
    return tuple(missing)


def _to_100(score_nrs: float | None) -> float | None:
    return None if score_nrs is None else outcomes.nrs_to_100(score_nrs)


@dataclass(frozen=True)
class RatingsDue:
    goals: list[Goal]
    overall: bool

    def __bool__(self) -> bool:
        return bool(self.goals) or self.overall


def ratings_due(patient: User, today: date) -> RatingsDue:
    """Ability goals and the overall rating, asked weekly from agreement until the review date."""
    since = today - timedelta(days=RATING_INTERVAL_DAYS - 1)
    active = list(Goal.objects.filter(patient=patient, review_date__gte=today))
    if not active:
        return RatingsDue([], False)
    recently_rated = set(
        GoalRating.objects.filter(goal__in=active, day__gte=since).values_list("goal_id", flat=True)
    )
    goals = [g for g in active if g.kind == GoalKind.ABILITY and g.pk not in recently_rated]
    overall = not GlobalRating.objects.filter(patient=patient, day__gte=since).exists()
    return RatingsDue(goals, overall)
