"""Reads behind "did it work?": which ratings are due this week, and each goal's attainment and
the OMERACT-OARSI responder verdict of the course (diary/progress.py), judged against the week
before the course's first injection.

Hanako's injection is on 2026-11-21 (day 0); the goals are reviewed four weeks later, on
2026-12-19. The baseline window is 11-14 … 11-20, the follow-up window 12-13 … 12-19.
"""

from datetime import date, timedelta

import pytest

from diary import progress
from diary.progress import course_outcome, ratings_due
from tests.factories import (
    TODAY,
    days_ago,
    make_entries,
    make_entry,
    make_goal,
    make_injection,
    rate_goal,
    rate_overall,
)

pytestmark = pytest.mark.django_db

INJECTED = date(2026, 11, 21)
REVIEW = date(2026, 12, 19)
BASELINE_FIRST = INJECTED - timedelta(days=7)  # 11-14
FOLLOW_UP_FIRST = REVIEW - timedelta(days=6)  # 12-13


@pytest.fixture
def injection(patient):
    injection = patient.injections.get()
    assert injection.day == INJECTED
    return injection


def ability_goal(patient, injection, **fields):
    return make_goal(patient, injection=injection, review_date=REVIEW, **fields)


def symptom_goal(patient, injection, **fields):
    return make_goal(patient, injection=injection, kind="symptom", review_date=REVIEW, **fields)


def pain_week(patient, first: date, pain: int, **fields):
    """Seven diary days from `first`, each with this pain."""
    return make_entries(patient, first=first, count=7, pain=pain, **fields)


# --- ratings_due --------------------------------------------------------------------------------


def test_nothing_is_due_without_goals(patient):
    due = ratings_due(patient, TODAY)
    assert not due
    assert (due.goals, due.overall) == ([], False)


def test_ability_goals_and_the_overall_rating_are_due_when_never_rated(patient, injection):
    goal = ability_goal(patient, injection)
    due = ratings_due(patient, TODAY)
    assert due
    assert due.goals == [goal]
    assert due.overall is True


def test_symptom_goals_come_from_the_diary_so_only_the_overall_rating_is_due(patient, injection):
    symptom_goal(patient, injection)
    due = ratings_due(patient, TODAY)
    assert due.goals == []
    assert due.overall is True


def test_nothing_is_due_on_the_day_after_rating(patient, injection):
    goal = ability_goal(patient, injection)
    rate_goal(goal, day=TODAY, value=4)
    rate_overall(patient, day=TODAY, value=6)
    assert not ratings_due(patient, TODAY)
    assert not ratings_due(patient, TODAY + timedelta(days=1))


@pytest.mark.parametrize(("rated_days_ago", "due"), [(6, False), (7, True), (10, True)])
def test_ratings_are_asked_again_once_a_week_has_passed(patient, injection, rated_days_ago, due):
    goal = ability_goal(patient, injection)
    rate_goal(goal, day=days_ago(rated_days_ago), value=4)
    rate_overall(patient, day=days_ago(rated_days_ago), value=6)
    result = ratings_due(patient, TODAY)
    assert bool(result) is due
    assert result.goals == ([goal] if due else [])
    assert result.overall is due


def test_a_goal_rated_this_week_is_not_asked_while_the_overall_rating_is(patient, injection):
    walk = ability_goal(patient, injection, title="Walk")
    stairs = ability_goal(patient, injection, title="Stairs")
    rate_goal(walk, day=days_ago(2), value=4)
    due = ratings_due(patient, TODAY)
    assert due.goals == [stairs]
    assert due.overall is True


def test_ratings_are_due_until_the_review_date_and_not_after(patient, injection):
    ability_goal(patient, injection)
    assert ratings_due(patient, REVIEW)
    assert not ratings_due(patient, REVIEW + timedelta(days=1))


def test_another_patients_ratings_do_not_count(patient, other_patient, injection):
    goal = ability_goal(patient, injection)
    other_goal = make_goal(other_patient)
    rate_goal(other_goal, day=TODAY, value=8)
    rate_overall(other_patient, day=TODAY, value=2)
    due = ratings_due(patient, TODAY)
    assert due.goals == [goal]
    assert due.overall is True


# --- course_outcome before the review date ---------------------------------------------------


