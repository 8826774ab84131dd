"""Symptom and goal charts rendered to deterministic SVG bytes.

Pure module: plain dataclasses in, bytes out, no Django import. Only matplotlib's
object-oriented API is used (pyplot keeps global figure state, unsafe in a server).
Labels arrive already translated by the caller; this module knows no language.
Same input, same bytes: the view can use a hash of the SVG as its ETag.

Two layouts: WIDE (the screen and the visit report) and NARROW (a phone, diary/charts_narrow.py):
stacked panels in a portrait figure with labels of at least 12 CSS px when it is 300 px wide.
Date labels never touch: each is left out when it would meet a neighbour or the figure's edge.
"""

from __future__ import annotations

import importlib.util
import io
import math
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import matplotlib
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.markers import TICKDOWN
from matplotlib.patches import Patch

from diary.red_flags import CAUTION, INFO, URGENT, days_since_injection

FONT_FILE_NAME = "ipaexg.ttf"
FONT_SIZE_PT = 10
SYMPTOM_FIGURE_IN = (8.0, 6.0)
GOALS_FIGURE_IN = (8.0, 4.5)
LEGEND_LABEL_MAX_CHARS = 24
TEMPERATURE_RANGE_C = (35.5, 40.0)  # widened when a recorded value falls outside
REACTION_WINDOW_DAYS = 3  # day 0, 1 and 2
SVG_HASH_SALT = "diary-charts"

# Okabe–Ito palette, distinguishable with the common colour-vision deficiencies.
BLUE, ORANGE, GREEN, VERMILLION = "#0072B2", "#E69F00", "#009E73", "#D55E00"
PURPLE, SKY, BLACK, GREY = "#CC79A7", "#56B4E9", "#000000", "#777777"
GOAL_STYLES = ((BLUE, "o"), (VERMILLION, "s"), (GREEN, "^"), (PURPLE, "D"), (ORANGE, "v"),
               (SKY, "P"), (BLACK, "X"))  # fmt: skip
# Severity is told by row, marker shape and colour together, never by colour alone.
SEVERITY_STYLES = {URGENT: ("^", VERMILLION), CAUTION: ("D", ORANGE), INFO: ("o", SKY)}
SEVERITY_ROWS = {URGENT: 2, CAUTION: 1, INFO: 0}
# Colour, marker and line style per diary field: overlapping lines stay distinguishable.
SERIES_STYLES = {
    "pain": (BLUE, "o", "-"),
    "night_pain": (PURPLE, "s", "--"),
    "swelling": (GREEN, "s", "-"),
    "warmth": (ORANGE, "v", "--"),
    "temperature_c": (BLUE, "o", "-"),
}
# The panel (0 pain, 1 swelling and warmth, 2 temperature) on which a symptom goal's target is
# drawn; the flag strip above them is drawn only when there are flags.
MEASURE_PANELS = {"pain": 0, "night_pain": 0, "swelling": 1, "warmth": 1, "temperature_c": 2}
WIDE, NARROW = "wide", "narrow"
LAYOUTS = (WIDE, NARROW)
# Date labels: at least this much room between two, in points; widths are estimated per
# character (a wide CJK character is one em, anything else at most 0.62 em in IPAexGothic).
TICK_GAP_PT = 6.0
LATIN_EM, WIDE_EM = 0.62, 1.0
WIDE_MARGINS = {"left": 0.085, "right": 0.985}

_font_lock = threading.Lock()
_render_lock = threading.Lock()


@dataclass(frozen=True)
class ChartDay:
    day: date
    pain: int | None = None
    swelling: int | None = None
    warmth: int | None = None
    temperature_c: float | None = None
    night_pain: int | None = None


@dataclass(frozen=True)
class ChartFlag:
    day: date
    severity: str  # red_flags.URGENT, CAUTION or INFO


@dataclass(frozen=True)
class GoalTarget:
    label: str
    measure: str  # a key of MEASURE_PANELS
    target: float


@dataclass(frozen=True)
class GoalSeries:
    label: str
    baseline: float
    target: float
    review_date: date
    ratings: tuple[tuple[date, float], ...] = ()


