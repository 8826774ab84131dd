"""`goal_set` agrees goals with a patient (at most five per injection course) and `ratings_save`
stores the weekly ratings of ability goals and of the joint overall."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from diary.models import GlobalRating, Goal, GoalRating
from diary.services import TooManyGoals, goal_set, ratings_save
from tests.factories import TODAY, days_ago, make_goal, make_injection

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def injection(patient):
    return patient.injections.get()


def ability(injection, **overrides) -> dict:
    """The form's cleaned values for an ability goal 3 → 7, reviewed four weeks after."""
    return {
        "injection": injection,
        "kind": "ability",
        "title": "Walk the whole shopping trip",
        "measure": "",
        "baseline": Decimal("3"),
        "target": Decimal("7"),
        "review_date": injection.day + timedelta(days=28),
        **overrides,
    }


def symptom(injection, **overrides) -> dict:
    """A symptom goal: night pain's 7-day mean from 6 down to 3."""
    values = {
        "kind": "symptom",
        "title": "Night pain at most 3",
        "measure": "night_pain",
        "baseline": Decimal("6"),
        "target": Decimal("3"),
    }
    return ability(injection, **{**values, **overrides})


def error_fields(excinfo) -> set[str]:
    return set(excinfo.value.message_dict)


# --- goal_set: agreeing a goal ----------------------------------------------------------------


def test_it_creates_an_ability_goal_agreed_by_the_clinician(patient, clinician, injection):
    goal = goal_set(patient=patient, values=ability(injection), agreed_by=clinician)
    goal.refresh_from_db()
    assert goal.patient == patient
    assert goal.created_by == clinician
    assert goal.injection == injection
    assert (goal.kind, goal.title, goal.measure) == ("ability", "Walk the whole shopping trip", "")
    assert (goal.baseline, goal.target) == (Decimal("3.0"), Decimal("7.0"))
    assert goal.review_date == injection.day + timedelta(days=28)
    assert goal.higher_is_better is True


def test_it_creates_a_symptom_goal_that_follows_a_diary_measure(patient, clinician, injection):
    goal = goal_set(patient=patient, values=symptom(injection), agreed_by=clinician)
    goal.refresh_from_db()
    assert (goal.kind, goal.measure) == ("symptom", "night_pain")
    assert (goal.baseline, goal.target) == (Decimal("6.0"), Decimal("3.0"))
    assert goal.higher_is_better is False


def test_a_goal_need_not_belong_to_an_injection_course(patient, clinician, injection):
    values = {**ability(injection), "injection": None}
    goal = goal_set(patient=patient, values=values, agreed_by=clinician)
    assert Goal.objects.get(pk=goal.pk).injection is None


def test_an_ability_goal_keeps_no_diary_measure(patient, clinician, injection):
    goal = goal_set(patient=patient, values=ability(injection, measure="pain"), agreed_by=clinician)
    goal.refresh_from_db()
    assert goal.measure == ""


@pytest.mark.parametrize("target", [Decimal("3"), Decimal("2")])
def test_an_ability_target_must_be_above_the_baseline(patient, clinician, injection, target):
    with pytest.raises(ValidationError) as excinfo:
        goal_set(patient=patient, values=ability(injection, target=target), agreed_by=clinician)
    assert excinfo.value.message_dict["target"] == [
        "An ability goal's target must be above its baseline."
    ]
    assert not Goal.objects.exists()


@pytest.mark.parametrize("target", [Decimal("6"), Decimal("8")])
def test_a_symptom_target_must_be_below_the_baseline(patient, clinician, injection, target):
    with pytest.raises(ValidationError) as excinfo:
        goal_set(patient=patient, values=symptom(injection, target=target), agreed_by=clinician)
    assert excinfo.value.message_dict["target"] == [
        "A symptom goal's target must be below its baseline."
    ]
    assert not Goal.objects.exists()


def test_a_symptom_goal_needs_a_diary_measure(patient, clinician, injection):
    with pytest.raises(ValidationError) as excinfo:
        goal_set(patient=patient, values=symptom(injection, measure=""), agreed_by=clinician)
    assert excinfo.value.message_dict["measure"] == ["Choose the diary measure this goal follows."]
    assert not Goal.objects.exists()


