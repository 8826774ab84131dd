from datetime import date, timedelta
from functools import partial

import pytest

from diary.red_flags import CAUTION, FEVER, UNWELL, URGENT, DayRecord, Finding, evaluate

INJECTION = date(2024, 4, 1)
record = partial(DayRecord, pain=0, swelling=0, warmth=0, redness="none", weight_bearing="full")


def day(n: int) -> date:
    return INJECTION + timedelta(days=n)


def test_feeling_unwell_without_fever_is_caution():
    assert evaluate([record(day(5), unwell=True)], [INJECTION]) == [
        Finding(UNWELL, CAUTION, day(5))
    ]


def test_feeling_well_does_not_fire():
    assert evaluate([record(day(5))], [INJECTION]) == []


def test_feeling_unwell_with_a_normal_temperature_is_caution():
    found = evaluate([record(day(5), unwell=True, temperature_c=37.4)], [INJECTION])
    assert found == [Finding(UNWELL, CAUTION, day(5))]


@pytest.mark.parametrize(
    "local_sign",
    [{"warmth": 2}, {"swelling": 2}, {"redness": "present"}, {"weight_bearing": "cannot"}],
)
def test_feeling_unwell_with_a_local_sign_and_no_fever_is_urgent(local_sign):
    found = [f for f in evaluate([record(day(5), unwell=True, **local_sign)], [INJECTION])]
    assert Finding(UNWELL, URGENT, day(5)) in found


@pytest.mark.parametrize(
    "almost", [{"warmth": 1}, {"swelling": 1}, {"weight_bearing": "painful"}, {"pain": 10}]
)
def test_slight_warmth_mild_swelling_painful_weight_bearing_or_pain_are_not_local_signs(almost):
    found = evaluate([record(day(5), unwell=True, **almost)], [INJECTION])
    assert [f for f in found if f.code == UNWELL] == [Finding(UNWELL, CAUTION, day(5))]


def test_feeling_unwell_with_a_raised_temperature_is_an_urgent_fever_instead():
    found = evaluate([record(day(5), unwell=True, temperature_c=37.5)], [INJECTION])
    assert found == [Finding(FEVER, URGENT, day(5))]


def test_feeling_unwell_and_feverish_is_an_urgent_fever_instead():
    found = evaluate([record(day(5), unwell=True, feverish=True)], [INJECTION])
    assert found == [Finding(FEVER, URGENT, day(5))]


def test_clinic_caution_threshold_decides_what_counts_as_a_fever_sign():
    found = evaluate(
        [record(day(5), unwell=True, temperature_c=37.6)],
        [INJECTION],
        fever_caution_c=37.8,
        fever_urgent_c=38.5,
    )
    assert found == [Finding(UNWELL, CAUTION, day(5))]


def test_it_is_judged_before_the_first_injection_and_without_one():
    assert evaluate([record(day(-3), unwell=True)], [INJECTION]) == [
        Finding(UNWELL, CAUTION, day(-3))
    ]
    assert evaluate([record(day(5), unwell=True, warmth=3)], []) == [
        Finding(UNWELL, URGENT, day(5))
    ]


def test_in_the_reaction_window_a_local_sign_still_makes_it_urgent():
    found = evaluate([record(day(1), unwell=True, swelling=2)], [INJECTION])
    assert found == [Finding(UNWELL, URGENT, day(1))]


def test_after_a_second_injection_it_is_judged_the_same():
    found = evaluate([record(day(11), unwell=True)], [INJECTION, day(10)])
    assert found == [Finding(UNWELL, CAUTION, day(11))]
