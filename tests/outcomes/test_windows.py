"""The 7-day baseline and follow-up windows and their means."""

from datetime import date, timedelta

from diary.outcomes import (
    MIN_DAYS_IN_WINDOW,
    MIN_WEEKLY_RATINGS_IN_WINDOW,
    Baseline,
    Window,
    baseline,
    baseline_score,
    baseline_window,
    follow_up_score,
    follow_up_window,
    window_mean,
)

INJECTION = date(2025, 3, 10)
REVIEW = date(2025, 3, 31)


def days(first: date, values: list) -> dict:
    return {first + timedelta(days=offset): value for offset, value in enumerate(values)}


def test_the_baseline_window_is_the_7_days_before_the_injection():
    assert baseline_window(INJECTION) == Window(date(2025, 3, 3), date(2025, 3, 9))


def test_the_baseline_window_crosses_a_year_boundary():
    assert baseline_window(date(2025, 1, 3)) == (date(2024, 12, 27), date(2025, 1, 2))


def test_the_follow_up_window_is_the_7_days_ending_on_the_review_date():
    first, last = follow_up_window(REVIEW)
    assert (first, last) == (date(2025, 3, 25), date(2025, 3, 31))


def test_the_window_mean_leaves_out_days_outside_the_window():
    values = days(date(2025, 3, 2), [9, 2, 2, 2, None, None, None, 2, 9])  # 2 Mar .. 10 Mar
    assert window_mean(values, baseline_window(INJECTION)) == 2


def test_the_window_mean_takes_both_ends_of_the_window():
    values = {date(2025, 3, 3): 1, date(2025, 3, 6): 2, date(2025, 3, 9): 6}
    assert window_mean(values, baseline_window(INJECTION)) == 3


def test_the_minimum_number_of_days_is_three():
    assert MIN_DAYS_IN_WINDOW == 3


def test_three_measured_days_are_enough():
    values = days(date(2025, 3, 3), [4, 5, 6])
    assert window_mean(values, baseline_window(INJECTION)) == 5


def test_two_measured_days_are_not_enough_data():
    values = days(date(2025, 3, 3), [4, 5, None, None, None, None, None])
    assert window_mean(values, baseline_window(INJECTION)) is None


def test_an_empty_diary_is_not_enough_data():
    assert window_mean({}, follow_up_window(REVIEW)) is None


def test_one_weekly_rating_is_enough_when_the_caller_says_so():
    values = {date(2025, 3, 28): 6}
    window = follow_up_window(REVIEW)
    assert window_mean(values, window, min_days=MIN_WEEKLY_RATINGS_IN_WINDOW) == 6


def test_the_baseline_prefers_the_diary_mean_to_the_recorded_value():
    values = days(date(2025, 3, 3), [4, 5, 6])
    assert baseline_score(values, INJECTION, recorded=8) == 5


def test_the_baseline_falls_back_to_the_recorded_value_without_enough_diary_days():
    values = days(date(2025, 3, 3), [4, 5])
    assert baseline_score(values, INJECTION, recorded=8) == 8


def test_the_baseline_is_none_without_diary_days_or_a_recorded_value():
    assert baseline_score({}, INJECTION) is None


# The pain the clinician records with the course's first injection (NRS 0-10) stands in for
# the diary's week only when that week has fewer than 3 entries.


def test_the_recorded_pain_is_used_when_the_week_has_only_2_entries():
    values = days(date(2025, 3, 3), [4, None, 5, None])
    assert baseline(values, INJECTION, recorded=8) == Baseline(8.0, "recorded")


def test_the_recorded_pain_is_not_used_when_the_week_has_3_entries():
    values = days(date(2025, 3, 3), [4, None, 5, 6])
    assert baseline(values, INJECTION, recorded=8) == Baseline(5.0, "diary")


def test_entries_outside_the_week_do_not_count_toward_the_3():
    values = days(date(2025, 3, 1), [4, 4, 4, None, None, None, None, None, None, 4])  # 1-10 Mar
    assert baseline(values, INJECTION, recorded=8) == Baseline(8.0, "recorded")


def test_a_recorded_pain_of_0_is_a_baseline_not_a_blank():
    assert baseline({}, INJECTION, recorded=0) == Baseline(0.0, "recorded")


def test_without_either_the_baseline_says_so():
    assert baseline(days(date(2025, 3, 3), [4, 5]), INJECTION) == Baseline(None, None)


def test_the_follow_up_includes_the_review_date_and_not_the_day_after():
    values = days(date(2025, 3, 29), [3, 3, 3, 9])  # 29 Mar .. 1 Apr
    assert follow_up_score(values, REVIEW) == 3


def test_the_follow_up_is_none_without_enough_days():
    values = days(date(2025, 3, 30), [3, 3])
    assert follow_up_score(values, REVIEW) is None
