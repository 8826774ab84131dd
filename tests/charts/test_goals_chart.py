import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from diary.charts import ChartLabels, GoalSeries, goals_chart

START = date(2024, 4, 1)
END = START + timedelta(days=55)
SVG = "{http://www.w3.org/2000/svg}"


def week(n: int) -> date:
    return START + timedelta(weeks=n)


def goal(label="Walk to the station", baseline=2, target=7, ratings=((0, 2), (1, 3), (2, 5))):
    return GoalSeries(label, baseline, target, week(6), tuple((week(w), r) for w, r in ratings))


def texts(svg: bytes) -> list[str]:
    return re.findall(r"<!-- (.*?) -->", svg.decode())


def markers(svg: bytes, gid: str) -> int:
    found = ET.fromstring(svg).find(f".//{SVG}g[@id='{gid}']")
    assert found is not None, gid
    return len(found.findall(f".//{SVG}use"))


def test_it_returns_an_svg_document():
    svg = goals_chart([goal()], start=START, end=END)
    assert svg.startswith(b"<?xml")
    assert b"<svg" in svg


def test_the_same_input_gives_the_same_bytes():
    goals = [goal(), goal("Climb stairs", 4, 8)]
    assert goals_chart(goals, start=START, end=END) == goals_chart(goals, start=START, end=END)


def test_a_new_rating_changes_the_bytes():
    before = goals_chart([goal()], start=START, end=END)
    after = goals_chart([goal(ratings=((0, 2), (1, 3), (2, 5), (3, 6)))], start=START, end=END)
    assert before != after


def test_each_goal_gets_its_own_line_with_a_marker_per_rating():
    svg = goals_chart([goal(), goal("Climb stairs", ratings=((0, 4),))], start=START, end=END)
    assert markers(svg, "goal-0") == 3
    assert markers(svg, "goal-1") == 1


def test_ratings_outside_the_range_are_left_out():
    svg = goals_chart([goal(ratings=((-1, 1), (0, 2), (20, 9)))], start=START, end=END)
    assert markers(svg, "goal-0") == 1


def test_weekly_ratings_are_joined_into_one_line():
    svg = goals_chart([goal()], start=START, end=END)
    path = ET.fromstring(svg).find(f".//{SVG}g[@id='goal-0']/{SVG}path")
    assert path.get("d").count("M") == 1


def test_long_goal_labels_are_shortened_in_the_legend():
    label = "孫と一緒に近所の公園まで休まずに三十分ほど歩けるようになりたい"
    svg = goals_chart([goal(label)], start=START, end=END)
    assert label[:23] + "…" in texts(svg)
    assert label not in texts(svg)


def test_the_legend_explains_baseline_target_and_review():
    labels = ChartLabels(baseline="開始時", target="目標", review="評価日", rating="評価 (0–10)")
    drawn = texts(goals_chart([goal()], start=START, end=END, labels=labels))
    assert {"開始時", "目標", "評価日", "評価 (0–10)"} <= set(drawn)


def test_injections_are_marked_and_counted_on_the_axis():
    labels = ChartLabels(injection="注射", day_format="{n}日目", injection_day="注射当日")
    drawn = texts(goals_chart([goal()], start=START, end=END, injections=[START], labels=labels))
    assert "注射" in drawn
    assert "注射当日" in drawn
    assert "0日目" not in drawn


def test_it_renders_with_no_goals():
    assert b"<svg" in goals_chart([], start=START, end=END)


def test_an_end_before_the_start_is_refused():
    with pytest.raises(ValueError):
        goals_chart([goal()], start=END, end=START)