@pytest.mark.parametrize("measure", ["swelling", "warmth"])
def test_swelling_and_warmth_goals_are_on_their_0_to_3_scale(
    patient, clinician, injection, measure
):
    values = symptom(injection, measure=measure, baseline=Decimal("5"), target=Decimal("2"))
    with pytest.raises(ValidationError) as excinfo:
        goal_set(patient=patient, values=values, agreed_by=clinician)
    assert excinfo.value.message_dict["baseline"] == ["Swelling and warmth are rated 0–3."]
    assert not Goal.objects.exists()


@pytest.mark.parametrize("measure", ["swelling", "warmth"])
def test_a_swelling_or_warmth_goal_within_0_to_3_is_accepted(
    patient, clinician, injection, measure
):
    values = symptom(injection, measure=measure, baseline=Decimal("3"), target=Decimal("1"))
    goal = goal_set(patient=patient, values=values, agreed_by=clinician)
    assert Goal.objects.get(pk=goal.pk).measure == measure


def test_a_pain_goal_may_start_above_3(patient, clinician, injection):
    values = symptom(injection, measure="pain", baseline=Decimal("7"), target=Decimal("3"))
    assert goal_set(patient=patient, values=values, agreed_by=clinician).pk is not None


def test_values_are_on_the_0_to_10_scale(patient, clinician, injection):
    with pytest.raises(ValidationError) as excinfo:
        goal_set(
            patient=patient, values=ability(injection, target=Decimal("11")), agreed_by=clinician
        )
    assert "target" in error_fields(excinfo)
    assert not Goal.objects.exists()


def test_a_sixth_goal_for_one_course_is_refused_and_nothing_is_written(
    patient, clinician, injection
):
    for n in range(5):
        goal_set(patient=patient, values=ability(injection, title=f"Goal {n}"), agreed_by=clinician)
    with pytest.raises(TooManyGoals):
        goal_set(
            patient=patient, values=ability(injection, title="One too many"), agreed_by=clinician
        )
    assert Goal.objects.filter(patient=patient).count() == 5
    assert not Goal.objects.filter(title="One too many").exists()


def test_another_course_has_its_own_five_goals(patient, clinician, injection):
    for n in range(5):
        goal_set(patient=patient, values=ability(injection, title=f"Goal {n}"), agreed_by=clinician)
    second = make_injection(patient, day=TODAY)
    goal = goal_set(
        patient=patient, values=ability(second, title="Next course"), agreed_by=clinician
    )
    assert goal.injection == second
    assert Goal.objects.filter(patient=patient).count() == 6


def test_five_goals_of_another_patient_do_not_count(patient, other_patient, clinician, injection):
    other_injection = make_injection(other_patient, day=days_ago(5))
    for n in range(5):
        make_goal(other_patient, injection=other_injection, title=f"Goal {n}")
    assert goal_set(patient=patient, values=ability(injection), agreed_by=clinician).pk


def test_one_of_five_goals_can_still_be_changed(patient, clinician, injection):
    goals = [
        goal_set(patient=patient, values=ability(injection, title=f"Goal {n}"), agreed_by=clinician)
        for n in range(5)
    ]
    changed = goal_set(
        patient=patient,
        values={"title": "Climb the stairs", "target": Decimal("8")},
        agreed_by=clinician,
        goal=goals[4],
    )
    changed.refresh_from_db()
    assert (changed.title, changed.target) == ("Climb the stairs", Decimal("8.0"))
    assert changed.created_by == clinician
    assert Goal.objects.filter(patient=patient).count() == 5


def test_a_goal_cannot_be_moved_into_a_course_that_already_has_five(patient, clinician, injection):
    for n in range(5):
        make_goal(patient, injection=injection, title=f"Goal {n}")
    earlier = make_injection(patient, day=days_ago(60))
    goal = make_goal(patient, injection=earlier, title="Earlier course")
    with pytest.raises(TooManyGoals):
        goal_set(patient=patient, values={"injection": injection}, agreed_by=clinician, goal=goal)
    assert Goal.objects.get(pk=goal.pk).injection == earlier
    assert Goal.objects.filter(injection=injection).count() == 5


def test_an_invalid_change_leaves_the_goal_as_it_was(patient, clinician, injection):
    goal = make_goal(patient, injection=injection, created_by=clinician)
    with pytest.raises(ValidationError) as excinfo:
        goal_set(patient=patient, values={"target": Decimal("1")}, agreed_by=clinician, goal=goal)
    assert error_fields(excinfo) == {"target"}
    assert Goal.objects.get(pk=goal.pk).target == Decimal("7.0")


