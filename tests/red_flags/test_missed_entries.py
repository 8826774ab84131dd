from datetime import date, timedelta
from functools import partial

import pytest

from diary.red_flags import INFO, MISSED_ENTRIES, DayRecord, Finding, evaluate

INJECTION = date(2024, 4, 1)
record = partial(DayRecord, pain=0, swelling=0, warmth=0, redness="none", weight_bearing="full")


def day(n: int) -> date:
    return INJECTION + timedelta(days=n)


def missed(entry_days, today: date | None, injections=(INJECTION,)) -> list[Finding]:
    records = [record(day(n)) for n in entry_days]
    return [f for f in evaluate(records, injections, today) if f.code == MISSED_ENTRIES]


@pytest.mark.parametrize("today_number", [0, 1, 2])
def test_no_gap_of_two_days_yet_after_the_injection_does_not_fire(today_number):
    assert missed([], day(today_number)) == []


def test_two_empty_days_after_the_injection_fire_on_today():
    found = missed([], day(3))
    assert found == [Finding(MISSED_ENTRIES, INFO, day(3))]
    assert found[0].evidence == ()


def test_one_empty_day_since_the_last_entry_does_not_fire():
    assert missed([1, 2, 3, 4, 5], day(7)) == []


def test_two_empty_days_since_the_last_entry_fire():
    assert missed([1, 2, 3, 4, 5], day(8)) == [Finding(MISSED_ENTRIES, INFO, day(8))]


def test_an_entry_today_does_not_fire():
    assert missed([8], day(8)) == []


def test_day_fourteen_is_the_last_day_watched():
    assert missed([11], day(14)) == [Finding(MISSED_ENTRIES, INFO, day(14))]
    assert missed([12], day(15)) == []


def test_an_entry_before_the_injection_does_not_move_the_reference():
    assert missed([-1], day(3)) == [Finding(MISSED_ENTRIES, INFO, day(3))]


def test_entries_after_today_are_ignored():
    assert missed([1, 10], day(5)) == [Finding(MISSED_ENTRIES, INFO, day(5))]


def test_a_gap_in_the_past_is_not_reported():
    assert missed([1, 5], day(5)) == []


def test_today_defaults_to_the_latest_entry():
    assert missed([1, 5], None) == []


def test_no_entries_and_no_today_return_nothing():
    assert evaluate([], [INJECTION]) == []


def test_no_injection_on_or_before_today_does_not_fire():
    assert missed([], day(5), injections=()) == []
    assert missed([], day(5), injections=(day(6),)) == []


def test_the_latest_injection_on_or_before_today_counts():
    injections = (INJECTION, day(20))
    assert missed([], day(25), injections) == [Finding(MISSED_ENTRIES, INFO, day(25))]
    assert missed([], day(16), injections) == []
    assert missed([2], day(21), injections) == []
