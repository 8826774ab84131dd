"""The charts drawn for a phone (layout=NARROW): labels large enough at 300–375 px, date labels
that never touch, flags told by shape, colour and words, a sentence for an empty diary, no
room for what is not there, and the same bytes for the same data."""

from __future__ import annotations

import itertools
import re
from datetime import date, timedelta

import pytest

from diary.charts import (
    NARROW,
    ChartDay,
    ChartFlag,
    ChartLabels,
    GoalSeries,
    GoalTarget,
    goals_chart,
    symptom_chart,
)
from tests.charts.svg_text import svg_size, text_lines

INJECTION = date(2026, 11, 1)
SVG = "{http://www.w3.org/2000/svg}"
# The narrowest the chart is shown on a 375 px phone: inside a card, at the largest text size.
SHOWN_PX = 300
JAPANESE = ChartLabels(
    pain="痛み（0–10）", night_pain="夜間の痛み", swelling="腫れ", warmth="関節の熱感",
    temperature="体温（°C）", fever_caution="{value:.1f} °C 注意",
    fever_urgent="{value:.1f} °C 至急",
    injection="注射", reaction_window="注射当日〜2日目", review="評価日", urgent="至急",
    caution="注意", info="情報", rating="評価（0–10）", baseline="開始時", target="目標",
    day_format="{n}日目", injection_day="注射当日", warnings="警告サイン",
    no_entries="まだ日記の記録がないため、グラフはありません。",
)  # fmt: skip
LANGUAGES = {"ja": JAPANESE, "en": ChartLabels()}


def day(n: int) -> date:
    return INJECTION + timedelta(days=n)


def diary(first: int, last: int, **values) -> list[ChartDay]:
    fields = {"pain": 4, "swelling": 1, "warmth": 1, "temperature_c": 36.8} | values
    return [ChartDay(day(n), **fields) for n in range(first, last + 1)]


def narrow(days=(), *, first=-7, last=20, injections=(INJECTION,), **kwargs) -> bytes:
    return symptom_chart(
        days, injections=injections, start=day(first), end=day(last), layout=NARROW, **kwargs
    )


def smallest_label_px(svg: bytes, shown_px: float = SHOWN_PX) -> float:
    width_pt, _ = svg_size(svg)
    return min(line.font_size for line in text_lines(svg)) * shown_px / width_pt


def texts(svg: bytes) -> list[str]:
    return re.findall(r"<!-- (.*?) -->", svg.decode())


