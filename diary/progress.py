"""Reads for goals and "did it work?": each goal's attainment and the OMERACT-OARSI responder.

Gathers the plain values from the database and hands them to the pure functions of
diary/outcomes.py; the judgement itself lives there.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from accounts.models import User
from diary import outcomes
from diary.models import DiaryEntry, GlobalRating, Goal, GoalKind, GoalRating, Injection

RATING_INTERVAL_DAYS = 7  # ability goals and the overall rating are asked weekly


@dataclass(frozen=True)
class GoalProgress:
    goal: Goal
    current: float | None
    attainment: outcomes.Attainment
    ratings: tuple[tuple[date, int], ...]

    @property
    def percent(self) -> int | None:
        progress = self.attainment.progress
        return None if progress is None else round(progress * 100)


@dataclass(frozen=True)
class Responder:
    result: outcomes.ResponderResult
    pain_baseline: float | None  # NRS 0–10 means, for the summary
    pain_follow_up: float | None


@dataclass(frozen=True)
class CourseOutcome:
    """The goals of one injection course and, from the review date on, the verdict."""

    injection: Injection | None
    review_date: date
    today: date
    goals: list[GoalProgress] = field(default_factory=list)
    responder: Responder | None = None

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


def _course_goals(patient: User) -> list[Goal]:
    """The goals of the latest course: those sharing the latest review date's injection."""
    goals = list(Goal.objects.filter(patient=patient).select_related("injection"))
    if not goals:
        return []
    latest = max(goals, key=lambda g: (g.review_date, g.pk))
    return [g for g in goals if g.injection_id == latest.injection_id]


def course_outcome(patient: User, today: date) -> CourseOutcome | None:
    goals = _course_goals(patient)
    if not goals:
        return None
    review_date = max(g.review_date for g in goals)
    injection = goals[0].injection or (
        Injection.objects.filter(patient=patient, day__lte=review_date).order_by("-day").first()
    )
    entries = list(
        DiaryEntry.objects.filter(patient=patient).only(
            "day", "pain", "night_pain", "swelling", "warmth"
        )
    )
    ratings: dict[int, dict[date, int]] = defaultdict(dict)
    for rating in GoalRating.objects.filter(goal__in=goals):
        ratings[rating.goal_id][rating.day] = rating.value
    progress = [_goal_progress(goal, entries, ratings[goal.pk], today) for goal in goals]
    outcome = CourseOutcome(injection, review_date, today, progress)
    if outcome.reviewed and injection is not None:
        global_ratings = dict(
            GlobalRating.objects.filter(patient=patient).values_list("day", "value")
        )
        outcome = CourseOutcome(
            injection,
            review_date,
            today,
            progress,
            _responder(injection.day, review_date, entries, goals, ratings, global_ratings),
        )
    return outcome


def _goal_progress(goal: Goal, entries, ratings: dict[date, int], today: date) -> GoalProgress:
    judged_on = min(today, goal.review_date)
    if goal.kind == GoalKind.ABILITY:
        if today >= goal.review_date:
            current = outcomes.follow_up_score(
                ratings, goal.review_date, min_days=outcomes.MIN_WEEKLY_RATINGS_IN_WINDOW
            )
        else:
            earlier = [day for day in ratings if day <= judged_on]
            current = float(ratings[max(earlier)]) if earlier else None
    else:
        current = outcomes.follow_up_score(_by_day(entries, goal.measure), judged_on)
    attainment = outcomes.goal_attainment(
        baseline=float(goal.baseline),
        target=float(goal.target),
        current=current,
        review_date=goal.review_date,
        on=today,
        higher_is_better=goal.higher_is_better,
    )
    return GoalProgress(goal, current, attainment, tuple(sorted(ratings.items())))


def _responder(injection_day, review_date, entries, goals, ratings, global_ratings) -> Responder:
    pain = {day: outcomes.nrs_to_100(v) for day, v in _by_day(entries, "pain").items()}
    pain_pair = (
        outcomes.baseline_score(pain, injection_day),
        outcomes.follow_up_score(pain, review_date),
    )
    weekly = outcomes.MIN_WEEKLY_RATINGS_IN_WINDOW
    ability = [g for g in goals if g.kind == GoalKind.ABILITY]
    function_pair = None
    if ability:
        follow_ups = [
            outcomes.follow_up_score(ratings[g.pk], review_date, min_days=weekly) for g in ability
        ]
        # Every ability goal needs its follow-up rating: averaging a subset would be a guess.
        function_pair = (
            outcomes.mean_or_none(
                outcomes.ability_to_difficulty(float(g.baseline)) for g in ability
            ),
            None
            if any(v is None for v in follow_ups)
            else outcomes.mean_or_none(outcomes.ability_to_difficulty(v) for v in follow_ups),
        )
    global_100 = {day: outcomes.nrs_to_100(v) for day, v in global_ratings.items()}
    global_pair = (
        outcomes.baseline_score(global_100, injection_day, min_days=weekly),
        outcomes.follow_up_score(global_100, review_date, min_days=weekly),
    )
    result = outcomes.responder_verdict(pain=pain_pair, function=function_pair, global_=global_pair)
    return Responder(result, _to_nrs(pain_pair[0]), _to_nrs(pain_pair[1]))


def _to_nrs(score_100: float | None) -> float | None:
    return None if score_100 is None else score_100 / 10


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
