from datetime import date, timedelta
from functools import partial

from diary.red_flags import CANNOT_BEAR_WEIGHT, CAUTION, URGENT, DayRecord, Finding, evaluate

INJECTION = date(2024, 4, 1)
record = partial(DayRecord, pain=0, swelling=0, warmth=0, redness="none", weight_bearing="full")
cannot = partial(record, weight_bearing="cannot")


def day(n: int) -> date:
    return INJECTION + timedelta(days=n)


def test_cannot_bear_weight_on_one_day_is_caution():
    found = evaluate([record(day(4)), cannot(day(5))], [INJECTION])
    assert found == [Finding(CANNOT_BEAR_WEIGHT, CAUTION, day(5))]


def test_cannot_bear_weight_two_days_in_a_row_is_urgent_on_the_second():
    found = evaluate([cannot(day(4)), cannot(day(5))], [INJECTION])
    assert found == [
        Finding(CANNOT_BEAR_WEIGHT, CAUTION, day(4)),
        Finding(CANNOT_BEAR_WEIGHT, URGENT, day(5)),
    ]
    assert found[1].evidence == (day(4), day(5))


def test_painful_weight_bearing_does_not_fire():
    assert evaluate([record(day(4), weight_bearing="painful")], [INJECTION]) == []


def test_painful_then_cannot_is_caution():
    found = evaluate([record(day(4), weight_bearing="painful"), cannot(day(5))], [INJECTION])
    assert found == [Finding(CANNOT_BEAR_WEIGHT, CAUTION, day(5))]


def test_a_missing_day_in_between_keeps_it_at_caution():
    found = evaluate([cannot(day(3)), cannot(day(5))], [INJECTION])
    assert [f.severity for f in found] == [CAUTION, CAUTION]


def test_walking_again_the_next_day_does_not_fire():
    found = evaluate([cannot(day(4)), record(day(5))], [INJECTION])
    assert found == [Finding(CANNOT_BEAR_WEIGHT, CAUTION, day(4))]


def test_only_the_urgent_finding_is_returned_for_the_second_day():
    found = evaluate([cannot(day(4)), cannot(day(5))], [INJECTION])
    assert [f for f in found if f.on == day(5)] == [Finding(CANNOT_BEAR_WEIGHT, URGENT, day(5))]
