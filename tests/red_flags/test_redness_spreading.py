from datetime import date, timedelta
from functools import partial

from diary.red_flags import REDNESS_SPREADING, URGENT, DayRecord, Finding, evaluate

INJECTION = date(2024, 4, 1)
record = partial(DayRecord, pain=0, swelling=0, warmth=0, redness="none", weight_bearing="full")


def day(n: int) -> date:
    return INJECTION + timedelta(days=n)


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
    found = [f for f in evaluate(records, [INJECTION]) if f.code == REDNESS_SPREADING]
    assert [f.on for f in found] == [day(4), day(5)]
