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


def day(n: int) -> date:
    return INJECTION + timedelta(days=n)


def warm_red_findings(records: list[DayRecord]) -> list[Finding]:
    return [f for f in evaluate(records, [INJECTION]) if f.code == WARM_RED_JOINT]


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


def test_a_missing_day_in_between_breaks_the_pair():
    assert warm_red_findings([warm_red(day(3)), warm_red(day(5))]) == []


def test_three_days_in_a_row_fire_on_the_second_and_third():
    found = warm_red_findings([warm_red(day(n)) for n in (4, 5, 6)])
    assert [f.on for f in found] == [day(5), day(6)]
