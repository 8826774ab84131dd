from datetime import date, timedelta
from functools import partial

import pytest

from diary.red_flags import CAUTION, NOT_EASING, DayRecord, Finding, evaluate

INJECTION = date(2024, 4, 1)
record = partial(DayRecord, pain=0, swelling=0, warmth=0, redness="none", weight_bearing="full")


def day(n: int) -> date:
    return INJECTION + timedelta(days=n)


def pain_by_day(pain: dict[int, int]) -> list[DayRecord]:
    return [record(day(n), pain=value) for n, value in pain.items()]


def not_easing(records: list[DayRecord], injections=(INJECTION,)) -> list[Finding]:
    return [f for f in evaluate(records, injections) if f.code == NOT_EASING]


# Above the reaction window ----------------------------------------------------------------------


def test_pain_above_its_highest_in_days_zero_to_two_is_caution():
    found = not_easing(pain_by_day({0: 3, 1: 5, 2: 4, 3: 6}))
    assert found == [Finding(NOT_EASING, CAUTION, day(3))]
    assert found[0].evidence == (day(0), day(1), day(2), day(3))


def test_pain_equal_to_its_highest_in_the_window_does_not_fire():
    # 5 is not above 5, and 5 is only 1 above the lowest of days 0-2 (4).
    assert not_easing(pain_by_day({0: 5, 1: 5, 2: 4, 3: 5})) == []


def test_swelling_above_its_highest_in_the_window_is_caution():
    records = [record(day(0), swelling=1), record(day(1), swelling=2), record(day(5), swelling=3)]
    assert not_easing(records) == [Finding(NOT_EASING, CAUTION, day(5))]


def test_swelling_equal_to_its_highest_in_the_window_does_not_fire():
    records = [record(day(1), swelling=2), record(day(5), swelling=2)]
    assert not_easing(records) == []


def test_comparison_with_the_window_needs_an_entry_in_days_zero_to_two():
    assert not_easing(pain_by_day({6: 8})) == []
    assert not_easing(pain_by_day({-1: 0, 6: 8})) == []


def test_one_window_entry_is_enough():
    assert not_easing(pain_by_day({2: 1, 6: 2})) == [Finding(NOT_EASING, CAUTION, day(6))]


# A rise across the three days before ------------------------------------------------------------


def test_pain_two_points_above_the_lowest_of_the_three_days_before_is_caution():
    found = not_easing(pain_by_day({0: 8, 5: 2, 7: 4}))
    assert found == [Finding(NOT_EASING, CAUTION, day(7))]
    assert found[0].evidence == (day(5), day(7))


def test_pain_one_point_above_does_not_fire():
    assert not_easing(pain_by_day({0: 8, 5: 2, 7: 3})) == []


@pytest.mark.parametrize("earlier", [4, 5, 6])
def test_the_rise_is_read_across_skipped_days_within_three_days(earlier):
    found = not_easing(pain_by_day({0: 8, earlier: 2, 7: 4}))
    assert found == [Finding(NOT_EASING, CAUTION, day(7))]


def test_a_low_day_four_days_before_is_too_long_ago():
    assert not_easing(pain_by_day({0: 8, 3: 2, 7: 4})) == []


def test_the_lowest_of_the_days_before_is_the_reference():
    found = not_easing(pain_by_day({0: 9, 4: 2, 5: 5, 6: 4, 7: 3}))
    assert found == [Finding(NOT_EASING, CAUTION, day(5)), Finding(NOT_EASING, CAUTION, day(6))]
    assert found[1].evidence == (day(4), day(6))


def test_pain_rise_on_day_three_compares_with_days_zero_to_two():
    assert not_easing(pain_by_day({1: 2, 3: 4}))[0].evidence == (day(1), day(3))


# Severe swelling that stays --------------------------------------------------------------------


def test_severe_swelling_on_this_and_the_previous_entry_is_caution():
    records = [record(day(0), swelling=3), record(day(4), swelling=3), record(day(6), swelling=3)]
    found = not_easing(records)
    assert found == [Finding(NOT_EASING, CAUTION, day(6))]
    assert found[0].evidence == (day(4), day(6))


def test_moderate_swelling_that_stays_does_not_fire():
    records = [record(day(0), swelling=2), record(day(4), swelling=2), record(day(5), swelling=2)]
    assert not_easing(records) == []


def test_severe_swelling_three_days_after_the_last_entry_does_not_fire():
    records = [record(day(0), swelling=3), record(day(4), swelling=3), record(day(7), swelling=3)]
    assert not_easing(records) == []


# Which days are judged --------------------------------------------------------------------------


def test_both_reasons_on_one_day_give_one_finding():
    found = not_easing(pain_by_day({0: 1, 4: 1, 5: 3}))
    assert found == [Finding(NOT_EASING, CAUTION, day(5))]
    assert found[0].evidence == (day(0), day(4), day(5))


def test_rising_pain_inside_the_window_is_not_judged():
    assert not_easing(pain_by_day({0: 0, 1: 3, 2: 6})) == []


def test_day_fourteen_is_the_last_day_judged():
    assert not_easing(pain_by_day({0: 1, 14: 5}))[0].on == day(14)
    assert not_easing(pain_by_day({0: 1, 15: 5})) == []
    assert not_easing(pain_by_day({0: 1, 48: 2, 50: 6})) == []


def test_before_the_first_injection_and_without_one_it_is_not_judged():
    assert not_easing(pain_by_day({-10: 1, -8: 5})) == []
    assert not_easing(pain_by_day({0: 1, 5: 5}), injections=()) == []


def test_after_a_second_injection_its_own_days_zero_to_two_are_the_comparison():
    injections = (INJECTION, day(10))
    assert not_easing(pain_by_day({0: 9, 10: 2, 13: 3}), injections) == [
        Finding(NOT_EASING, CAUTION, day(13))
    ]
    assert not_easing(pain_by_day({1: 1, 10: 5, 13: 4}), injections) == []