@dataclass(frozen=True)
class ChartLabels:
    """Every text the charts draw, already translated by the caller."""

    pain: str = "Pain (0–10)"
    night_pain: str = "Night pain"
    swelling: str = "Swelling"
    warmth: str = "Warmth"
    levels: str = "Swelling, warmth (0–3)"
    temperature: str = "Temperature (°C)"
    fever_caution: str = "{value:.1f} °C caution"
    fever_urgent: str = "{value:.1f} °C urgent"
    injection: str = "Injection"
    reaction_window: str = "Days 0–2"
    review: str = "Review"
    urgent: str = "Urgent"
    caution: str = "Caution"
    info: str = "Info"
    rating: str = "Rating (0–10)"
    baseline: str = "Baseline"
    target: str = "Target"
    day_format: str = "day {n}"
    injection_day: str = "injection day"  # day 0: SPEC §3 words, 注射当日
    date_format: str = "{month}/{day}"
    warnings: str = "Warning signs"  # the narrow chart's flag strip
    no_entries: str = "No diary entries yet, so there is nothing to draw."


@cache
def japanese_font_path() -> Path:
    """The IPAexGothic file shipped by matplotlib-fontja (the PDF embeds the same file)."""
    # find_spec locates the package without importing it: its import calls japanize(),
    # which rewrites the global rcParams as a side effect.
    spec = importlib.util.find_spec("matplotlib_fontja")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("matplotlib-fontja is not installed; see requirements.txt")
    path = Path(spec.submodule_search_locations[0], "fonts", FONT_FILE_NAME).resolve()
    if not path.is_file():
        raise RuntimeError(f"Japanese font file missing: {path}")
    return path


def register_japanese_font() -> str:
    """Register the Japanese font with matplotlib (once) and return its family name."""
    path = str(japanese_font_path())
    with _font_lock:
        if not any(entry.fname == path for entry in font_manager.fontManager.ttflist):
            font_manager.fontManager.addfont(path)
    return font_manager.get_font(path).family_name


@contextmanager
def chart_style() -> Iterator[None]:
    # rcParams are global: a lock keeps concurrent renders from seeing each other's
    # settings, and starting from the defaults keeps other code's changes out.
    family = register_japanese_font()
    with _render_lock, matplotlib.rc_context():
        matplotlib.rcdefaults()
        matplotlib.rcParams.update(
            {
                # DejaVu only for glyphs the Japanese font lacks (e.g. "≤"; "≦" is there).
                "font.family": [family, "DejaVu Sans"],
                "font.size": FONT_SIZE_PT,
                "svg.fonttype": "path",  # glyphs as paths: a self-contained SVG
                "svg.hashsalt": SVG_HASH_SALT,  # stable element ids
                "axes.spines.top": False,
                "axes.spines.right": False,
                "grid.color": "#dddddd",
                "grid.linewidth": 0.6,
                "lines.linewidth": 1.6,
                "lines.markersize": 3.5,
                "legend.frameon": False,
            }
        )
        yield


def svg_bytes(fig: Figure) -> bytes:
    # Into text, encoded once: given bytes, the SVG writer encodes each of its many small writes.
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue().encode()


