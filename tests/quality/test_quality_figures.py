"""The quality page's arithmetic on its own (diary/quality.py): no database, no Django."""

from __future__ import annotations

import ast
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import diary.quality
from diary.quality import (
    CallRecord,
    FlagTiming,
    Targets,
    median,
    month_of,
    months_ending,
    percentile,
    quality_months,
    severity_figures,
    share,
)

TOKYO = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=TOKYO)


def at(day: int, hour: int = 9, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TOKYO)


def after(start: datetime, minutes: int) -> datetime:
    return start + timedelta(minutes=minutes)


def test_the_module_does_not_import_django():
    tree = ast.parse(Path(diary.quality.__file__).read_text())
    modules = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
               for alias in node.names}  # fmt: skip
    modules |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(name.split(".")[0] == "django" for name in modules)


# Median, percentile, share


@pytest.mark.parametrize(
    ("values", "expected"),
    [([], None), ([7], 7), ([30, 10, 20], 20), ([10, 20, 30, 40], 25)],
)
def test_the_median(values, expected):
    assert median(values) == expected


@pytest.mark.parametrize(
    ("values", "p", "expected"),
    [
        ([], 90, None),
        ([45], 90, 45.0),
        ([10, 20, 30, 40], 90, 37.0),  # rank 0.9 × 3 = 2.7: 30 + 0.7 × 10
        ([20, 90, 45], 90, 81.0),  # sorted 20, 45, 90; rank 1.8: 45 + 0.8 × 45
        ([360, 2880], 90, 2628.0),  # 360 + 0.9 × 2520
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50, 5.5),
        ([5, 1, 3], 1, 1.04),
    ],
)
def test_the_percentile_is_linear_between_the_closest_ranks(values, p, expected):
    assert percentile(values, p) == pytest.approx(expected)


@pytest.mark.parametrize("p", [0, 100, -5])
def test_a_percentile_outside_1_to_99_is_refused(p):
    with pytest.raises(ValueError):
        percentile([1, 2, 3], p)


def test_a_share_of_nothing_is_none_not_zero():
    assert share(0, 0) is None
    assert share(0, 4) == 0
    assert share(3, 4) == 0.75


# Months in the clinic's time zone


def test_a_flag_belongs_to_the_month_of_the_clinics_calendar():
    # 1 November 00:30 in Tokyo is still 31 October in UTC.
    moment = datetime(2026, 10, 31, 15, 30, tzinfo=ZoneInfo("UTC"))
    assert month_of(moment, TOKYO) == date(2026, 11, 1)
    assert month_of(moment, ZoneInfo("UTC")) == date(2026, 10, 1)


def test_months_ending_go_back_across_the_new_year():
    assert months_ending(date(2026, 2, 14), 3) == [
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
    assert len(months_ending(date(2026, 11, 26))) == 12


# One severity's figures


def test_a_flag_still_inside_its_target_time_is_not_judged_yet():
    fresh = FlagTiming("urgent", after(NOW, -10))  # ten minutes old, open
    late = FlagTiming("urgent", after(NOW, -61))  # an hour and a minute, open
    figures = severity_figures([fresh, late], target_minutes=60, now=NOW)
    assert (figures.flags, figures.acknowledged, figures.judged, figures.within_target) == (
        2,
        0,
        1,
        0,
    )
    assert figures.share_within_target == 0
    assert figures.median_minutes is None and figures.p90_minutes is None


def test_acknowledged_exactly_at_the_target_is_within_it():
    flag = FlagTiming("urgent", at(2), after(at(2), 60), "called")
    figures = severity_figures([flag], target_minutes=60, now=NOW)
    assert (figures.within_target, figures.judged, figures.median_minutes) == (1, 1, 60)


# A month by hand


def test_a_small_fixed_set_of_flags_by_hand():
    flags = [
        # November, urgent: 20, 90 and 45 minutes to acknowledgement, one open for a day,
        # one raised half an hour ago (not judged yet).
        FlagTiming("urgent", at(2), after(at(2), 20), "called"),
        FlagTiming("urgent", at(10, 22), after(at(10, 22), 90), "asked_to_come_in"),
        FlagTiming("urgent", at(20, 8), after(at(20, 8), 45), "referred_emergency"),
        FlagTiming("urgent", at(25, 10)),
        FlagTiming("urgent", at(26, 9, 30)),
        # November, caution: 6 h and 2 days; one open since 1 November 00:30 Tokyo time.
        FlagTiming("caution", at(3, 10), after(at(3, 10), 360), "no_action"),
        FlagTiming("caution", at(5, 10), after(at(5, 10), 2880), "called"),
        FlagTiming("caution", datetime(2026, 10, 31, 15, 30, tzinfo=ZoneInfo("UTC"))),
        # October: one urgent, 30 minutes.
        FlagTiming("urgent", at(31, 23, 50, month=10), at(1, 0, 20), "called"),
        # Older than the months asked for, and an info flag: not counted.
        FlagTiming("urgent", at(30, 9, month=9), at(30, 10, month=9), "called"),
        FlagTiming("info", at(4)),
    ]
    calls = [
        CallRecord(at(3, 11), True),
        CallRecord(at(4, 11), False),
        CallRecord(at(24, 18), True),
        CallRecord(at(15, 11, month=10), True),
    ]
    october, november = quality_months(
        flags,
        calls,
        months=[date(2026, 10, 1), date(2026, 11, 1)],
        tz=TOKYO,
        now=NOW,
        targets=Targets(urgent_minutes=60, caution_minutes=24 * 60),
        actions=("called", "asked_to_come_in", "referred_emergency", "no_action"),
    )

    urgent = november.urgent
    assert (urgent.flags, urgent.acknowledged) == (5, 3)
    assert urgent.median_minutes == 45
    assert urgent.p90_minutes == pytest.approx(81)
    assert (urgent.within_target, urgent.judged) == (2, 4)  # 20 and 45 min, of 4 judged
    assert urgent.share_within_target == 0.5

    caution = november.caution
    assert (caution.flags, caution.acknowledged) == (3, 2)
    assert caution.median_minutes == 1620  # (360 + 2880) / 2
    assert caution.p90_minutes == pytest.approx(2628)
    assert (caution.within_target, caution.judged) == (1, 3)

    assert november.actions == {
        "called": 2,
        "asked_to_come_in": 1,
        "referred_emergency": 1,
        "no_action": 1,
    }
    assert (november.calls, november.calls_reached) == (3, 2)

    assert (october.urgent.flags, october.urgent.median_minutes) == (1, 30)
    assert october.caution.flags == 0 and october.caution.share_within_target is None
    assert (october.calls, october.calls_reached) == (1, 1)


def test_without_call_records_the_call_columns_stay_empty_not_zero():
    (month,) = quality_months([], None, months=[date(2026, 11, 1)], tz=TOKYO, now=NOW)
    assert month.calls is None and month.calls_reached is None
    assert month.urgent.flags == 0 and month.urgent.share_within_target is None