# Histories a phone shows: a short one, 90 days, injections close together, a review date.
HISTORIES = {
    "two weeks": {"days": diary(0, 13), "first": 0, "last": 13},
    "ninety days": {"days": diary(-60, 29), "first": -60, "last": 29},
    "injections a week apart": {
        "days": diary(-7, 27),
        "last": 27,
        "injections": (INJECTION, day(7), day(14), day(21)),
    },
    "injections two days apart": {
        "days": diary(-3, 10),
        "first": -3,
        "last": 10,
        "injections": (INJECTION, day(2)),
    },
    "with flags, goals and a review": {
        "days": diary(-7, 20, night_pain=3),
        "flags": [ChartFlag(day(3), "urgent"), ChartFlag(day(4), "caution")],
        "goal_targets": [GoalTarget("夜の痛みを3以下に、ぐっすり眠れるように", "night_pain", 3)],
        "review_date": day(18),
    },
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("history", HISTORIES)
def test_every_label_is_at_least_12_css_px_when_the_chart_is_300_px_wide(language, history):
    svg = narrow(**HISTORIES[history], labels=LANGUAGES[language])
    assert smallest_label_px(svg) >= 12


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("history", HISTORIES)
def test_no_two_date_labels_touch_and_none_leaves_the_figure(language, history):
    svg = narrow(**HISTORIES[history], labels=LANGUAGES[language])
    width, _ = svg_size(svg)
    dates = [line for line in text_lines(svg) if line.within("xtick_")]
    assert len({line.groups for line in dates}) >= 2  # at least two dates on the axis
    for one, other in itertools.combinations(dates, 2):
        if one.groups != other.groups:  # the date and its "day N" line belong together
            assert not one.touches(other), (one, other)
    assert all(line.left >= 0 and line.right <= width for line in text_lines(svg))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_wide_chart_keeps_its_date_labels_apart_too(language):
    svg = symptom_chart(
        diary(-3, 10), injections=[INJECTION, day(1)], start=day(-3), end=day(10),
        labels=LANGUAGES[language],
    )  # fmt: skip
    dates = [line for line in text_lines(svg) if line.within("xtick_")]
    for one, other in itertools.combinations(dates, 2):
        if one.groups != other.groups:
            assert not one.touches(other), (one, other)


def test_the_same_data_gives_the_same_bytes_and_not_the_wide_ones():
    history = HISTORIES["with flags, goals and a review"]
    assert narrow(**history) == narrow(**history)
    wide = symptom_chart(history["days"], injections=[INJECTION], start=day(-7), end=day(20))
    assert narrow(days=history["days"]) != wide


def test_it_is_a_portrait_figure():
    width, height = svg_size(narrow(diary(0, 13)))
    assert height > width


def test_an_empty_diary_is_a_sentence_not_empty_axes():
    svg = narrow(labels=JAPANESE)
    assert texts(svg) == ["まだ日記の記録がないため、グラフはありません。"]
    assert b'id="axes_' not in svg
    assert smallest_label_px(svg) >= 12
    english = narrow(first=0, last=0)
    assert " ".join(texts(english)) == "No diary entries yet, so there is nothing to draw."


def test_a_long_sentence_is_wrapped_inside_the_figure():
    svg = narrow(labels=ChartLabels(no_entries="word " * 30))
    width, _ = svg_size(svg)
    assert all(line.left >= 0 and line.right <= width for line in text_lines(svg))


def test_without_flags_there_is_no_flag_strip():
    svg = narrow(diary(0, 13))
    assert b'id="flag-' not in svg
    assert not {"Urgent", "Caution", "Info"} & set(texts(svg))


def test_the_flag_strip_has_a_row_for_each_severity_that_occurs_named_by_its_legend():
    svg = narrow(diary(0, 13), flags=[ChartFlag(day(3), "urgent"), ChartFlag(day(5), "urgent")])
    assert b'id="flag-urgent"' in svg
    assert b'id="flag-caution"' not in svg
    assert "Urgent" in texts(svg) and "Caution" not in texts(svg)
    both = narrow(diary(0, 13), flags=[ChartFlag(day(3), "urgent"), ChartFlag(day(4), "caution")])
    assert {"Urgent", "Caution"} <= set(texts(both))


def test_flags_differ_in_shape_as_well_as_in_colour():
    svg = narrow(diary(0, 13), flags=[ChartFlag(day(n), s) for n, s in
                                      enumerate(("urgent", "caution", "info"))])  # fmt: skip
    from xml.etree import ElementTree as ET

    root = ET.fromstring(svg)
    shapes = {
        root.find(f".//{SVG}g[@id='flag-{s}']")
        .find(f".//{SVG}use")
        .get("{http://www.w3.org/1999/xlink}href")
        for s in ("urgent", "caution", "info")
    }
    assert len(shapes) == 3


def test_the_temperature_panel_is_left_out_when_no_temperature_was_recorded():
    with_temperature = narrow(diary(0, 13))
    without = narrow(diary(0, 13, temperature_c=None))
    assert "Temperature (°C)" in texts(with_temperature)
    assert "Temperature (°C)" not in texts(without)
    assert svg_size(without)[1] < svg_size(with_temperature)[1]


def test_night_pain_is_named_only_when_recorded():
    assert "Night pain" not in texts(narrow(diary(0, 13)))
    assert "Night pain" in texts(narrow(diary(0, 13, night_pain=2)))


def test_an_unknown_layout_is_refused():
    with pytest.raises(ValueError, match="layout"):
        symptom_chart([], injections=[], start=day(0), end=day(1), layout="tiny")


# The goals chart --------------------------------------------------------------------------------

GOALS = [
    GoalSeries("駅まで歩く", 3, 7, day(28), ((day(0), 3), (day(7), 5))),
    GoalSeries("階段を手すりなしで上り下りする（2階まで）", 2, 6, day(28), ((day(7), 4),)),
]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_narrow_goals_chart_has_large_labels_that_do_not_touch(language):
    svg = goals_chart(GOALS, start=day(-7), end=day(28), injections=[INJECTION],
                      labels=LANGUAGES[language], layout=NARROW)  # fmt: skip
    assert smallest_label_px(svg) >= 12
    width, _ = svg_size(svg)
    lines = text_lines(svg)
    assert all(line.left >= 0 and line.right <= width for line in lines)
    dates = [line for line in lines if line.within("xtick_")]
    for one, other in itertools.combinations(dates, 2):
        if one.groups != other.groups:
            assert not one.touches(other)


def test_the_narrow_goals_chart_is_deterministic():
    def draw() -> bytes:
        return goals_chart(GOALS, start=day(-7), end=day(28), injections=[INJECTION],
                           layout=NARROW)  # fmt: skip

    assert draw() == draw()
