from datetime import date, timedelta
from functools import partial

from diary.red_flags import CAUTION, NOT_EASING, DayRecord, Finding, evaluate

INJECTION = date(2024, 4, 1)
record = partial(DayRecord, pain=0, swelling=0, warmth=0, redness="none", weight_bearing="full")


def day(n: int) -> date:
    return INJECTION + timedelta(days=n)


def pain_by_day(pain: dict[int, int]) -> list[DayRecord]:
    return [record(day(n), pain=value) for n, value in pain.items()]


def not_easing(records: list[DayRecord], injections=(INJECTION,)) -> list[Finding]:
    return [f for f in evaluate(records, injections) if f.code == NOT_EASING]


def test_pain_above_its_highest_in_days_zero_to_two_is_caution():
    found = not_easing(pain_by_day({0: 3, 1: 5, 2: 4, 3: 6}))
    assert found == [Finding(NOT_EASING, CAUTION, day(3))]
    assert found[0].evidence == (day(0), day(1), day(2), day(3))


def test_pain_equal_to_its_highest_in_the_window_does_not_fire():
    assert not_easing(pain_by_day({0: 3, 1: 5, 2: 4, 3: 5})) == []


def test_swelling_above_its_highest_in_the_window_is_caution():
    records = [record(day(0), swelling=1), record(day(1), swelling=2), record(day(4), swelling=3)]
    assert not_easing(records) == [Finding(NOT_EASING, CAUTION, day(4))]


def test_swelling_equal_to_its_highest_in_the_window_does_not_fire():
    records = [record(day(1), swelling=2), record(day(4), swelling=2)]
    assert not_easing(records) == []


def test_comparison_with_the_window_needs_an_entry_in_days_zero_to_two():
    assert not_easing(pain_by_day({3: 8})) == []
    assert not_easing(pain_by_day({-1: 0, 3: 8})) == []


def test_one_window_entry_is_enough():
    assert not_easing(pain_by_day({2: 1, 5: 2})) == [Finding(NOT_EASING, CAUTION, day(5))]


def test_pain_two_points_higher_than_two_days_earlier_is_caution():
    found = not_easing(pain_by_day({0: 8, 5: 2, 7: 4}))
    assert found == [Finding(NOT_EASING, CAUTION, day(7))]
    assert found[0].evidence == (day(5), day(7))


def test_pain_one_point_higher_than_two_days_earlier_does_not_fire():
    assert not_easing(pain_by_day({0: 8, 5: 2, 7: 3})) == []


def test_pain_rise_needs_the_entry_from_two_days_earlier():
    assert not_easing(pain_by_day({0: 8, 5: 2, 6: 4})) == []


def test_pain_rise_on_day_three_compares_with_day_one():
    assert not_easing(pain_by_day({1: 2, 3: 4}))[0].evidence == (day(1), day(3))


def test_both_reasons_on_one_day_give_one_finding():
    found = not_easing(pain_by_day({0: 1, 3: 1, 5: 3}))
    assert found == [Finding(NOT_EASING, CAUTION, day(5))]
    assert found[0].evidence == (day(0), day(3), day(5))


def test_rising_pain_inside_the_window_is_not_judged():
    assert not_easing(pain_by_day({0: 0, 1: 3, 2: 6})) == []


def test_after_a_second_injection_its_own_days_zero_to_two_are_the_comparison():
    injections = (INJECTION, day(10))
    assert not_easing(pain_by_day({0: 9, 10: 2, 13: 3}), injections) == [
        Finding(NOT_EASING, CAUTION, day(13))
    ]
    assert not_easing(pain_by_day({1: 1, 10: 5, 13: 3}), injections) == []
