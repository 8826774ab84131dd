from datetime import date, timedelta
from functools import partial

import pytest

from diary.red_flags import (
    CAUTION,
    EARLY_REACTION,
    FEVER,
    HOT_SWOLLEN_JOINT,
    INFO,
    REDNESS_SPREADING,
    URGENT,
    DayRecord,
    Finding,
    evaluate,
)

INJECTION = date(2024, 4, 1)
record = partial(DayRecord, pain=0, swelling=0, warmth=0, redness="none", weight_bearing="full")


def day(n: int) -> date:
    return INJECTION + timedelta(days=n)


@pytest.mark.parametrize("day_number", [0, 1, 2])
@pytest.mark.parametrize("symptom", [{"pain": 4}, {"swelling": 1}, {"warmth": 1}])
def test_symptoms_in_the_first_three_days_are_an_expected_reaction(day_number, symptom):
    found = evaluate([record(day(day_number), **symptom)], [INJECTION])
    assert found == [Finding(EARLY_REACTION, INFO, day(day_number))]


def test_pain_just_below_the_threshold_is_not_reported():
    assert evaluate([record(day(1), pain=3)], [INJECTION]) == []


def test_no_symptoms_in_the_window_are_not_reported():
    assert evaluate([record(day(n)) for n in range(3)], [INJECTION]) == []


def test_the_same_symptoms_on_day_three_are_not_an_early_reaction():
    assert evaluate([record(day(3), pain=4, swelling=1, warmth=1)], [INJECTION]) == []


def test_before_the_first_injection_there_is_no_reaction():
    assert evaluate([record(day(-1), pain=6, swelling=1)], [INJECTION]) == []
    assert evaluate([record(day(1), pain=6, swelling=1)], []) == []


def test_an_urgent_finding_the_same_day_replaces_the_reassurance():
    found = evaluate([record(day(1), swelling=1, redness="spreading")], [INJECTION])
    assert found == [Finding(REDNESS_SPREADING, URGENT, day(1))]


def test_a_caution_finding_the_same_day_replaces_the_reassurance():
    found = evaluate([record(day(1), pain=4, feverish=True)], [INJECTION])
    assert found == [Finding(FEVER, CAUTION, day(1))]


def test_a_strong_reaction_in_the_window_is_a_caution_not_the_usual_reaction():
    found = evaluate([record(day(1), pain=7, swelling=2, warmth=2)], [INJECTION])
    assert found == [Finding(HOT_SWOLLEN_JOINT, CAUTION, day(1))]


def test_swelling_rising_into_day_two_is_an_early_reaction_with_its_days_as_evidence():
    records = [record(day(n), swelling=n) for n in range(3)]
    found = [f for f in evaluate(records, [INJECTION]) if f.on == day(2)]
    assert found == [Finding(EARLY_REACTION, INFO, day(2))]
    assert found[0].evidence == (day(0), day(1), day(2))


def test_swelling_rise_across_a_skipped_day_is_read_from_the_entries():
    records = [record(day(-2), swelling=0), record(day(0), swelling=1), record(day(2), swelling=2)]
    found = [f for f in evaluate(records, [INJECTION]) if f.on == day(2)]
    assert found == [Finding(EARLY_REACTION, INFO, day(2))]
    assert found[0].evidence == (day(-2), day(0), day(2))


def test_a_swelling_rise_on_an_urgent_day_is_not_called_the_usual_reaction():
    records = [record(day(0), swelling=0), record(day(1), swelling=1)]
    records.append(record(day(2), swelling=2, temperature_c=38.5))
    found = [f for f in evaluate(records, [INJECTION]) if f.on == day(2)]
    assert found == [Finding(FEVER, URGENT, day(2))]


def test_a_rise_that_starts_before_the_injection_counts_when_it_ends_in_the_window():
    records = [record(day(-2), swelling=0), record(day(-1), swelling=1), record(day(0), swelling=2)]
    found = evaluate(records, [INJECTION])
    assert found == [Finding(EARLY_REACTION, INFO, day(0))]
    assert found[0].evidence == (day(-2), day(-1), day(0))


def test_a_second_injection_opens_a_new_reaction_window():
    injections = [INJECTION, day(10)]
    records = [record(day(5), pain=4), record(day(11), pain=4)]
    assert evaluate(records, injections) == [Finding(EARLY_REACTION, INFO, day(11))]


def test_a_swelling_rise_over_more_than_four_days_is_not_a_trend():
    # Days -3, 0 and 2 span five days: the reaction on day 2 is its swelling alone, not a rise.
    records = [record(day(-3), swelling=0), record(day(0), swelling=1), record(day(2), swelling=2)]
    found = [f for f in evaluate(records, [INJECTION]) if f.on == day(2)]
    assert found == [Finding(EARLY_REACTION, INFO, day(2))]
    assert found[0].evidence == (day(2),)
