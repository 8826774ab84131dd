from datetime import date, timedelta
from functools import partial

import pytest

from diary.red_flags import (
    CAUTION,
    HOT_SWOLLEN_JOINT,
    URGENT,
    DayRecord,
    Finding,
    evaluate,
)

INJECTION = date(2024, 4, 1)
record = partial(DayRecord, pain=0, swelling=0, warmth=0, redness="none", weight_bearing="full")
hot_swollen = partial(record, pain=7, swelling=2, warmth=2)


def day(n: int) -> date:
    return INJECTION + timedelta(days=n)


def hot_swollen_findings(records: list[DayRecord], injections=(INJECTION,)) -> list[Finding]:
    return [f for f in evaluate(records, injections) if f.code == HOT_SWOLLEN_JOINT]


@pytest.mark.parametrize("day_number", [3, 4, 14, 60])
def test_hot_swollen_very_painful_joint_from_day_three_is_urgent_without_fever(day_number):
    found = hot_swollen_findings([hot_swollen(day(day_number))])
    assert found == [Finding(HOT_SWOLLEN_JOINT, URGENT, day(day_number))]
    assert found[0].evidence == (day(day_number),)


@pytest.mark.parametrize("day_number", [0, 1, 2])
def test_in_the_reaction_window_it_is_a_caution(day_number):
    assert hot_swollen_findings([hot_swollen(day(day_number))]) == [
        Finding(HOT_SWOLLEN_JOINT, CAUTION, day(day_number))
    ]


@pytest.mark.parametrize("below", [{"pain": 6}, {"swelling": 1}, {"warmth": 1}])
def test_just_below_any_threshold_it_does_not_fire(below):
    assert hot_swollen_findings([hot_swollen(day(4), **below)]) == []


def test_the_highest_scores_fire_too():
    found = hot_swollen_findings([hot_swollen(day(4), pain=10, swelling=3, warmth=3)])
    assert found == [Finding(HOT_SWOLLEN_JOINT, URGENT, day(4))]


def test_one_entry_is_enough_after_skipped_days():
    records = [record(day(0)), hot_swollen(day(4))]
    assert hot_swollen_findings(records) == [Finding(HOT_SWOLLEN_JOINT, URGENT, day(4))]


def test_before_the_first_injection_and_without_one_it_is_not_judged():
    assert hot_swollen_findings([hot_swollen(day(-1))]) == []
    assert hot_swollen_findings([hot_swollen(day(4))], injections=()) == []


def test_a_second_injection_opens_a_new_reaction_window():
    injections = (INJECTION, day(10))
    assert hot_swollen_findings([hot_swollen(day(11))], injections) == [
        Finding(HOT_SWOLLEN_JOINT, CAUTION, day(11))
    ]
    assert hot_swollen_findings([hot_swollen(day(13))], injections) == [
        Finding(HOT_SWOLLEN_JOINT, URGENT, day(13))
    ]
