"""The histories that version 1 of the rules left green or at a caution (issue 15).

Each is a pattern a clinician would want a call about now; version 2 must make it urgent.
"""

from datetime import date, timedelta
from functools import partial

from diary.red_flags import (
    CANNOT_BEAR_WEIGHT,
    CAUTION,
    FEVER,
    HOT_SWOLLEN_JOINT,
    SWELLING_WORSENING,
    UNWELL,
    URGENT,
    DayRecord,
    Finding,
    evaluate,
)

INJECTION = date(2024, 4, 1)
record = partial(DayRecord, pain=0, swelling=0, warmth=0, redness="none", weight_bearing="full")


def day(n: int) -> date:
    return INJECTION + timedelta(days=n)


def test_a_first_entry_on_day_four_with_a_hot_swollen_red_joint_and_no_fever_is_urgent():
    first = record(day(4), pain=10, swelling=3, warmth=3, redness="present")
    assert Finding(HOT_SWOLLEN_JOINT, URGENT, day(4)) in evaluate([first], [INJECTION])


def test_unwell_with_a_hot_swollen_painful_joint_and_no_fever_is_urgent():
    found = evaluate([record(day(5), unwell=True, pain=9, swelling=3, warmth=3)], [INJECTION])
    assert found == [Finding(HOT_SWOLLEN_JOINT, URGENT, day(5)), Finding(UNWELL, URGENT, day(5))]


def test_a_raised_temperature_with_redness_and_not_bearing_weight_is_an_urgent_fever():
    entry = record(day(5), temperature_c=37.8, redness="present", weight_bearing="cannot")
    found = evaluate([entry], [INJECTION])
    assert found == [Finding(FEVER, URGENT, day(5)), Finding(CANNOT_BEAR_WEIGHT, CAUTION, day(5))]


def test_swelling_rising_while_logged_every_other_day_is_urgent():
    records = [record(day(n), swelling=s) for n, s in ((1, 0), (3, 1), (5, 2), (7, 3))]
    found = [f for f in evaluate(records, [INJECTION]) if f.code == SWELLING_WORSENING]
    assert found == [
        Finding(SWELLING_WORSENING, URGENT, day(5)),
        Finding(SWELLING_WORSENING, URGENT, day(7)),
    ]


def test_not_bearing_weight_every_other_day_is_urgent():
    records = [record(day(n), weight_bearing="cannot") for n in (3, 5, 7, 9)]
    found = [f for f in evaluate(records, [INJECTION]) if f.code == CANNOT_BEAR_WEIGHT]
    assert [(f.on, f.severity) for f in found] == [
        (day(3), CAUTION),
        (day(5), URGENT),
        (day(7), URGENT),
        (day(9), URGENT),
    ]


def test_a_high_fever_with_no_injection_recorded_is_urgent():
    assert evaluate([record(day(2), temperature_c=39.5)], []) == [Finding(FEVER, URGENT, day(2))]


def test_a_high_fever_on_a_baseline_day_is_urgent():
    found = evaluate([record(day(-1), temperature_c=39.5)], [INJECTION])
    assert found == [Finding(FEVER, URGENT, day(-1))]
