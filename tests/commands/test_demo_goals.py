"""The demo clinic's goals: together its patients show every verdict the product can give."""

from collections import Counter

import pytest

from accounts.models import User
from diary.demo import GOAL_PLANS, demo_load
from diary.models import MAX_GOALS_PER_COURSE, GlobalRating, Goal, GoalRating
from diary.progress import course_outcome, ratings_due
from tests.factories import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def outcomes(frozen_now):
    demo_load()
    patients = User.objects.filter(role=User.Role.PATIENT).order_by("email")
    return {patient.email: course_outcome(patient, TODAY) for patient in patients}


def statuses(outcomes) -> Counter:
    return Counter(
        progress.attainment.status
        for outcome in outcomes.values()
        if outcome is not None
        for progress in outcome.goals
    )


def verdicts(outcomes) -> Counter:
    """Responder verdicts of the courses past their review date (True, False or None)."""
    return Counter(
        outcome.responder.result.responder
        for outcome in outcomes.values()
        if outcome is not None and outcome.reviewed
    )


def test_the_demo_shows_every_goal_status(outcomes):
    assert {"met", "improved", "not_met", "in_progress"} <= set(statuses(outcomes))


def test_the_demo_shows_every_responder_verdict(outcomes):
    found = verdicts(outcomes)
    assert found[True] >= 1
    assert found[False] >= 1
    assert found[None] >= 1  # not enough data, from a reviewed course


def test_the_not_enough_data_verdict_says_what_is_missing(outcomes):
    unknown = [
        outcome.responder.result
        for outcome in outcomes.values()
        if outcome is not None and outcome.reviewed and outcome.responder.result.responder is None
    ]
    assert unknown
    assert all(result.missing for result in unknown)


def test_goals_are_planned_for_the_patients_named_in_the_plans(outcomes):
    with_goals = {email for email, outcome in outcomes.items() if outcome is not None}
    assert with_goals == set(GOAL_PLANS)


def test_the_first_demo_patient_is_still_working_towards_her_goals(outcomes):
    outcome = outcomes["patient@example.jp"]
    assert not outcome.reviewed
    assert {p.attainment.status for p in outcome.goals} == {"in_progress"}
    assert outcome.responder is None


def test_every_demo_goal_and_rating_is_valid(outcomes):
    goals = Goal.objects.all()
    assert goals.exists()
    for goal in goals:
        goal.full_clean()
        assert goal.injection.patient_id == goal.patient_id
        assert goal.created_by.role == User.Role.CLINICIAN
    per_course = Counter(goals.values_list("injection", flat=True))
    assert max(per_course.values()) <= MAX_GOALS_PER_COURSE
    for rating in [*GoalRating.objects.all(), *GlobalRating.objects.all()]:
        rating.full_clean()
        assert rating.day <= TODAY


def test_the_demo_patients_are_not_asked_for_ratings_after_their_review(outcomes):
    for email, outcome in outcomes.items():
        if outcome is not None and outcome.today > outcome.review_date:
            assert not ratings_due(User.objects.get(email=email), TODAY), email
