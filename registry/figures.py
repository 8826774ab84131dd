"""Reads for the clinic's figures: every reviewed course of many patients in a fixed number of
queries, and the red flags after each injection.

The verdicts are those of the patient page: the same functions of diary/progress.py judge each
course (goal attainment and the OMERACT-OARSI responder at the review date); only the reading
is done for many patients at once, so the number of queries does not grow with the clinic.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import F, QuerySet

from diary import outcomes
from diary.models import DiaryEntry, Flag, GlobalRating, Goal, GoalRating, Injection, Severity
from diary.progress import GoalProgress, Responder, course_responder, goal_injection, goal_progress

# The codes the rules raise as warning signs (urgent or caution); "info" findings are not.
RED_FLAG_SEVERITIES = (Severity.URGENT, Severity.CAUTION)


@dataclass(frozen=True)
class CourseReview:
    """One course of one patient, judged at its review date."""

    patient_id: int
    injection: Injection  # the injection the goals were agreed for
    course_start: Injection  # the first injection of its course (the baseline is before it)
    review_date: date
    goals: tuple[GoalProgress, ...]
    responder: Responder
    logging_at_review: bool  # an entry in the 7 days up to the review date

    @property
    def responder_verdict(self) -> bool | None:
        return self.responder.result.responder

    @property
    def goal_statuses(self) -> tuple[str, ...]:
        return tuple(g.attainment.status for g in self.goals)

    @property
    def pain_change(self) -> float | None:
        """Follow-up minus baseline on the NRS 0-10 (negative: less pain)."""
        before, after = self.responder.pain_baseline, self.responder.pain_follow_up
        return None if before is None or after is None else after - before


def course_reviews(
    patients: QuerySet, *, today: date, reviewed_from: date | None = None, reviewed_to: date
) -> list[CourseReview]:
    """Every course of these patients whose review date is in [reviewed_from, reviewed_to] and
    not after `today`, oldest review first. Five queries, however many patients."""
    reviewed_to = min(reviewed_to, today)
    goals = list(Goal.objects.filter(patient__in=patients).order_by("patient_id", "pk"))
    if not goals:
        return []
    with_goals = Goal.objects.filter(patient__in=patients).values("patient_id")
    injections: dict[int, list[Injection]] = defaultdict(list)
    for injection in Injection.objects.filter(patient__in=with_goals).order_by(
        "patient_id", "day", F("time").asc(nulls_first=True), "pk"
    ):
        injections[injection.patient_id].append(injection)
    entries: dict[int, list[DiaryEntry]] = defaultdict(list)
    for entry in DiaryEntry.objects.filter(patient__in=with_goals).only(
        "patient_id", "day", "pain", "night_pain", "swelling", "warmth"
    ):
        entries[entry.patient_id].append(entry)
    ratings: dict[int, dict[date, int]] = defaultdict(dict)
    for goal_id, day, value in GoalRating.objects.filter(goal__patient__in=patients).values_list(
        "goal_id", "day", "value"
    ):
        ratings[goal_id][day] = value
    overall: dict[int, dict[date, int]] = defaultdict(dict)
    for patient_id, day, value in GlobalRating.objects.filter(patient__in=with_goals).values_list(
        "patient_id", "day", "value"
    ):
        overall[patient_id][day] = value
    goals_of: dict[int, list[Goal]] = defaultdict(list)
    for goal in goals:
        goals_of[goal.patient_id].append(goal)
    reviews = []
    for patient_id, patient_goals in goals_of.items():
        reviews += _patient_reviews(
            patient_id,
            patient_goals,
            injections[patient_id],
            entries[patient_id],
            ratings,
            overall[patient_id],
            today=today,
            reviewed_from=reviewed_from,
            reviewed_to=reviewed_to,
        )
    return sorted(reviews, key=lambda r: (r.review_date, r.patient_id))


def _patient_reviews(
    patient_id, goals, injections, entries, ratings, overall, *, today, reviewed_from, reviewed_to
) -> list[CourseReview]:
    """The courses of one patient, grouped as progress.course_outcome groups them."""
    courses: dict[int, list[Goal]] = defaultdict(list)
    injection_of = {}
    start_of: dict[int, Injection] = {}
    for goal in goals:
        injection = goal_injection(goal, injections)
        if injection is None:
            continue  # a goal with no treatment before its review date judges nothing
        start = outcomes.first_injection_of_course(injections, injection)
        injection_of[goal.pk] = injection
        start_of[start.pk] = start
        courses[start.pk].append(goal)
    days = sorted(e.day for e in entries)
    reviews = []
    for start_pk, course_goals in courses.items():
        review_date = max(g.review_date for g in course_goals)
        if review_date > reviewed_to or (reviewed_from and review_date < reviewed_from):
            continue
        latest = max(course_goals, key=lambda g: (g.review_date, g.pk))
        window = outcomes.follow_up_window(review_date)
        at = bisect.bisect_left(days, window.first)
        reviews.append(
            CourseReview(
                patient_id=patient_id,
                injection=injection_of[latest.pk],
                course_start=start_of[start_pk],
                review_date=review_date,
                goals=tuple(
                    goal_progress(g, entries, ratings.get(g.pk, {}), today) for g in course_goals
                ),
                responder=course_responder(
                    start_of[start_pk],
                    review_date,
                    entries,
                    course_goals,
                    {g.pk: ratings.get(g.pk, {}) for g in course_goals},
                    overall,
                ),
                logging_at_review=at < len(days) and days[at] <= window.last,
            )
        )
    return reviews


def latest_per_patient(reviews: Iterable[CourseReview]) -> list[CourseReview]:
    """Each patient's latest reviewed course: a patient counts once in the clinic's figures."""
    latest: dict[int, CourseReview] = {}
    for review in reviews:
        kept = latest.get(review.patient_id)
        if kept is None or review.review_date >= kept.review_date:
            latest[review.patient_id] = review
    return sorted(latest.values(), key=lambda r: (r.review_date, r.patient_id))


@dataclass(frozen=True)
class InjectionFlags:
    """An injection given in the period and the red flags that came after it."""

    injection_id: int
    patient_id: int
    day: date
    agent: str
    joint: str
    flag_codes: tuple[str, ...]


def injections_with_flags(patients: QuerySet, *, start: date, end: date) -> list[InjectionFlags]:
    """The injections given in [start, end] with the red flags (urgent or caution, not
    withdrawn) first raised on or after each and before the patient's next injection. Two
    queries, however many patients."""
    by_patient: dict[int, list[tuple]] = defaultdict(list)
    for row in (
        Injection.objects.filter(patient__in=patients, day__lte=end)
        .order_by("patient_id", "day", F("time").asc(nulls_first=True), "pk")
        .values_list("pk", "patient_id", "day", "agent", "joint")
    ):
        by_patient[row[1]].append(row)
    codes: dict[int, list[str]] = defaultdict(list)
    flags = (
        Flag.objects.filter(
            patient__in=patients, first_day__gte=start, severity__in=RED_FLAG_SEVERITIES
        )
        .exclude(status=Flag.Status.WITHDRAWN)
        .values_list("patient_id", "first_day", "code")
    )
    for patient_id, first_day, code in flags:
        given = by_patient.get(patient_id, [])
        # The latest injection on or before the flag's first day (the one it is "day N" of).
        index = bisect.bisect_right([row[2] for row in given], first_day) - 1
        if index >= 0:
            codes[given[index][0]].append(code)
    return [
        InjectionFlags(pk, patient_id, day, agent, joint, tuple(sorted(codes.get(pk, ()))))
        for rows in by_patient.values()
        for pk, patient_id, day, agent, joint in rows
        if start <= day <= end
    ]
