import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import matplotlib
import pytest

from diary.charts import ChartDay, ChartFlag, ChartLabels, GoalTarget, symptom_chart

INJECTION = date(2024, 4, 1)
SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


def day(n: int) -> date:
    return INJECTION + timedelta(days=n)


def entries(numbers, **values) -> list[ChartDay]:
    fields = {"pain": 3, "swelling": 1, "warmth": 0} | values
    return [ChartDay(day(n), **fields) for n in numbers]


def chart(days=(), *, first=0, last=13, **kwargs) -> bytes:
    kwargs.setdefault("injections", [INJECTION])
    return symptom_chart(days, start=day(first), end=day(last), **kwargs)


def texts(svg: bytes) -> list[str]:
    """Text drawn as glyph paths is still written as an XML comment before its glyphs."""
    return re.findall(r"<!-- (.*?) -->", svg.decode())


def group(svg: bytes, gid: str) -> ET.Element:
    found = ET.fromstring(svg).find(f".//{SVG}g[@id='{gid}']")
    assert found is not None, gid
    return found


def line_pieces(svg: bytes, gid: str) -> int:
    """How many separate stretches the line of a series is drawn in."""
    return group(svg, gid).find(f"{SVG}path").get("d").count("M")


def markers(svg: bytes, gid: str) -> int:
    return len(group(svg, gid).findall(f".//{SVG}use"))


def test_it_returns_an_svg_document():
    svg = chart(entries(range(14)))
    assert isinstance(svg, bytes)
    assert svg.startswith(b"<?xml")
    assert b"<svg" in svg


def test_the_same_input_gives_the_same_bytes():
    days = entries(range(14))
    flags = [ChartFlag(day(3), "caution")]
    assert chart(days, flags=flags) == chart(days, flags=flags)


def test_different_data_gives_different_bytes():
    assert chart(entries(range(14))) != chart(entries(range(14), pain=4))


def test_the_svg_has_no_timestamp():
    assert b"<dc:date>" not in chart(entries(range(3)))


def test_global_matplotlib_settings_neither_leak_in_nor_out():
    expected = chart(entries(range(14)))
    with matplotlib.rc_context(
        {"lines.linewidth": 7, "font.family": "serif", "svg.hashsalt": None}
    ):
        assert chart(entries(range(14))) == expected
        assert matplotlib.rcParams["lines.linewidth"] == 7
        assert matplotlib.rcParams["svg.fonttype"] == "path"  # matplotlib's default, untouched


@pytest.mark.parametrize("count", [0, 1, 90])
def test_it_renders_0_1_and_90_days_of_entries(count):
    svg = chart(entries(range(count)), last=max(count - 1, 0))
    assert markers(svg, "series-pain") == count


def test_it_renders_a_one_day_range():
    assert b"<svg" in chart(entries([0]), last=0)


def test_a_missing_day_shows_as_a_gap_not_an_interpolated_line():
    svg = chart(entries([0, 1, 2, 4, 5]), last=5)
    assert line_pieces(svg, "series-pain") == 2
    assert markers(svg, "series-pain") == 5
    assert line_pieces(chart(entries(range(6)), last=5), "series-pain") == 1


def test_a_value_left_empty_is_a_gap_in_that_series_only():
    days = entries([0, 1, 3]) + [ChartDay(day(2), pain=5, swelling=None, warmth=1)]
    svg = chart(days, last=3)
    assert line_pieces(svg, "series-pain") == 1
    assert line_pieces(svg, "series-swelling") == 2


def test_a_lone_day_between_gaps_still_shows_as_a_marker():
    assert markers(chart(entries([5])), "series-pain") == 1


def test_days_outside_the_range_are_left_out():
    assert markers(chart(entries(range(-5, 20))), "series-pain") == 14


def test_two_entries_for_one_day_are_refused():
    with pytest.raises(ValueError, match="two entries"):
        chart(entries([2, 2]))


def test_an_end_before_the_start_is_refused():
    with pytest.raises(ValueError, match="before start"):
        chart(first=5, last=4)


def test_flags_of_each_severity_are_drawn_once_per_day():
    flags = [
        ChartFlag(day(1), "info"),
        ChartFlag(day(4), "caution"),
        ChartFlag(day(5), "urgent"),
        ChartFlag(day(5), "urgent"),  # two urgent codes on one day: one marker
        ChartFlag(day(5), "caution"),
        ChartFlag(day(30), "urgent"),  # outside the range
    ]
    svg = chart(entries(range(14)), flags=flags)
    assert markers(svg, "flag-urgent") == 1
    assert markers(svg, "flag-caution") == 2
    assert markers(svg, "flag-info") == 1