def test_there_is_no_outcome_without_goals(patient):
    assert course_outcome(patient, TODAY) is None


def test_before_the_review_an_ability_goal_is_in_progress_with_its_latest_rating(
    patient, injection
):
    goal = ability_goal(patient, injection)  # 3 → 7
    rate_goal(goal, day=days_ago(8), value=3)
    rate_goal(goal, day=days_ago(1), value=5)
    outcome = course_outcome(patient, TODAY)
    assert outcome.review_date == REVIEW
    assert outcome.injection == injection
    assert outcome.reviewed is False
    assert outcome.responder is None
    assert outcome.needs_rethink is False
    (progress,) = outcome.goals
    assert progress.goal == goal
    assert progress.current == 5.0
    assert progress.attainment.status == "in_progress"
    assert progress.attainment.progress == pytest.approx(0.5)
    assert progress.percent == 50
    assert progress.ratings == ((days_ago(8), 3), (days_ago(1), 5))


def test_before_the_review_a_symptom_goal_follows_the_diarys_7_day_mean(patient, injection):
    symptom_goal(patient, injection)  # night pain 6 → 3
    for n, night_pain in enumerate([5, 4, 4, 5]):
        make_entry(patient, day=days_ago(n), night_pain=night_pain)
    make_entry(patient, day=days_ago(7), night_pain=9)  # outside the last 7 days
    (progress,) = course_outcome(patient, TODAY).goals
    assert progress.current == pytest.approx(4.5)
    assert progress.attainment.status == "in_progress"
    assert progress.percent == 50


def test_a_symptom_goal_needs_three_diary_days_in_the_week(patient, injection):
    symptom_goal(patient, injection)
    make_entry(patient, day=TODAY, night_pain=2)
    make_entry(patient, day=days_ago(1), night_pain=2)
    make_entry(patient, day=days_ago(2), night_pain=None)  # not answered
    (progress,) = course_outcome(patient, TODAY).goals
    assert progress.current is None
    assert progress.attainment.status == "no_data"
    assert progress.percent is None


def test_an_ability_goal_without_ratings_has_no_data_yet(patient, injection):
    ability_goal(patient, injection)
    (progress,) = course_outcome(patient, TODAY).goals
    assert (progress.current, progress.attainment.status) == (None, "no_data")


def test_the_outcome_is_about_the_latest_course(patient, injection):
    earlier = make_injection(patient, day=days_ago(90))
    make_goal(patient, injection=earlier, title="Old goal", review_date=days_ago(62))
    current = ability_goal(patient, injection, title="Current goal")
    outcome = course_outcome(patient, TODAY)
    assert [p.goal for p in outcome.goals] == [current]
    assert outcome.injection == injection


def test_a_goal_without_a_course_is_judged_against_the_latest_injection(patient, injection):
    make_goal(patient, injection=None, review_date=REVIEW)
    outcome = course_outcome(patient, REVIEW)
    assert outcome.injection == injection
    assert outcome.responder is not None


# --- course_outcome at the review date: each goal ------------------------------------------------


@pytest.mark.parametrize(
    ("ratings", "status", "current"),
    [
        ([7], "met", 7.0),
        ([6, 8], "met", 7.0),  # the mean of the ratings in the week up to the review
        ([5], "improved", 5.0),  # 2 points up from 3, the PSFS minimal detectable change
        ([4], "not_met", 4.0),
    ],
)
def test_at_the_review_an_ability_goal_is_judged_on_the_last_weeks_ratings(
    patient, injection, ratings, status, current
):
    goal = ability_goal(patient, injection)  # 3 → 7
    rate_goal(goal, day=FOLLOW_UP_FIRST - timedelta(days=1), value=10)  # a day too early
    for offset, value in enumerate(ratings):
        rate_goal(goal, day=REVIEW - timedelta(days=offset * 5), value=value)
    (progress,) = course_outcome(patient, REVIEW).goals
    assert progress.attainment.status == status
    assert progress.current == pytest.approx(current)


def test_an_ability_goal_rated_only_before_the_follow_up_week_has_no_verdict(patient, injection):
    goal = ability_goal(patient, injection)
    rate_goal(goal, day=FOLLOW_UP_FIRST - timedelta(days=1), value=7)
    (progress,) = course_outcome(patient, REVIEW).goals
    assert (progress.current, progress.attainment.status) == (None, "no_data")


