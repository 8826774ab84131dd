import ast
import dataclasses
import random
from datetime import date, timedelta
from functools import partial
from pathlib import Path

import pytest

from diary import red_flags
from diary.red_flags import (
    ALL_CODES,
    CANNOT_BEAR_WEIGHT,
    CAUTION,
    EARLY_REACTION,
    FEVER,
    INFO,
    NOT_EASING,
    REDNESS_SPREADING,
    SEVERITY_ORDER,
    SWELLING_WORSENING,
    UNWELL,
    URGENT,
    WARM_RED_JOINT,
    DayRecord,
    Finding,
    days_since_injection,
    evaluate,
    severity_rank,
)

INJECTION = date(2024, 4, 1)
record = partial(DayRecord, pain=0, swelling=0, warmth=0, redness="none", weight_bearing="full")


def day(n: int) -> date:
    return INJECTION + timedelta(days=n)


def eventful_history() -> list[DayRecord]:
    """Two injections and a bit of everything, to compare whole results."""
    return [
        record(day(-2), pain=6, redness="spreading", temperature_c=39.0),
        record(day(0), pain=5, swelling=1),
        record(day(1), pain=4, swelling=2, warmth=1),
        record(day(2), pain=3, swelling=1),
        record(day(3), pain=2, swelling=2, warmth=2, redness="present"),
        record(day(4), pain=4, swelling=3, warmth=2, redness="present", weight_bearing="cannot"),
        record(day(5), pain=7, swelling=3, weight_bearing="cannot", temperature_c=37.6),
        record(day(7), pain=2, unwell=True),
        record(day(10), pain=6, swelling=1),
        record(day(11), pain=4, feverish=True),
    ]


def test_the_module_imports_nothing_but_the_standard_library():
    tree = ast.parse(Path(red_flags.__file__).read_text())
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported <= {"__future__", "collections", "dataclasses", "datetime"}


def test_a_whole_history_gives_every_finding_oldest_first():
    found = evaluate(eventful_history(), [INJECTION, day(10)])
    assert found == [
        Finding(FEVER, URGENT, day(-2)),
        Finding(REDNESS_SPREADING, URGENT, day(-2)),
        Finding(EARLY_REACTION, INFO, day(0)),
        Finding(EARLY_REACTION, INFO, day(1)),
        Finding(EARLY_REACTION, INFO, day(2)),
        Finding(SWELLING_WORSENING, URGENT, day(4)),
        Finding(CANNOT_BEAR_WEIGHT, CAUTION, day(4)),
        Finding(NOT_EASING, CAUTION, day(4)),
        Finding(WARM_RED_JOINT, CAUTION, day(4)),
        Finding(CANNOT_BEAR_WEIGHT, URGENT, day(5)),
        Finding(FEVER, URGENT, day(5)),
        Finding(NOT_EASING, CAUTION, day(5)),
        Finding(UNWELL, CAUTION, day(7)),
        Finding(EARLY_REACTION, INFO, day(10)),
        Finding(FEVER, CAUTION, day(11)),
    ]
    evidence = {(f.on, f.code): f.evidence for f in found}
    assert evidence[day(1), EARLY_REACTION] == (day(-2), day(0), day(1))
    assert evidence[day(4), SWELLING_WORSENING] == (day(2), day(3), day(4))
    assert evidence[day(5), NOT_EASING] == (day(0), day(1), day(2), day(3), day(4), day(5))


def test_records_in_any_order_give_the_same_result():
    history = eventful_history()
    expected = evaluate(history, [INJECTION, day(10)])
    shuffled = history[:]
    random.Random(7).shuffle(shuffled)
    for records in (reversed(history), shuffled, iter(history)):
        found = evaluate(records, [day(10), INJECTION, day(10)])
        assert found == expected
        assert [f.evidence for f in found] == [f.evidence for f in expected]


def test_two_records_for_one_day_are_rejected():
    with pytest.raises(ValueError, match="2024-04-03"):
        evaluate([record(day(2)), record(day(2), pain=1)], [INJECTION])


def test_before_the_first_injection_only_fever_unwell_and_spreading_redness_are_judged():
    records = [
        record(day(-2), weight_bearing="cannot", temperature_c=39.0, redness="spreading"),
        record(day(-1), pain=8, swelling=3, warmth=3, redness="present", unwell=True),
    ]
    assert evaluate(records, [INJECTION]) == [
        Finding(FEVER, URGENT, day(-2)),
        Finding(REDNESS_SPREADING, URGENT, day(-2)),
        Finding(UNWELL, URGENT, day(-1)),
    ]