def test_a_goal_stays_editable_after_the_clinician_who_agreed_it_has_left(
    patient, clinician, injection
):
    goal = make_goal(patient, injection=injection, created_by=None)  # account since removed
    goal_set(patient=patient, values={"target": Decimal("8")}, agreed_by=clinician, goal=goal)
    goal.refresh_from_db()
    assert goal.target == Decimal("8.0")
    assert goal.created_by is None


def test_a_goal_for_another_patients_injection_is_refused(
    patient, other_patient, clinician, injection
):
    theirs = make_injection(other_patient, day=days_ago(3))
    with pytest.raises(ValueError, match="another patient"):
        goal_set(patient=patient, values=ability(theirs), agreed_by=clinician)
    assert not Goal.objects.exists()


def test_another_patients_goal_cannot_be_changed_through_this_patient(
    patient, other_patient, clinician
):
    theirs = make_goal(other_patient, title="Their goal")
    with pytest.raises(ValueError, match="another patient"):
        goal_set(patient=patient, values={"title": "Mine now"}, agreed_by=clinician, goal=theirs)
    assert Goal.objects.get(pk=theirs.pk).title == "Their goal"


@pytest.mark.parametrize(
    ("kind", "measure", "baseline", "target"),
    [
        ("ability", "", 5, 4),  # an ability goal aims up
        ("symptom", "pain", 3, 5),  # a symptom goal aims down
        ("symptom", "", 6, 3),  # a symptom goal follows a measure
        ("ability", "pain", 3, 7),  # an ability goal follows none
    ],
)
def test_the_database_refuses_inconsistent_goals(patient, kind, measure, baseline, target):
    with pytest.raises(IntegrityError), transaction.atomic():
        Goal.objects.create(
            patient=patient,
            kind=kind,
            title="Bypassing the service",
            measure=measure,
            baseline=baseline,
            target=target,
            review_date=TODAY,
        )


# --- ratings_save: this week's ratings --------------------------------------------------------


def test_it_stores_the_goal_ratings_and_the_overall_rating(patient, injection):
    first = make_goal(patient, injection=injection, title="Walk")
    second = make_goal(patient, injection=injection, title="Stairs")
    ratings_save(patient=patient, day=TODAY, goal_values={first: 4, second: 6}, overall=5)
    assert {(r.goal.title, r.day, r.value) for r in GoalRating.objects.all()} == {
        ("Walk", TODAY, 4),
        ("Stairs", TODAY, 6),
    }
    assert list(GlobalRating.objects.values_list("patient", "day", "value")) == [
        (patient.pk, TODAY, 5)
    ]


def test_rating_the_same_day_again_updates_it(patient, injection):
    goal = make_goal(patient, injection=injection)
    ratings_save(patient=patient, day=TODAY, goal_values={goal: 4}, overall=5)
    ratings_save(patient=patient, day=TODAY, goal_values={goal: 6}, overall=3)
    assert list(GoalRating.objects.values_list("day", "value")) == [(TODAY, 6)]
    assert list(GlobalRating.objects.values_list("day", "value")) == [(TODAY, 3)]


def test_each_day_keeps_its_own_rating(patient, injection):
    goal = make_goal(patient, injection=injection)
    ratings_save(patient=patient, day=days_ago(7), goal_values={goal: 4}, overall=6)
    ratings_save(patient=patient, day=TODAY, goal_values={goal: 5}, overall=4)
    assert list(GoalRating.objects.values_list("day", "value")) == [(days_ago(7), 4), (TODAY, 5)]
    assert list(GlobalRating.objects.values_list("day", "value")) == [(days_ago(7), 6), (TODAY, 4)]


def test_without_an_overall_answer_only_the_goals_are_stored(patient, injection):
    goal = make_goal(patient, injection=injection)
    ratings_save(patient=patient, day=TODAY, goal_values={goal: 4}, overall=None)
    assert GoalRating.objects.get().value == 4
    assert not GlobalRating.objects.exists()


def test_a_rating_for_another_patients_goal_writes_nothing(patient, other_patient, injection):
    mine = make_goal(patient, injection=injection)
    theirs = make_goal(other_patient)
    with pytest.raises(ValueError, match="another patient"):
        ratings_save(patient=patient, day=TODAY, goal_values={mine: 4, theirs: 9}, overall=5)
    assert not GoalRating.objects.exists()
    assert not GlobalRating.objects.exists()
