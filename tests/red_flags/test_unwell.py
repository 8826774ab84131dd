from datetime import date, timedelta
from functools import partial

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