def test_without_injections_fever_unwell_and_spreading_redness_are_still_judged():
    records = [
        record(day(3), temperature_c=39.5),
        record(day(4), pain=9, swelling=3, warmth=3, weight_bearing="cannot"),
        record(day(5), pain=9, swelling=3, warmth=3, weight_bearing="cannot", unwell=True),
        record(day(6), redness="spreading"),
    ]
    assert evaluate(records, [], today=day(8)) == [
        Finding(FEVER, URGENT, day(3)),
        Finding(UNWELL, URGENT, day(5)),
        Finding(REDNESS_SPREADING, URGENT, day(6)),
    ]


def test_an_earlier_day_can_be_evidence_for_the_injection_day():
    records = [record(day(-1), weight_bearing="cannot"), record(day(0), weight_bearing="cannot")]
    found = evaluate(records, [INJECTION])
    assert found == [Finding(CANNOT_BEAR_WEIGHT, URGENT, day(0))]
    assert found[0].evidence == (day(-1), day(0))


def test_within_a_day_most_severe_comes_first_then_by_code():
    records = [
        record(day(4), weight_bearing="cannot"),
        record(day(5), redness="spreading", weight_bearing="cannot", temperature_c=38.5),
        record(day(6), pain=2, unwell=True),
    ]
    found = evaluate(records, [INJECTION])
    assert [(f.on, f.code, f.severity) for f in found] == [
        (day(4), CANNOT_BEAR_WEIGHT, CAUTION),
        (day(5), CANNOT_BEAR_WEIGHT, URGENT),
        (day(5), FEVER, URGENT),
        (day(5), REDNESS_SPREADING, URGENT),
        (day(6), NOT_EASING, CAUTION),
        (day(6), UNWELL, CAUTION),
    ]


def test_a_rule_fires_at_most_once_per_day():
    history = eventful_history()
    found = evaluate(history, [INJECTION, day(10)])
    assert len({(f.on, f.code) for f in found}) == len(found)


def test_of_one_code_on_one_day_only_the_most_severe_is_kept():
    # No two rules share a code today; this guards the merge step for when one does.
    on = day(5)
    merged = red_flags._most_severe_sorted(
        [Finding(FEVER, CAUTION, on), Finding(FEVER, URGENT, on), Finding(FEVER, INFO, on)]
    )
    assert merged == [Finding(FEVER, URGENT, on)]


def test_a_finding_without_evidence_equals_one_with_it():
    found = evaluate([record(day(5), temperature_c=38.0)], [INJECTION])
    assert found == [Finding(FEVER, URGENT, day(5))]
    assert found[0].evidence == (day(5),)
    assert Finding(FEVER, URGENT, day(5)).evidence == ()
    assert hash(found[0]) == hash(Finding(FEVER, URGENT, day(5)))


def test_records_and_findings_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        record(day(1)).pain = 5
    with pytest.raises(dataclasses.FrozenInstanceError):
        Finding(FEVER, URGENT, day(1)).severity = INFO


@pytest.mark.parametrize(
    "bad",
    [{"redness": "red"}, {"weight_bearing": "no"}, {"pain": 11}, {"swelling": -1}, {"warmth": 4}],
)
def test_a_record_with_an_unknown_answer_is_rejected(bad):
    with pytest.raises(ValueError):
        record(day(1), **bad)


def test_a_caution_temperature_above_the_urgent_one_is_rejected():
    with pytest.raises(ValueError):
        evaluate([], [INJECTION], fever_caution_c=38.5, fever_urgent_c=38.0)


def test_severities_rank_urgent_above_caution_above_info():
    assert SEVERITY_ORDER == (URGENT, CAUTION, INFO)
    assert severity_rank(URGENT) > severity_rank(CAUTION) > severity_rank(INFO)


def test_all_codes_are_listed_once():
    assert len(set(ALL_CODES)) == len(ALL_CODES) == 10
    assert {FEVER, UNWELL, SWELLING_WORSENING, EARLY_REACTION, NOT_EASING} <= set(ALL_CODES)
    assert {red_flags.HOT_SWOLLEN_JOINT, REDNESS_SPREADING, WARM_RED_JOINT} <= set(ALL_CODES)
    assert red_flags.MISSED_ENTRIES in ALL_CODES


def test_default_thresholds_match_the_spec():
    assert red_flags.DEFAULT_FEVER_CAUTION_C == 37.5
    assert red_flags.DEFAULT_FEVER_URGENT_C == 38.0
    assert red_flags.MISSED_ENTRIES_WINDOW == (1, 14)


def test_day_number_counts_from_the_latest_injection_on_or_before_a_day():
    injections = [day(10), INJECTION]
    assert days_since_injection(day(-1), injections) is None
    assert days_since_injection(day(0), injections) == 0
    assert days_since_injection(day(9), injections) == 9
    assert days_since_injection(day(12), injections) == 2
