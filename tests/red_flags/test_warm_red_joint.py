from datetime import date, timedelta
from functools import partial

from diary.red_flags import (
    CAUTION,
    REDNESS_SPREADING,
    URGENT,
    WARM_RED_JOINT,
    DayRecord,
    Finding,
    evaluate,
)

INJECTION = date(2024, 4, 1)
record = partial(DayRecord, pain=0, swelling=0, warmth=0, redness="none", weight_bearing="full")
warm_red = partial(record, warmth=2, redness="present")
red = partial(record, redness="present")


def day(n: int) -> date:
    return INJECTION + timedelta(days=n)


def warm_red_findings(records: list[DayRecord], injections=(INJECTION,)) -> list[Finding]:
    return [f for f in evaluate(records, injections) if f.code == WARM_RED_JOINT]


def test_warm_and_red_joint_on_two_days_in_a_row_is_caution():
    found = warm_red_findings([warm_red(day(4)), warm_red(day(5))])
    assert found == [Finding(WARM_RED_JOINT, CAUTION, day(5))]
    assert found[0].evidence == (day(4), day(5))


def test_a_single_warm_and_red_day_does_not_fire():
    assert warm_red_findings([warm_red(day(5))]) == []
    assert warm_red_findings([record(day(4)), warm_red(day(5))]) == []


def test_slight_warmth_on_either_day_does_not_fire():
    assert warm_red_findings([warm_red(day(4), warmth=1), warm_red(day(5))]) == []
    assert warm_red_findings([warm_red(day(4)), warm_red(day(5), warmth=1)]) == []


def test_no_redness_on_either_day_does_not_fire():
    assert warm_red_findings([warm_red(day(4), redness="none"), warm_red(day(5))]) == []
    assert warm_red_findings([warm_red(day(4)), warm_red(day(5), redness="none")]) == []


def test_hot_joint_with_spreading_redness_also_counts():
    records = [warm_red(day(4), warmth=3), warm_red(day(5), warmth=3, redness="spreading")]
    found = [f for f in evaluate(records, [INJECTION]) if f.on == day(5)]
    assert found == [
        Finding(REDNESS_SPREADING, URGENT, day(5)),
        Finding(WARM_RED_JOINT, CAUTION, day(5)),
    ]


def test_the_previous_entry_may_be_two_days_before():
    found = warm_red_findings([warm_red(day(3)), warm_red(day(5))])
    assert found == [Finding(WARM_RED_JOINT, CAUTION, day(5))]
    assert found[0].evidence == (day(3), day(5))


def test_three_days_before_is_too_long_a_gap():
    assert warm_red_findings([warm_red(day(3)), warm_red(day(6))]) == []


def test_the_previous_entry_is_the_latest_one_only():
    # Day 4 was warm but not red: day 3 is not the previous entry of day 5.
    records = [warm_red(day(3)), record(day(4), warmth=2), warm_red(day(5))]
    assert warm_red_findings(records) == []


def test_three_days_in_a_row_fire_on_the_second_and_third():
    found = warm_red_findings([warm_red(day(n)) for n in (4, 5, 6)])
    assert [f.on for f in found] == [day(5), day(6)]


def test_redness_on_each_of_the_last_three_entries_from_day_three_is_caution():
    found = warm_red_findings([red(day(1)), red(day(2)), red(day(3))])
    assert found == [Finding(WARM_RED_JOINT, CAUTION, day(3))]
    assert found[0].evidence == (day(1), day(2), day(3))


def test_redness_that_stays_across_skipped_days_is_caught():
    found = warm_red_findings([red(day(3)), red(day(5)), red(day(7))])
    assert found == [Finding(WARM_RED_JOINT, CAUTION, day(7))]


def test_redness_on_three_entries_spread_over_more_than_four_days_does_not_fire():
    assert warm_red_findings([red(day(3)), red(day(6)), red(day(8))]) == []


def test_redness_on_only_two_of_the_last_three_entries_does_not_fire():
    assert warm_red_findings([red(day(3)), record(day(4)), red(day(5))]) == []


def test_redness_on_three_entries_ending_in_the_reaction_window_does_not_fire():
    assert warm_red_findings([red(day(0)), red(day(1)), red(day(2))]) == []


def test_before_the_first_injection_and_without_one_it_is_not_judged():
    assert warm_red_findings([warm_red(day(-3)), warm_red(day(-2))]) == []
    assert warm_red_findings([warm_red(day(4)), warm_red(day(5))], injections=()) == []


def test_a_second_injection_keeps_reading_the_entries_before_it():
    found = warm_red_findings([warm_red(day(9)), warm_red(day(10))], (INJECTION, day(10)))
    assert found == [Finding(WARM_RED_JOINT, CAUTION, day(10))]