def test_ratings_after_the_review_date_do_not_change_the_verdict(patient, injection):
    goal = ability_goal(patient, injection)
    rate_goal(goal, day=REVIEW, value=4)
    rate_goal(goal, day=REVIEW + timedelta(days=3), value=9)
    (progress,) = course_outcome(patient, REVIEW + timedelta(days=10)).goals
    assert progress.attainment.status == "not_met"
    assert progress.current == 4.0


@pytest.mark.parametrize(
    ("night_pain", "status"),
    [(3, "met"), (2, "met"), (4, "improved"), (5, "not_met")],
)
def test_at_the_review_a_symptom_goal_is_judged_on_the_7_day_mean(
    patient, injection, night_pain, status
):
    symptom_goal(patient, injection)  # night pain 6 → 3
    make_entries(patient, first=FOLLOW_UP_FIRST, count=7, night_pain=night_pain)
    make_entries(patient, first=REVIEW + timedelta(days=1), count=3, night_pain=9)  # later
    (progress,) = course_outcome(patient, REVIEW + timedelta(days=3)).goals
    assert progress.current == pytest.approx(night_pain)
    assert progress.attainment.status == status


def test_at_the_review_a_symptom_goal_needs_three_diary_days(patient, injection):
    symptom_goal(patient, injection)
    make_entries(patient, first=REVIEW - timedelta(days=1), count=2, night_pain=1)
    make_entry(patient, day=FOLLOW_UP_FIRST - timedelta(days=1), night_pain=1)  # too early
    (progress,) = course_outcome(patient, REVIEW).goals
    assert progress.attainment.status == "no_data"


def test_goals_met_counts_the_goals_that_reached_their_target(patient, injection):
    walk = ability_goal(patient, injection, title="Walk")
    stairs = ability_goal(patient, injection, title="Stairs")
    rate_goal(walk, day=REVIEW, value=8)
    rate_goal(stairs, day=REVIEW, value=4)
    outcome = course_outcome(patient, REVIEW)
    assert [p.attainment.status for p in outcome.goals] == ["met", "not_met"]
    assert outcome.goals_met == 1


# --- course_outcome at the review date: the responder ------------------------------------------


def clear_responder(patient, injection):
    """Pain 7 → 2 on the NRS, an ability goal 3 → 8, the joint overall 8 → 2."""
    goal = ability_goal(patient, injection)
    pain_week(patient, BASELINE_FIRST, 7)
    pain_week(patient, FOLLOW_UP_FIRST, 2)
    rate_goal(goal, day=REVIEW, value=8)
    rate_overall(patient, day=INJECTED - timedelta(days=2), value=8)
    rate_overall(patient, day=REVIEW, value=2)


def test_a_clear_responder(patient, injection):
    clear_responder(patient, injection)
    outcome = course_outcome(patient, REVIEW)
    assert outcome.reviewed is True
    result = outcome.responder.result
    assert result.responder is True
    assert result.missing == ()
    assert outcome.responder.pain_baseline == pytest.approx(7.0)
    assert outcome.responder.pain_follow_up == pytest.approx(2.0)
    assert outcome.goals[0].attainment.status == "met"
    assert outcome.needs_rethink is False


def test_the_verdict_stays_after_the_review_date(patient, injection):
    clear_responder(patient, injection)
    pain_week(patient, REVIEW + timedelta(days=1), 9)  # a bad week afterwards
    outcome = course_outcome(patient, REVIEW + timedelta(days=14))
    assert outcome.responder.result.responder is True
    assert outcome.responder.pain_follow_up == pytest.approx(2.0)


def test_pain_alone_can_make_a_responder(patient, injection):
    symptom_goal(patient, injection)
    pain_week(patient, BASELINE_FIRST, 7)
    pain_week(patient, FOLLOW_UP_FIRST, 2)
    result = course_outcome(patient, REVIEW).responder.result
    assert result.responder is True
    assert set(result.missing) == {"function", "global"}


