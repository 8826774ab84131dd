import re
from datetime import date, timedelta

from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

from diary.charts import (
    ChartDay,
    ChartFlag,
    ChartLabels,
    GoalSeries,
    GoalTarget,
    goals_chart,
    japanese_font_path,
    register_japanese_font,
    symptom_chart,
)

START = date(2024, 4, 1)
JAPANESE = ChartLabels(
    pain="痛み (0–10)",
    swelling="腫れ",
    warmth="熱感",
    levels="程度 (0–3)",
    temperature="体温 (°C)",
    fever_caution="{value:.1f} °C 注意",
    fever_urgent="{value:.1f} °C 緊急",
    injection="注射",
    reaction_window="注射後0〜2日",
    review="評価日",
    urgent="緊急",
    caution="注意",
    info="情報",
    rating="評価 (0–10)",
    baseline="開始時",
    target="目標",
    day_format="{n}日目",
)


SEVERITIES = ("urgent", "caution", "info")


def japanese_chart() -> str:
    days = [ChartDay(START + timedelta(days=n), pain=3, swelling=1, warmth=0) for n in range(14)]
    svg = symptom_chart(
        days,
        injections=[START],
        start=START,
        end=START + timedelta(days=13),
        goal_targets=[GoalTarget("夜間痛を3以下に", "night_pain", 3)],
        review_date=START + timedelta(days=10),
        # A flag of each severity: the strip and its labels are drawn only when there are flags.
        flags=[ChartFlag(START + timedelta(days=n), s) for n, s in enumerate(SEVERITIES)],
        labels=JAPANESE,
    )
    return svg.decode()


def glyph_fonts(svg: str) -> set[str]:
    """In svg.fonttype "path" mode glyph ids are "<PostScript name>-<glyph index>"."""
    return {m.group(1) for m in re.finditer(r'<path id="([A-Za-z]+)-[0-9a-f]+"', svg)}


def glyph_id(char: str) -> str:
    font = FT2Font(str(japanese_font_path()))
    return f"{font.postscript_name}-{font.get_char_index(ord(char)):x}"


def test_the_font_file_is_the_one_matplotlib_fontja_ships():
    path = japanese_font_path()
    assert path.is_file()
    assert path.name == "ipaexg.ttf"
    assert path.parent.parent.name == "matplotlib_fontja"


def test_registering_returns_the_family_name_and_makes_it_findable():
    family = register_japanese_font()
    assert family == "IPAexGothic"
    found = font_manager.findfont(
        font_manager.FontProperties(family=family), fallback_to_default=False
    )
    assert found == str(japanese_font_path())


def test_registering_twice_adds_the_font_once():
    register_japanese_font()
    path = str(japanese_font_path())
    before = sum(entry.fname == path for entry in font_manager.fontManager.ttflist)
    register_japanese_font()
    after = sum(entry.fname == path for entry in font_manager.fontManager.ttflist)
    assert before == after > 0


def test_japanese_labels_are_drawn_with_the_japanese_font():
    svg = japanese_chart()
    for char in "痛腫熱体温注射評価日目緊急意情報夜間以下":
        assert f'id="{glyph_id(char)}"' in svg, char


def test_no_glyph_falls_back_to_dejavu_when_the_japanese_font_has_them_all():
    assert glyph_fonts(japanese_chart()) == {"IPAexGothic"}


def test_goal_chart_labels_use_the_japanese_font():
    goal = GoalSeries("階段を上る", 2, 7, START + timedelta(days=20), ((START, 2),))
    svg = goals_chart([goal], start=START, end=START + timedelta(days=27), labels=JAPANESE).decode()
    assert f'id="{glyph_id("階")}"' in svg
    assert glyph_fonts(svg) == {"IPAexGothic"}


def test_a_glyph_missing_from_the_japanese_font_falls_back_to_dejavu_not_to_a_box():
    # IPAexGothic has "≦" (the usual Japanese form) but not "≤".
    svg = symptom_chart(
        [],
        injections=[START],
        start=START,
        end=START + timedelta(days=6),
        goal_targets=[GoalTarget("痛み ≤ 3", "pain", 3)],
        labels=JAPANESE,
    ).decode()
    assert glyph_fonts(svg) == {"IPAexGothic", "DejaVuSans"}
    assert f'id="{glyph_id("痛")}"' in svg