def _shorten(text: str, limit: int = LEGEND_LABEL_MAX_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _literal(text: str) -> str:
    """Typed text drawn as typed: matplotlib reads "$...$" as mathematics (and fails on what
    it cannot parse), an escaped dollar is a plain "$"."""
    return text.replace("$", r"\$")


def _day_count(start: date, end: date) -> int:
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    return (end - start).days + 1


def _daily_series(days: Iterable[ChartDay], start: date, end: date) -> dict[str, list[float]]:
    """One list per field, one value per day; NaN where nothing was recorded (a gap)."""
    series = {name: [math.nan] * _day_count(start, end) for name in SERIES_STYLES}
    seen: set[date] = set()
    for entry in days:
        if not start <= entry.day <= end:
            continue
        if entry.day in seen:
            raise ValueError(f"two entries for {entry.day}")
        seen.add(entry.day)
        for name, values in series.items():
            if (value := getattr(entry, name)) is not None:
                values[(entry.day - start).days] = float(value)
    return series


def _tick_days(
    start: date, end: date, injections: Sequence[date], max_ticks: int = 10
) -> list[date]:
    """About `max_ticks` ticks, aligned to day 0 of each injection so that day N reads evenly."""
    count = _day_count(start, end)
    step = next((s for s in (1, 2, 3, 7, 14, 28) if count / s <= max_ticks), 56)
    shown = [i for i in injections if start <= i <= end]
    ticks = set(shown)
    for offset in range(count):
        day = start + timedelta(days=offset)
        number = days_since_injection(day, injections)
        # Skip a tick crowding the next injection day, which always gets its own tick.
        crowded = any(0 < (i - day).days < step / 2 for i in shown)
        if (offset if number is None else number) % step == 0 and not crowded:
            ticks.add(day)
    return sorted(ticks)


def text_width_em(text: str) -> float:
    """A generous estimate of a label's width in ems (its longest line). Labels are not measured
    by drawing them: that would cost what the fixed layout saves."""
    return max(
        (
            sum(WIDE_EM if unicodedata.east_asian_width(ch) in "WF" else LATIN_EM for ch in line)
            for line in text.split("\n")
        ),
        default=0.0,
    )


@dataclass(frozen=True)
class DateAxisRoom:
    """Where the date labels go, in points: the axis's left edge and width, the figure's width
    and the labels' font size."""

    axis_left: float
    axis_width: float
    figure_width: float
    font_size: float


def _spaced_ticks(
    ticks: list[date], texts: list[str], injections: Sequence[date], start: date, count: int,
    room: DateAxisRoom,
) -> list[tuple[date, str, str]]:  # fmt: skip
    """The ticks whose labels touch neither a neighbour nor the figure's edge, with each one's
    alignment: (day, text, "center" | "left" | "right"). Injection days are placed first (the
    latest first), then the other days in order; a label at an edge is aligned to stay inside."""
    per_day = room.axis_width / count
    injection_days = set(injections)
    order = sorted(
        range(len(ticks)),
        key=lambda i: (
            (0, -ticks[i].toordinal()) if ticks[i] in injection_days else (1, ticks[i].toordinal())
        ),
    )
    placed: list[tuple[float, float]] = []
    kept = []
    for index in order:
        width = text_width_em(texts[index]) * room.font_size
        x = room.axis_left + ((ticks[index] - start).days + 0.5) * per_day
        placements = (("center", x - width / 2), ("left", x), ("right", x - width))
        inside = [
            (a, low) for a, low in placements if low >= 0 and low + width <= room.figure_width
        ]
        if not inside:
            continue  # wider than the figure: no label
        align, low = inside[0]
        high = low + width
        if any(low < b + TICK_GAP_PT and high > a - TICK_GAP_PT for a, b in placed):
            continue
        placed.append((low, high))
        kept.append((ticks[index], texts[index], align))
    return sorted(kept)


def _draw_date_axis(
    axes: Sequence[Axes], start: date, end: date, injections: Sequence[date], labels: ChartLabels,
    room: DateAxisRoom, max_ticks: int = 10,
) -> None:  # fmt: skip
    """Date ticks with "day N" under them, injection lines and the days 0–2 shading."""
    count = _day_count(start, end)
    ticks = _tick_days(start, end, injections, max_ticks)
    texts = []
    for day in ticks:
        text = labels.date_format.format(month=day.month, day=day.day)
        number = days_since_injection(day, injections)
        if number is not None:
            day_text = labels.injection_day if number == 0 else labels.day_format.format(n=number)
            text = f"{text}\n{day_text}"
        texts.append(text)
    kept = _spaced_ticks(ticks, texts, injections, start, count, room)
    positions = [(day - start).days for day, _, _ in kept]
    ticks_drawn = axes[-1].set_xticks(positions, [text for _, text, _ in kept])
    for tick, (_, _, align) in zip(ticks_drawn, kept, strict=True):
        if align != "center":  # a label at the figure's edge, aligned to stay inside
            tick.label1.set_horizontalalignment(align)
    axes[-1].set_xlim(-0.5, count - 0.5)
    for ax in axes[:-1]:
        _tick_marks(ax, positions)
    for index, injection in enumerate(injections):
        x = (injection - start).days
        next_x = (injections[index + 1] - start).days if index + 1 < len(injections) else count
        # The window is cut short by the next injection and by the chart's edges.
        low, high = max(x, 0) - 0.5, min(x + REACTION_WINDOW_DAYS, next_x, count) - 0.5
        for ax in axes:
            if low < high:
                ax.axvspan(low, high, color=BLACK, alpha=0.07, linewidth=0, zorder=0)
            if 0 <= x < count:
                ax.axvline(x, color=BLACK, linewidth=1.2, zorder=1, gid="injection")


def _wide_room(figure_in: tuple[float, float]) -> DateAxisRoom:
    width = figure_in[0] * 72
    left, right = WIDE_MARGINS["left"] * width, WIDE_MARGINS["right"] * width
    return DateAxisRoom(left, right - left, width, FONT_SIZE_PT)


def _tick_marks(ax: Axes, positions: list[int]) -> None:
    """An upper panel's date ticks as one line of tick marks. The panels share the x-axis, and
    a whole axis of Tick artists per panel (lines and texts, the labels hidden) was a tenth of
    the drawing time for marks that look exactly the same."""
    ax.xaxis.set_visible(False)
    rc = matplotlib.rcParams
    ax.plot(positions, [0] * len(positions), linestyle="none", marker=TICKDOWN,
            color=rc["xtick.color"], markersize=rc["xtick.major.size"],
            markeredgewidth=rc["xtick.major.width"], transform=ax.get_xaxis_transform(),
            clip_on=False, zorder=1.5, gid="date-ticks")  # fmt: skip


def _severity_marker(severity: str) -> dict:
    marker, colour = SEVERITY_STYLES[severity]
    return {"marker": marker, "color": colour, "linestyle": "none", "markersize": 7,
            "markeredgecolor": BLACK, "markeredgewidth": 0.5}  # fmt: skip


def _label(
    ax: Axes, x: float, y: float, text: str, colour: str, fontsize: float = 8, **where
) -> None:
    """A small label with a white backing, drawn under the data so it never hides a point."""
    where = {"ha": "left", "va": "bottom", "transform": ax.get_yaxis_transform(), **where}
    box = {"facecolor": "white", "alpha": 0.8, "edgecolor": "none", "pad": 1}
    ax.text(x, y, text, color=colour, fontsize=fontsize, bbox=box, zorder=1.5, **where)


def _draw_flags(ax: Axes, flags: list[ChartFlag], start: date, count: int, labels: ChartLabels):
    ax.set_ylim(-0.6, 2.6)
    ax.set_yticks(list(SEVERITY_ROWS.values()), [getattr(labels, s) for s in SEVERITY_ROWS])
    for severity, row in SEVERITY_ROWS.items():
        offsets = {(f.day - start).days for f in flags if f.severity == severity}
        xs = sorted(x for x in offsets if 0 <= x < count)
        ax.plot(xs, [row] * len(xs), gid=f"flag-{severity}", **_severity_marker(severity))


def _plot_series(ax: Axes, series: dict[str, list[float]], name: str, label: str, **style):
    colour, marker, linestyle = SERIES_STYLES[name]
    # Markers keep a lone day between two gaps visible.
    kwargs = {"color": colour, "marker": marker, "label": label, "gid": f"series-{name}"}
    return ax.plot(series[name], linestyle, **kwargs, **style)


def has_values(series: dict[str, list[float]], name: str) -> bool:
    return any(not math.isnan(v) for v in series[name])


def _draw_series(axes: Sequence[Axes], series: dict[str, list[float]], labels: ChartLabels):
    """Pain, swelling/warmth and temperature panels; returns the lines for the legend."""
    lines = []

    def plot(ax: Axes, name: str, label: str) -> None:
        lines.extend(_plot_series(ax, series, name, label))

    pain_ax, level_ax, temp_ax = axes
    pain_ax.set(ylim=(-0.5, 10.5), yticks=range(0, 11, 2), ylabel=labels.pain)
    plot(pain_ax, "pain", labels.pain)
    if has_values(series, "night_pain"):  # optional: no empty legend entry
        plot(pain_ax, "night_pain", labels.night_pain)
    level_ax.set(ylim=(-0.3, 3.3), yticks=range(4), ylabel=labels.levels)
    plot(level_ax, "swelling", labels.swelling)
    plot(level_ax, "warmth", labels.warmth)
    recorded = [v for v in series["temperature_c"] if not math.isnan(v)]
    low, high = TEMPERATURE_RANGE_C
    temp_ax.set_ylim(min([low, *recorded]) - 0.2, max([high, *recorded]) + 0.2)
    temp_ax.set_ylabel(labels.temperature)
    plot(temp_ax, "temperature_c", labels.temperature)
    return lines


def _legend_rows(fig: Figure, keys: list, series: list) -> None:
    """Keys to lines and markers in one row above the plot, the data series below it."""
    common = {"fontsize": 9, "handlelength": 1.8, "columnspacing": 1.2}
    fig.legend(
        handles=keys, loc="upper center", bbox_to_anchor=(0.5, 1.0), ncols=len(keys), **common
    )
    if series:  # a goals chart may have no goals yet
        fig.legend(
            handles=series,
            loc="lower center",
            bbox_to_anchor=(0.5, 0.0),
            ncols=min(len(series), 5),
            **common,
        )


def symptom_chart(
    days: Iterable[ChartDay],
    *,
    injections: Iterable[date],
    start: date,
    end: date,
    flags: Iterable[ChartFlag] = (),
    goal_targets: Iterable[GoalTarget] = (),
    review_date: date | None = None,
    fever_caution_c: float = 37.5,
    fever_urgent_c: float = 38.0,
    labels: ChartLabels = ChartLabels(),
    layout: str = WIDE,
) -> bytes:
    """The diary chart over [start, end]: flags (when there are any), pain, swelling/warmth,
    temperature. `layout` NARROW draws it for a phone (diary/charts_narrow.py)."""
    count = _day_count(start, end)
    series = _daily_series(days, start, end)
    injections = sorted(set(injections))
    flags, goal_targets = list(flags), list(goal_targets)
    if unknown := {f.severity for f in flags} - SEVERITY_STYLES.keys():
        raise ValueError(f"unknown flag severity: {sorted(unknown)}")
    if unknown := {g.measure for g in goal_targets} - MEASURE_PANELS.keys():
        raise ValueError(f"no panel for goal measure: {sorted(unknown)}")
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout: {layout!r}")
    flags = [f for f in flags if start <= f.day <= end]
    if layout == NARROW:
        from diary.charts_narrow import symptom_chart_narrow  # it builds on this module

        return symptom_chart_narrow(
            series, injections=injections, start=start, end=end, flags=flags,
            goal_targets=goal_targets, review_date=review_date,
            fever_caution_c=fever_caution_c, fever_urgent_c=fever_urgent_c, labels=labels,
        )  # fmt: skip
    with chart_style():
        # Fixed margins, not constrained layout: the layout engine was 40 % of the drawing time,
        # and the legends and labels are of known size.
        fig = Figure(figsize=SYMPTOM_FIGURE_IN, dpi=100)
        fig.subplots_adjust(**WIDE_MARGINS, top=0.93, bottom=0.13, hspace=0.12)
        # The flag strip takes no room when there is nothing to mark.
        ratios = (1.1, 3, 2, 2.2) if flags else (3, 2, 2.2)
        axes = list(fig.subplots(len(ratios), 1, sharex=True, height_ratios=ratios))
        panels = axes[1:] if flags else axes
        for ax in panels:
            ax.grid(axis="y")
        _draw_date_axis(axes, start, end, injections, labels, _wide_room(SYMPTOM_FIGURE_IN))
        if flags:
            _draw_flags(axes[0], flags, start, count, labels)
        series_lines = _draw_series(panels, series, labels)
        # Caution label under its line, urgent above: the two are only 0.5 °C apart.
        for value, text, colour, style, va in (
            (fever_caution_c, labels.fever_caution, ORANGE, "--", "top"),
            (fever_urgent_c, labels.fever_urgent, VERMILLION, "-.", "bottom"),
        ):
            panels[2].axhline(value, color=colour, linestyle=style, linewidth=1.2)
            _label(panels[2], 0.005, value, text.format(value=value), colour, va=va)
        for goal in goal_targets:
            ax, colour = panels[MEASURE_PANELS[goal.measure]], SERIES_STYLES[goal.measure][0]
            ax.axhline(goal.target, color=colour, linestyle="--", linewidth=1.1, gid="goal-target")
            _label(ax, 0.995, goal.target, _literal(_shorten(goal.label)), colour, ha="right")

        keys = [
            Line2D([], [], color=BLACK, linewidth=1.2, label=labels.injection),
            Patch(color=BLACK, alpha=0.07, label=labels.reaction_window),
        ]
        if review_date is not None and start <= review_date <= end:
            x = (review_date - start).days
            for ax in axes:
                ax.axvline(x, color=PURPLE, linestyle="--", linewidth=1.4, gid="review")
            near_right = x > count * 0.8  # keep the label inside the panel
            _label(panels[0], x + (-0.3 if near_right else 0.3), 0.97, labels.review, PURPLE,
                   ha="right" if near_right else "left", va="top",
                   transform=panels[0].get_xaxis_transform())  # fmt: skip
            keys.append(Line2D([], [], color=PURPLE, linestyle="--", label=labels.review))
        if flags:
            keys += [
                Line2D([], [], label=getattr(labels, s), **_severity_marker(s))
                for s in SEVERITY_STYLES
            ]
        _legend_rows(fig, keys, series_lines)
        return svg_bytes(fig)


def goals_chart(
    goals: Sequence[GoalSeries],
    *,
    start: date,
    end: date,
    injections: Iterable[date] = (),
    labels: ChartLabels = ChartLabels(),
    layout: str = WIDE,
) -> bytes:
    """One line of 0–10 ratings per goal, with its baseline, target and review date."""
    _day_count(start, end)  # validates the range
    injections = sorted(set(injections))
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout: {layout!r}")
    if layout == NARROW:
        from diary.charts_narrow import goals_chart_narrow  # it builds on this module

        return goals_chart_narrow(goals, start=start, end=end, injections=injections, labels=labels)
    with chart_style():
        fig = Figure(figsize=GOALS_FIGURE_IN, dpi=100)
        fig.subplots_adjust(**WIDE_MARGINS, top=0.9, bottom=0.2)
        ax = fig.subplots()
        ax.grid(axis="y")
        ax.set(ylim=(-0.5, 10.5), yticks=range(0, 11, 2), ylabel=labels.rating)
        _draw_date_axis([ax], start, end, injections, labels, _wide_room(GOALS_FIGURE_IN))
        lines = _draw_goal_lines(ax, goals, start, end)
        keys = _goal_keys(labels, start, end, injections)
        _legend_rows(fig, keys, lines)
        return svg_bytes(fig)


def _draw_goal_lines(
    ax: Axes, goals: Sequence[GoalSeries], start: date, end: date, label_em: float | None = None
) -> list:
    lines = []
    for index, goal in enumerate(goals):
        colour, marker = GOAL_STYLES[index % len(GOAL_STYLES)]
        # Ratings are weekly by design, so consecutive ratings are joined, not gapped.
        points = sorted((d, float(v)) for d, v in goal.ratings if start <= d <= end)
        xs, ys = [(d - start).days for d, _ in points], [v for _, v in points]
        style = {"color": colour, "marker": marker, "markersize": 5, "gid": f"goal-{index}"}
        label = _shorten(goal.label) if label_em is None else shorten_to_em(goal.label, label_em)
        lines += ax.plot(xs, ys, label=_literal(label), **style)
        ax.axhline(goal.baseline, color=colour, linestyle=":", linewidth=1.2)
        ax.axhline(goal.target, color=colour, linestyle="--", linewidth=1.2)
        if start <= goal.review_date <= end:
            ax.axvline((goal.review_date - start).days, color=colour, linestyle="-.")
    return lines


def _goal_keys(labels: ChartLabels, start: date, end: date, injections: Sequence[date]) -> list:
    keys = [
        Line2D([], [], color=GREY, linestyle=":", label=labels.baseline),
        Line2D([], [], color=GREY, linestyle="--", label=labels.target),
        Line2D([], [], color=GREY, linestyle="-.", label=labels.review),
    ]
    if any(start <= i <= end for i in injections):
        keys.append(Line2D([], [], color=BLACK, linewidth=1.2, label=labels.injection))
    return keys


def shorten_to_em(text: str, limit_em: float) -> str:
    """Shortened with "…" to at most `limit_em` ems (text_width_em's estimate)."""
    text = " ".join(text.split())
    if text_width_em(text) <= limit_em:
        return text
    while text and text_width_em(text + "…") > limit_em:
        text = text[:-1]
    return text.rstrip() + "…"