def test_no_responder_when_nothing_improved(patient, injection):
    goal = ability_goal(patient, injection)  # 3 → 7
    pain_week(patient, BASELINE_FIRST, 6)
    pain_week(patient, FOLLOW_UP_FIRST, 6)
    rate_goal(goal, day=REVIEW, value=3)
    rate_overall(patient, day=INJECTED - timedelta(days=1), value=7)
    rate_overall(patient, day=REVIEW - timedelta(days=3), value=7)
    outcome = course_outcome(patient, REVIEW)
    assert outcome.responder.result.responder is False
    assert outcome.responder.result.missing == ()
    assert outcome.responder.pain_baseline == pytest.approx(6.0)
    assert outcome.responder.pain_follow_up == pytest.approx(6.0)
    assert outcome.goals[0].attainment.status == "not_met"
    assert outcome.needs_rethink is True


def test_not_enough_data_without_pain_entries_before_the_injection(patient, injection):
    goal = ability_goal(patient, injection)  # 3 → 4: not enough on its own
    pain_week(patient, INJECTED - timedelta(days=20), 7)  # too early for the baseline
    pain_week(patient, FOLLOW_UP_FIRST, 2)
    rate_goal(goal, day=REVIEW, value=4)
    rate_overall(patient, day=INJECTED - timedelta(days=1), value=7)
    rate_overall(patient, day=REVIEW, value=6)
    outcome = course_outcome(patient, REVIEW)
    result = outcome.responder.result
    assert result.responder is None
    assert result.missing == ("pain",)
    assert result.missing_baseline == ("pain",)
    assert result.missing_follow_up == ()
    assert outcome.responder.pain_baseline is None
    assert outcome.responder.pain_follow_up == pytest.approx(2.0)


def test_two_pain_entries_before_the_injection_are_not_a_baseline(patient, injection):
    clear_responder(patient, injection)
    # Leave only two of the seven baseline days; days after the injection do not fill it up.
    patient.diary_entries.filter(day__range=(BASELINE_FIRST, INJECTED - timedelta(days=3))).delete()
    outcome = course_outcome(patient, REVIEW)
    assert outcome.responder.pain_baseline is None
    assert "pain" in outcome.responder.result.missing_baseline


def test_not_enough_data_without_overall_ratings(patient, injection):
    goal = ability_goal(patient, injection)  # 3 → 5: 20 points better, but only 29 %
    pain_week(patient, BASELINE_FIRST, 6)
    pain_week(patient, FOLLOW_UP_FIRST, 5)
    rate_goal(goal, day=REVIEW, value=5)
    outcome = course_outcome(patient, REVIEW)
    result = outcome.responder.result
    assert result.responder is None
    assert result.missing == ("global",)
    assert result.missing_baseline == ("global",)
    assert result.missing_follow_up == ("global",)
    assert outcome.goals[0].attainment.status == "improved"
    assert outcome.needs_rethink is True  # the goal was not met


def test_an_unrated_ability_goal_leaves_function_unknown(patient, injection):
    walk = ability_goal(patient, injection, title="Walk")
    ability_goal(patient, injection, title="Stairs")  # never rated at the review
    pain_week(patient, BASELINE_FIRST, 6)
    pain_week(patient, FOLLOW_UP_FIRST, 5)
    rate_goal(walk, day=REVIEW, value=9)
    rate_overall(patient, day=INJECTED - timedelta(days=1), value=7)
    rate_overall(patient, day=REVIEW, value=5)
    result = course_outcome(patient, REVIEW).responder.result
    assert result.missing_follow_up == ("function",)
    assert result.missing_baseline == ()


def test_needs_rethink_only_from_the_review_date(patient, injection):
    goal = ability_goal(patient, injection)
    rate_goal(goal, day=REVIEW - timedelta(days=10), value=3)
    assert course_outcome(patient, REVIEW - timedelta(days=1)).needs_rethink is False
    rate_goal(goal, day=REVIEW, value=3)
    assert course_outcome(patient, REVIEW).needs_rethink is True


# --- The course: the baseline is the week before its first injection (issue 15) ---------------


def course_of_four(injection):
    """Hanako's injection becomes the 1st of 4, one a week: 11-21, 11-28, 12-05, 12-12."""
    injection.course_total = 4
    injection.save(update_fields=["course_total"])
    later = [
        make_injection(
            injection.patient,
            day=INJECTED + timedelta(weeks=n),
            course_number=n + 1,
            course_total=4,
        )
        for n in (1, 2, 3)
    ]
    return [injection, *later]


