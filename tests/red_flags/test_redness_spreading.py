from datetime import date, timedelta
from functools import partial

from diary.red_flags import REDNESS_SPREADING, URGENT, DayRecord, Finding, evaluate

INJECTION = date(2024, 4, 1)
record = partial(DayRecord, pain=0, swelling=0, warmth=0, redness="none", weight_bearing="full")


def day(n: int) -> date:
    return INJECTION + timedelta(days=n)


def spreading(records: list[DayRecord], injections=(INJECTION,)) -> list[Finding]:
    return [f for f in evaluate(records, injections) if f.code == REDNESS_SPREADING]


def test_spreading_redness_is_urgent():
    found = evaluate([record(day(4), redness="spreading")], [INJECTION])
    assert found == [Finding(REDNESS_SPREADING, URGENT, day(4))]
    assert found[0].evidence == (day(4),)


def test_spreading_redness_in_the_reaction_window_is_still_urgent():
    found = evaluate([record(day(0), redness="spreading")], [INJECTION])
    assert found == [Finding(REDNESS_SPREADING, URGENT, day(0))]


def test_redness_that_is_present_but_not_spreading_does_not_fire():
    assert evaluate([record(day(4), redness="present")], [INJECTION]) == []


def test_spreading_redness_fires_on_every_day_it_is_reported():
    records = [record(day(n), redness="spreading") for n in (4, 5)]
    assert [f.on for f in spreading(records)] == [day(4), day(5)]


def test_spreading_redness_before_the_first_injection_is_urgent():
    assert spreading([record(day(-1), redness="spreading")]) == [
        Finding(REDNESS_SPREADING, URGENT, day(-1))
    ]


def test_spreading_redness_with_no_injection_recorded_is_urgent():
    assert spreading([record(day(4), redness="spreading")], injections=()) == [
        Finding(REDNESS_SPREADING, URGENT, day(4))
    ]


def test_spreading_redness_long_after_the_injection_is_urgent():
    assert spreading([record(day(60), redness="spreading")])[0].severity == URGENT


def test_spreading_redness_after_a_second_injection_is_urgent():
    found = spreading([record(day(11), redness="spreading")], injections=(INJECTION, day(10)))
    assert found == [Finding(REDNESS_SPREADING, URGENT, day(11))]
