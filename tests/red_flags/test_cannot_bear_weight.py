from datetime import date, timedelta
from functools import partial

from diary.red_flags import CANNOT_BEAR_WEIGHT, CAUTION, URGENT, DayRecord, Finding, evaluate

INJECTION = date(2024, 4, 1)
record = partial(DayRecord, pain=0, swelling=0, warmth=0, redness="none", weight_bearing="full")
cannot = partial(record, weight_bearing="cannot")


def day(n: int) -> date:
    return INJECTION + timedelta(days=n)


def weight_findings(records: list[DayRecord], injections=(INJECTION,)) -> list[Finding]:
    return [f for f in evaluate(records, injections) if f.code == CANNOT_BEAR_WEIGHT]


def test_cannot_bear_weight_on_one_day_is_caution():
    found = evaluate([record(day(4)), cannot(day(5))], [INJECTION])
    assert found == [Finding(CANNOT_BEAR_WEIGHT, CAUTION, day(5))]


def test_cannot_bear_weight_two_days_in_a_row_is_urgent_on_the_second():
    found = weight_findings([cannot(day(4)), cannot(day(5))])
    assert found == [
        Finding(CANNOT_BEAR_WEIGHT, CAUTION, day(4)),
        Finding(CANNOT_BEAR_WEIGHT, URGENT, day(5)),
    ]
    assert found[1].evidence == (day(4), day(5))


def test_a_skipped_day_in_between_still_makes_it_urgent():
    found = weight_findings([cannot(day(3)), cannot(day(5))])
    assert found == [
        Finding(CANNOT_BEAR_WEIGHT, CAUTION, day(3)),
        Finding(CANNOT_BEAR_WEIGHT, URGENT, day(5)),
    ]
    assert found[1].evidence == (day(3), day(5))


def test_every_other_day_is_urgent_from_the_second_entry_on():
    found = weight_findings([cannot(day(n)) for n in (3, 5, 7, 9)])
    assert [f.severity for f in found] == [CAUTION, URGENT, URGENT, URGENT]


def test_three_days_apart_is_too_long_a_gap_to_persist():
    found = weight_findings([cannot(day(3)), cannot(day(6))])
    assert [f.severity for f in found] == [CAUTION, CAUTION]


def test_cannot_two_days_before_counts_even_with_a_better_day_between():
    records = [cannot(day(3)), record(day(4), weight_bearing="painful"), cannot(day(5))]
    assert weight_findings(records)[-1] == Finding(CANNOT_BEAR_WEIGHT, URGENT, day(5))


def test_painful_weight_bearing_does_not_fire():
    assert evaluate([record(day(4), weight_bearing="painful")], [INJECTION]) == []


def test_painful_then_cannot_is_caution():
    found = evaluate([record(day(4), weight_bearing="painful"), cannot(day(5))], [INJECTION])
    assert found == [Finding(CANNOT_BEAR_WEIGHT, CAUTION, day(5))]


def test_walking_again_the_next_day_does_not_fire():
    found = evaluate([cannot(day(4)), record(day(5))], [INJECTION])
    assert found == [Finding(CANNOT_BEAR_WEIGHT, CAUTION, day(4))]


def test_days_before_the_first_injection_are_not_judged_but_count_as_earlier_entries():
    assert weight_findings([cannot(day(-2)), cannot(day(-1))]) == []
    found = weight_findings([cannot(day(-1)), cannot(day(0))])
    assert found == [Finding(CANNOT_BEAR_WEIGHT, URGENT, day(0))]
    assert found[0].evidence == (day(-1), day(0))


def test_without_an_injection_it_is_not_judged():
    assert weight_findings([cannot(day(4)), cannot(day(5))], injections=()) == []


def test_it_persists_across_a_second_injection():
    found = weight_findings([cannot(day(9)), cannot(day(10))], injections=(INJECTION, day(10)))
    assert found[-1] == Finding(CANNOT_BEAR_WEIGHT, URGENT, day(10))