def test_severities_differ_in_marker_shape_not_only_in_colour():
    svg = chart(flags=[ChartFlag(day(1), s) for s in ("urgent", "caution", "info")])
    shapes = {
        group(svg, f"flag-{s}").find(f".//{SVG}use").get(XLINK_HREF)
        for s in ("urgent", "caution", "info")
    }
    assert len(shapes) == 3


def test_with_flags_the_legend_and_the_strip_name_every_severity():
    labels = ChartLabels(urgent="緊急", caution="注意", info="情報")
    drawn = texts(chart(flags=[ChartFlag(day(2), "caution")], labels=labels))
    for name in ("緊急", "注意", "情報"):
        assert drawn.count(name) == 2  # the flag row label and the legend


def test_without_flags_the_flag_strip_takes_no_room():
    labels = ChartLabels(urgent="緊急", caution="注意", info="情報")
    svg = chart(entries(range(14)), labels=labels)
    assert not {"緊急", "注意", "情報"} & set(texts(svg))
    assert 'id="flag-' not in svg.decode()
    assert svg.decode().count('id="injection"') == 3  # pain, swelling and warmth, temperature
    # A flag outside the chart's days does not bring the strip back.
    assert texts(chart(entries(range(14)), flags=[ChartFlag(day(40), "urgent")])) == texts(svg)


def test_an_unknown_severity_is_refused():
    with pytest.raises(ValueError, match="severity"):
        chart(flags=[ChartFlag(day(1), "red")])


def tick_labels(svg: bytes) -> dict[str, str | None]:
    """Each date tick with the "day N" line under it, if any."""
    drawn = texts(svg)
    dates = [i for i, t in enumerate(drawn) if re.fullmatch(r"\d+/\d+", t)]
    return {
        drawn[i]: drawn[i + 1] if "日目" in drawn[i + 1] or "当日" in drawn[i + 1] else None
        for i in dates
    }


def test_ticks_count_days_since_the_latest_injection():
    labels = ChartLabels(day_format="{n}日目", injection_day="注射当日")
    svg = chart(injections=[INJECTION, day(10)], first=-3, last=13, labels=labels)
    assert tick_labels(svg) == {
        "3/29": None,  # before the first injection: a date only
        # 3/31 is left out: its label would touch the wider one of the injection day beside it.
        "4/1": "注射当日",
        "4/3": "2日目",
        "4/5": "4日目",
        "4/7": "6日目",
        "4/9": "8日目",
        "4/11": "注射当日",  # the second injection starts the count again
        "4/13": "2日目",
    }


def test_ninety_days_get_about_ten_ticks():
    drawn = texts(chart(last=89))
    assert 5 <= sum(re.fullmatch(r"\d+/\d+", t) is not None for t in drawn) <= 11


def test_injection_days_are_marked_on_every_panel():
    svg = chart(injections=[INJECTION, day(7), day(40)], flags=[ChartFlag(day(1), "info")])
    assert svg.decode().count('id="injection"') == 2 * 4  # the day-40 one is off the chart


def test_fever_thresholds_are_drawn_with_their_values():
    drawn = texts(chart(fever_caution_c=37.2, fever_urgent_c=38.5))
    assert "37.2 °C caution" in drawn
    assert "38.5 °C urgent" in drawn


def test_the_temperature_axis_widens_for_values_outside_the_usual_range():
    assert "34" not in texts(chart(entries([1], temperature_c=36.5)))
    assert "34" in texts(chart(entries([1], temperature_c=34.2)))
    assert "42" in texts(chart(entries([1], temperature_c=42.4)))


def test_goal_targets_are_drawn_with_their_label():
    goals = [GoalTarget("夜間痛を3以下に", "night_pain", 3), GoalTarget("腫れなし", "swelling", 0)]
    svg = chart(entries(range(14), night_pain=5), goal_targets=goals)
    assert svg.decode().count('id="goal-target"') == 2
    assert "夜間痛を3以下に" in texts(svg)


def test_a_long_goal_label_is_shortened():
    svg = chart(goal_targets=[GoalTarget("あ" * 40, "pain", 3)])
    assert "あ" * 23 + "…" in texts(svg)


def test_a_goal_on_an_unknown_measure_is_refused():
    with pytest.raises(ValueError, match="measure"):
        chart(goal_targets=[GoalTarget("x", "mood", 3)])


def test_the_review_date_is_marked_and_labelled():
    svg = chart(review_date=day(10), labels=ChartLabels(review="評価日"))
    assert svg.decode().count('id="review"') == 3  # each panel (no flags: no flag strip)
    assert texts(svg).count("評価日") == 2  # beside the line and in the legend


def test_a_review_date_outside_the_range_is_not_drawn():
    assert 'id="review"' not in chart(review_date=day(60)).decode()


def test_night_pain_appears_only_when_recorded():
    assert "Night pain" not in texts(chart(entries(range(14))))
    assert "Night pain" in texts(chart(entries(range(14), night_pain=4)))
