"""The symptom chart after its speed work: the upper panels draw their date tick marks as one
line of markers each instead of a hidden axis of Tick artists; they must still be there, one
under every date of the bottom axis, and the output must stay deterministic."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

from diary.charts import ChartDay, ChartFlag, ChartLabels, goals_chart, symptom_chart

SVG = "{http://www.w3.org/2000/svg}"
START = date(2024, 4, 1)


def chart(days: int = 90) -> bytes:
    entries = [ChartDay(START + timedelta(days=n), pain=n % 11) for n in range(days)]
    return symptom_chart(
        entries,
        injections=[START + timedelta(days=30)],
        start=START,
        end=START + timedelta(days=days - 1),
        labels=ChartLabels(day_format="{n}日目"),
        flags=[ChartFlag(START + timedelta(days=31), "caution")],
    )


def date_labels(svg: bytes) -> list[str]:
    return [t for t in re.findall(r"<!-- (.*?) -->", svg.decode()) if re.fullmatch(r"\d+/\d+", t)]


def test_each_upper_panel_has_a_tick_mark_under_every_date():
    svg = chart()
    panels = ET.fromstring(svg).findall(f".//{SVG}g[@id='date-ticks']")
    assert len(panels) == 3  # flags, pain, swelling and warmth; the temperature axis has labels
    dates = date_labels(svg)
    assert 5 <= len(dates) <= 11
    for panel in panels:
        assert len(panel.findall(f".//{SVG}use")) == len(dates)


def test_the_dates_are_written_once_under_the_bottom_panel():
    dates = date_labels(chart(30))
    assert len(dates) == len(set(dates))


def test_the_chart_is_still_deterministic():
    assert chart() == chart()


def test_the_goals_chart_keeps_its_own_axis():
    svg = goals_chart([], start=START, end=START + timedelta(days=13), injections=[START])
    assert b'id="date-ticks"' not in svg
    assert date_labels(svg)