def test_a_goal_reviewed_after_the_4th_injection_is_judged_against_the_week_before_the_1st(
    patient, injection
):
    first, _second, _third, fourth = course_of_four(injection)
    symptom_goal(patient, fourth)
    pain_week(patient, BASELINE_FIRST, 8)  # before the 1st injection
    pain_week(patient, fourth.day - timedelta(days=7), 3)  # before the 4th: already better
    pain_week(patient, FOLLOW_UP_FIRST, 3)
    outcome = course_outcome(patient, REVIEW)
    assert outcome.injection == fourth
    assert outcome.course_start == first
    assert outcome.responder.pain_baseline == pytest.approx(8.0)
    assert outcome.responder.pain_baseline_source == "diary"
    assert outcome.responder.baseline_window == (BASELINE_FIRST, INJECTED - timedelta(days=1))
    assert outcome.responder.result.responder is True  # 80 → 30 on the OARSI scale


def test_a_new_course_has_its_own_baseline(patient, injection):
    """An earlier course (1 of 1) does not reach into the next one (1 and 2 of 2)."""
    earlier = make_injection(patient, day=days_ago(90))
    injection.course_total = 2
    injection.save(update_fields=["course_total"])
    second = make_injection(patient, day=INJECTED + timedelta(weeks=1), course_number=2)
    goal = symptom_goal(patient, second)
    outcome = course_outcome(patient, TODAY)
    assert outcome.course_start == injection
    assert progress.course_start(patient, second) == injection
    assert progress.course_start(patient, earlier) == earlier
    assert [p.goal for p in outcome.goals] == [goal]


def test_without_a_recorded_1st_injection_the_course_starts_at_the_earliest_of_the_run(patient):
    """Hanako joined the diary at her 2nd injection: the 2nd is as far back as it goes."""
    injection = patient.injections.get()
    injection.course_number, injection.course_total = 2, 3
    injection.save(update_fields=["course_number", "course_total"])
    third = make_injection(patient, day=INJECTED + timedelta(weeks=1), course_number=3)
    assert progress.course_start(patient, third) == injection


def test_goals_of_different_injections_of_one_course_are_judged_together(patient, injection):
    first, _second, _third, fourth = course_of_four(injection)
    walk = ability_goal(patient, first, title="Walk")
    night = symptom_goal(patient, fourth)
    outcome = course_outcome(patient, TODAY)
    assert [p.goal for p in outcome.goals] == [walk, night]
    assert outcome.course_start == first


def test_a_goal_without_an_injection_takes_the_course_of_the_latest_before_its_review(
    patient, injection
):
    first, *_rest, fourth = course_of_four(injection)
    make_goal(patient, injection=None, review_date=REVIEW)
    outcome = course_outcome(patient, REVIEW)
    assert outcome.injection == fourth
    assert outcome.course_start == first


# --- The pain recorded with the first injection: the baseline when the diary has too little ---


def test_with_fewer_than_3_entries_the_pain_recorded_with_the_1st_injection_is_the_baseline(
    patient, injection
):
    injection.baseline_pain = 7
    injection.save(update_fields=["baseline_pain"])
    symptom_goal(patient, injection)
    make_entries(patient, first=INJECTED - timedelta(days=2), count=2, pain=4)  # only two
    pain_week(patient, FOLLOW_UP_FIRST, 2)
    responder = course_outcome(patient, REVIEW).responder
    assert responder.pain_baseline == pytest.approx(7.0)
    assert responder.pain_baseline_source == "recorded"
    assert responder.result.responder is True  # 70 → 20 on the OARSI scale
    assert "pain" not in responder.result.missing_baseline


def test_with_3_entries_the_diary_is_the_baseline_and_the_recorded_pain_is_not_used(
    patient, injection
):
    injection.baseline_pain = 9
    injection.save(update_fields=["baseline_pain"])
    symptom_goal(patient, injection)
    make_entries(patient, first=INJECTED - timedelta(days=3), count=3, pain=4)
    pain_week(patient, FOLLOW_UP_FIRST, 2)
    responder = course_outcome(patient, REVIEW).responder
    assert responder.pain_baseline == pytest.approx(4.0)
    assert responder.pain_baseline_source == "diary"


