from datetime import date, timedelta
from decimal import Decimal
from functools import partial

import pytest

from diary.red_flags import CAUTION, FEVER, URGENT, DayRecord, Finding, evaluate

INJECTION = date(2024, 4, 1)
record = partial(DayRecord, pain=0, swelling=0, warmth=0, redness="none", weight_bearing="full")


def day(n: int) -> date:
    return INJECTION + timedelta(days=n)


def fevers(*records: DayRecord, injections=(INJECTION,), **thresholds: float) -> list[Finding]:
    return [f for f in evaluate(records, injections, **thresholds) if f.code == FEVER]


def test_temperature_at_urgent_threshold_is_urgent():
    assert fevers(record(day(5), temperature_c=38.0)) == [Finding(FEVER, URGENT, day(5))]


def test_temperature_just_below_urgent_threshold_alone_is_caution():
    assert fevers(record(day(5), temperature_c=37.9)) == [Finding(FEVER, CAUTION, day(5))]


def test_temperature_at_caution_threshold_is_caution():
    assert fevers(record(day(5), temperature_c=37.5)) == [Finding(FEVER, CAUTION, day(5))]


def test_temperature_just_below_caution_threshold_is_not_a_fever():
    assert fevers(record(day(5), temperature_c=37.4)) == []


def test_feeling_feverish_without_a_measurement_is_caution():
    assert fevers(record(day(5), feverish=True)) == [Finding(FEVER, CAUTION, day(5))]


def test_feeling_feverish_counts_even_with_a_normal_measurement():
    assert fevers(record(day(5), temperature_c=36.6, feverish=True)) == [
        Finding(FEVER, CAUTION, day(5))
    ]


def test_missing_temperature_and_not_feverish_does_not_fire():
    assert fevers(record(day(5), temperature_c=None, unwell=True, warmth=3, swelling=3)) == []


def test_companions_with_a_normal_temperature_do_not_make_a_fever():
    assert fevers(record(day(5), temperature_c=37.4, unwell=True, warmth=3, swelling=3)) == []


COMPANIONS = [
    {"unwell": True},
    {"warmth": 2},
    {"warmth": 3},
    {"swelling": 2},
    {"swelling": 3},
    {"redness": "present"},
    {"redness": "spreading"},
    {"weight_bearing": "cannot"},
]


@pytest.mark.parametrize("companion", COMPANIONS)
def test_raised_temperature_with_a_companion_is_urgent(companion):
    found = fevers(record(day(5), temperature_c=37.5, **companion))
    assert found == [Finding(FEVER, URGENT, day(5))]


@pytest.mark.parametrize("companion", COMPANIONS)
def test_feeling_feverish_with_a_companion_is_urgent(companion):
    assert fevers(record(day(5), feverish=True, **companion)) == [Finding(FEVER, URGENT, day(5))]


@pytest.mark.parametrize(
    "almost_companion",
    [{"warmth": 1}, {"swelling": 1}, {"weight_bearing": "painful"}, {"pain": 10}],
)
def test_slight_warmth_or_mild_swelling_is_not_a_companion(almost_companion):
    found = fevers(record(day(5), temperature_c=37.5, **almost_companion))
    assert found == [Finding(FEVER, CAUTION, day(5))]


def test_only_the_urgent_fever_is_returned_when_caution_also_holds():
    found = fevers(record(day(5), temperature_c=39.0, feverish=True))
    assert found == [Finding(FEVER, URGENT, day(5))]


def test_fever_on_the_injection_day_is_judged():
    assert fevers(record(day(0), temperature_c=38.2)) == [Finding(FEVER, URGENT, day(0))]


def test_fever_carries_its_day_as_evidence():
    (finding,) = fevers(record(day(5), temperature_c=38.2))
    assert finding.evidence == (day(5),)


@pytest.mark.parametrize(
    ("temperature", "expected"),
    [(37.7, None), (37.8, CAUTION), (38.4, CAUTION), (38.5, URGENT), (39.0, URGENT)],
)
def test_clinic_thresholds_replace_the_defaults(temperature, expected):
    found = fevers(
        record(day(5), temperature_c=temperature), fever_caution_c=37.8, fever_urgent_c=38.5
    )
    assert [f.severity for f in found] == ([expected] if expected else [])


@pytest.mark.parametrize(
    ("temperature", "caution"),
    [(Decimal("37.8"), 37.8), (37.8, Decimal("37.8")), (Decimal("37.8"), Decimal("37.8"))],
)
def test_decimal_and_float_values_meet_the_same_threshold(temperature, caution):
    found = fevers(record(day(5), temperature_c=temperature), fever_caution_c=caution)
    assert found == [Finding(FEVER, CAUTION, day(5))]


def test_raised_temperature_with_redness_and_not_bearing_weight_is_urgent():
    found = fevers(record(day(5), temperature_c=37.8, redness="present", weight_bearing="cannot"))
    assert found == [Finding(FEVER, URGENT, day(5))]


@pytest.mark.parametrize("day_number", [-7, -1])
def test_fever_before_the_first_injection_is_judged(day_number):
    assert fevers(record(day(day_number), temperature_c=39.5)) == [
        Finding(FEVER, URGENT, day(day_number))
    ]


def test_fever_with_no_injection_recorded_is_judged():
    assert fevers(record(day(5), temperature_c=39.5), injections=()) == [
        Finding(FEVER, URGENT, day(5))
    ]
    assert fevers(record(day(5), feverish=True), injections=()) == [Finding(FEVER, CAUTION, day(5))]


def test_fever_long_after_the_injection_is_judged():
    assert fevers(record(day(90), temperature_c=38.0)) == [Finding(FEVER, URGENT, day(90))]


def test_fever_after_a_second_injection_is_judged_the_same():
    found = fevers(record(day(11), temperature_c=37.6), injections=(INJECTION, day(10)))
    assert found == [Finding(FEVER, CAUTION, day(11))]
