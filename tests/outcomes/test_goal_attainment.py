"""Goal attainment at, before and after the agreed review date."""

from datetime import date, timedelta

import pytest

from diary.outcomes import Attainment, goal_attainment, improved_min_change, measure_scale_max

REVIEW = date(2025, 4, 1)
BEFORE = REVIEW - timedelta(days=1)
AFTER = REVIEW + timedelta(days=10)


def ability(current, on=REVIEW):
    """A PSFS ability goal: from 3 to 8, higher is better."""
    return goal_attainment(baseline=3, target=8, current=current, review_date=REVIEW, on=on)


def night_pain(current, on=REVIEW):
    """A symptom goal: night pain 7-day mean from 7 to at most 3, lower is better."""
    return goal_attainment(baseline=7, target=3, current=current, review_date=REVIEW, on=on)


def test_an_ability_goal_reached_on_the_review_date_is_met():
    assert ability(8) == Attainment("met", 1.0)


def test_an_ability_goal_passed_is_met():
    assert ability(10) == Attainment("met", 1.0)


def test_an_ability_goal_2_points_up_is_improved():
    assert ability(5) == Attainment("improved", pytest.approx(0.4))


def test_an_ability_goal_1_9_points_up_is_not_met():
    assert ability(4.9) == Attainment("not_met", pytest.approx(0.38))


def test_an_ability_goal_below_baseline_is_not_met_with_progress_0():
    assert ability(2) == Attainment("not_met", 0.0)


def test_a_symptom_goal_reached_is_met():
    assert night_pain(3) == Attainment("met", 1.0)
    assert night_pain(1.5) == Attainment("met", 1.0)


def test_a_symptom_goal_reached_despite_floating_point_noise_is_met():
    mean = (0.1 + 0.2) * 10  # 3 on paper, 3.0000000000000004 in floating point
    assert mean > 3
    assert night_pain(mean) == Attainment("met", 1.0)


def test_a_symptom_goal_2_points_down_is_improved():
    assert night_pain(5) == Attainment("improved", 0.5)


def test_a_symptom_goal_1_9_points_down_is_not_met():
    assert night_pain(5.1) == Attainment("not_met", pytest.approx(0.475))


def test_a_symptom_that_got_worse_is_not_met_with_progress_0():
    assert night_pain(9) == Attainment("not_met", 0.0)


def test_before_the_review_date_a_goal_is_in_progress_with_its_share_of_the_way():
    assert ability(5, on=BEFORE) == Attainment("in_progress", pytest.approx(0.4))
    assert night_pain(5, on=BEFORE) == Attainment("in_progress", 0.5)


def test_before_the_review_date_a_reached_goal_is_still_in_progress():
    assert ability(8, on=BEFORE) == Attainment("in_progress", 1.0)


def test_progress_is_clamped_to_0_and_1():
    assert ability(10, on=BEFORE).progress == 1.0
    assert ability(0, on=BEFORE).progress == 0.0
    assert night_pain(0, on=BEFORE).progress == 1.0
    assert night_pain(10, on=BEFORE).progress == 0.0


def test_after_the_review_date_a_goal_is_judged_as_on_it():
    assert ability(8, on=AFTER) == Attainment("met", 1.0)
    assert ability(5, on=AFTER).status == "improved"
    assert ability(4, on=AFTER).status == "not_met"


@pytest.mark.parametrize("on", [BEFORE, REVIEW, AFTER])
def test_without_a_current_value_there_is_no_data(on):
    assert ability(None, on=on) == Attainment("no_data", None)
    assert night_pain(None, on=on) == Attainment("no_data", None)


def test_a_target_equal_to_the_baseline_is_met_when_reached():
    result = goal_attainment(baseline=5, target=5, current=5, review_date=REVIEW, on=REVIEW)
    assert result == Attainment("met", 1.0)


def test_a_target_equal_to_the_baseline_without_a_direction_is_not_met_when_missed():
    result = goal_attainment(baseline=5, target=5, current=4, review_date=REVIEW, on=REVIEW)
    assert result == Attainment("not_met", 0.0)


def test_a_target_equal_to_the_baseline_with_a_direction_is_met_on_the_good_side():
    def keep_pain_at(current):
        return goal_attainment(
            baseline=3,
            target=3,
            current=current,
            review_date=REVIEW,
            on=REVIEW,
            higher_is_better=False,
        )

    assert keep_pain_at(1) == Attainment("met", 1.0)
    assert keep_pain_at(4) == Attainment("not_met", 0.0)


def test_a_keep_it_there_goal_before_the_review_date_shows_whether_it_holds():
    result = goal_attainment(
        baseline=2, target=3, current=2.5, review_date=REVIEW, on=BEFORE, higher_is_better=False
    )
    assert result == Attainment("in_progress", 1.0)


# --- "Improved" depends on the scale: 2 points on 0-10, 1 point on 0-3 ----------------------


def swelling(current, scale_max=3):
    """A symptom goal on a 0-3 scale: swelling's 7-day mean from 3 (severe) to at most 1."""
    return goal_attainment(
        baseline=3, target=1, current=current, review_date=REVIEW, on=REVIEW, scale_max=scale_max
    )


def test_a_0_3_goal_1_point_toward_the_target_is_improved():
    assert swelling(2) == Attainment("improved", 0.5)


def test_a_0_3_goal_just_under_1_point_toward_the_target_is_not_met():
    assert swelling(2.1) == Attainment("not_met", pytest.approx(0.45))


def test_the_same_1_point_on_a_0_10_scale_is_not_improved():
    assert swelling(2, scale_max=10).status == "not_met"
    assert night_pain(6).status == "not_met"  # 7 -> 6 on the NRS


def test_a_0_10_goal_2_points_toward_the_target_is_improved_and_1_point_is_not():
    assert ability(5).status == "improved"
    assert ability(4).status == "not_met"


def test_swelling_and_warmth_are_rated_0_3_and_the_other_measures_0_10():
    assert [measure_scale_max(m) for m in ("swelling", "warmth")] == [3, 3]
    assert [measure_scale_max(m) for m in ("pain", "night_pain", None, "")] == [10, 10, 10, 10]
    assert (improved_min_change(10), improved_min_change(3)) == (2, 1)


def test_a_scale_without_a_threshold_is_an_error_not_a_guess():
    with pytest.raises(ValueError):
        swelling(2, scale_max=5)