def test_pain_recorded_with_a_later_injection_of_the_course_is_not_the_baseline(patient, injection):
    *_earlier, fourth = course_of_four(injection)
    fourth.baseline_pain = 8
    fourth.save(update_fields=["baseline_pain"])
    symptom_goal(patient, fourth)
    pain_week(patient, FOLLOW_UP_FIRST, 2)
    responder = course_outcome(patient, REVIEW).responder
    assert responder.pain_baseline is None
    assert responder.missing_data[0] == progress.MissingData(
        progress.PAIN_BEFORE, (BASELINE_FIRST, INJECTED - timedelta(days=1))
    )


# --- What "not enough data" lacks -------------------------------------------------------------


def missing_kinds(outcome) -> list[str]:
    return [m.kind for m in outcome.responder.missing_data]


def test_not_enough_data_names_each_missing_part_with_its_days(patient, injection):
    walk = ability_goal(patient, injection, title="Walk")
    stairs = ability_goal(patient, injection, title="Stairs")
    rate_goal(walk, day=REVIEW, value=4)
    rate_overall(patient, day=REVIEW, value=6)  # none before the injection
    outcome = course_outcome(patient, REVIEW)
    before = (BASELINE_FIRST, INJECTED - timedelta(days=1))
    after = (FOLLOW_UP_FIRST, REVIEW)
    assert outcome.responder.result.responder is None
    assert outcome.responder.missing_data == (
        progress.MissingData(progress.PAIN_BEFORE, before),
        progress.MissingData(progress.PAIN_AT_REVIEW, after),
        progress.MissingData(progress.ABILITY_AT_REVIEW, after, (stairs,)),
        progress.MissingData(progress.OVERALL_BEFORE, before),
    )


def test_without_any_overall_rating_it_says_so_once(patient, injection):
    symptom_goal(patient, injection)
    pain_week(patient, BASELINE_FIRST, 6)
    pain_week(patient, FOLLOW_UP_FIRST, 5)
    outcome = course_outcome(patient, REVIEW)
    assert missing_kinds(outcome) == [progress.NO_ABILITY_GOALS, progress.OVERALL_NEVER]


def test_an_overall_rating_after_the_review_date_does_not_count_as_one(patient, injection):
    symptom_goal(patient, injection)
    rate_overall(patient, day=REVIEW + timedelta(days=1), value=3)
    outcome = course_outcome(patient, REVIEW + timedelta(days=1))
    assert progress.OVERALL_NEVER in missing_kinds(outcome)


def test_nothing_is_listed_as_missing_when_everything_was_measured(patient, injection):
    clear_responder(patient, injection)
    assert course_outcome(patient, REVIEW).responder.missing_data == ()


# --- Goals on a 0–3 scale: 1 point toward the target is "improved" -----------------------------


@pytest.mark.parametrize(
    ("week", "status"),
    [
        ([1] * 7, "improved"),  # 2 → 1: one whole step on 0–3
        ([1] * 6 + [2], "not_met"),  # a mean of 1.14: not quite a step
        ([0] * 7, "met"),
    ],
)
def test_a_swelling_goal_is_improved_at_1_point(patient, injection, week, status):
    symptom_goal(patient, injection, title="No swelling", measure="swelling", baseline=2, target=0)
    for offset, swelling in enumerate(week):
        make_entry(patient, day=FOLLOW_UP_FIRST + timedelta(days=offset), swelling=swelling)
    (goal_progress,) = course_outcome(patient, REVIEW).goals
    assert goal_progress.attainment.status == status


def test_a_night_pain_goal_1_point_better_is_not_improved(patient, injection):
    symptom_goal(patient, injection)  # night pain 6 → 3, on 0–10
    make_entries(patient, first=FOLLOW_UP_FIRST, count=7, night_pain=5)
    (goal_progress,) = course_outcome(patient, REVIEW).goals
    assert goal_progress.attainment.status == "not_met"


def test_a_goal_without_data_knows_the_days_it_was_judged_on(patient, injection):
    symptom_goal(patient, injection)
    ability_goal(patient, injection)
    night, walk = course_outcome(patient, TODAY).goals
    assert night.window == (TODAY - timedelta(days=6), TODAY)
    assert walk.window is None  # before the review: the latest rating, whenever it was
    night, walk = course_outcome(patient, REVIEW).goals
    assert walk.window == night.window == (FOLLOW_UP_FIRST, REVIEW)
