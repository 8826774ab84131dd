"""The symptom and goal charts drawn for a phone: a portrait figure of stacked panels.

Pure, like diary/charts.py (which calls it for `layout=NARROW` and whose font, style, tick
placement and deterministic SVG writer it uses): plain values in, SVG bytes out.

The figure is NARROW_WIDTH_EMS labels wide, so that shown 300 CSS px wide (a 375 px phone, the
chart inside a card, the largest text size) every label is at least 12 CSS px. Each panel is
named by its own legend above it (no rotated axis titles), flags are a strip only when there are
any, one row per severity that occurs, each told by marker shape, colour and the legend's
words; the temperature panel is left out when no temperature was recorded; a diary without
entries is a sentence, not empty axes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from diary.charts import (
    BLACK,
    MEASURE_PANELS,
    ORANGE,
    PURPLE,
    SERIES_STYLES,
    SEVERITY_STYLES,
    TEMPERATURE_RANGE_C,
    VERMILLION,
    ChartFlag,
    ChartLabels,
    DateAxisRoom,
    GoalSeries,
    _day_count,
    _draw_date_axis,
    _draw_goal_lines,
    _goal_keys,
    _label,
    _literal,
    _plot_series,
    chart_style,
    has_values,
    shorten_to_em,
    svg_bytes,
    text_width_em,
)

FONT_PT = 10.0  # the smallest text in the figure
NARROW_WIDTH_EMS = 24  # 240 pt: 300 CSS px wide, a 10 pt label is 12.5 CSS px
WIDTH_IN = NARROW_WIDTH_EMS * FONT_PT / 72
MAX_TICKS = 5
# Inches: margins, each panel's legend row (its title), the gap under a panel, the date labels.
LEFT_IN, RIGHT_IN, TOP_IN = 0.36, 0.1, 0.06
TITLE_IN, GAP_IN, DATES_IN, KEY_ROW_IN = 0.27, 0.1, 0.42, 0.22
FLAG_ROW_IN = 0.26
PANEL_IN = {"pain": 1.45, "levels": 0.95, "temperature": 1.05}
SEVERITY_ORDER = ("urgent", "caution", "info")
LEGEND = {"fontsize": FONT_PT, "frameon": False, "handlelength": 1.6, "columnspacing": 1.0,
          "handletextpad": 0.4, "borderaxespad": 0.0, "borderpad": 0.0}  # fmt: skip
# A goal's title in the legend under the chart: the room right of the left margin and the key.
LABEL_MAX_EMS = NARROW_WIDTH_EMS - LEFT_IN * 72 / FONT_PT - 3


def _room() -> DateAxisRoom:
    axis_width = (WIDTH_IN - LEFT_IN - RIGHT_IN) * 72
    return DateAxisRoom(LEFT_IN * 72, axis_width, WIDTH_IN * 72, FONT_PT)


def _stack(
    fig: Figure, heights: list[float], total: float, count: int, top: float | None = None
) -> list[Axes]:
    """Axes of the given heights (inches) from `top` (default: under the top margin) down, each
    under its legend row, sharing x."""
    axes: list[Axes] = []
    top = total - TOP_IN if top is None else top
    for height in heights:
        top -= TITLE_IN
        rect = (LEFT_IN / WIDTH_IN, (top - height) / total,
                (WIDTH_IN - LEFT_IN - RIGHT_IN) / WIDTH_IN, height / total)  # fmt: skip
        ax = fig.add_axes(rect, sharex=axes[0] if axes else None)
        ax.set_xlim(-0.5, count - 0.5)
        axes.append(ax)
        top -= height + GAP_IN
    return axes


def _title(ax: Axes, handles: list) -> None:
    """The panel's legend, above its top left corner: it names what the panel shows."""
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.02),
              ncols=len(handles), **LEGEND)  # fmt: skip


def _key_columns(labels: list[str]) -> int:
    """Two columns when every entry fits in half the width, else one."""
    return (
        2 if all(text_width_em(label) + 2.2 <= NARROW_WIDTH_EMS / 2 - 1 for label in labels) else 1
    )


NO_LINE_START = "。、，．）」』！？"  # Japanese punctuation stays at the end of a line


def wrap_to_em(text: str, limit_em: float) -> list[str]:
    """Lines of at most `limit_em` ems: between words, or between characters in Japanese."""
    joiner = " " if " " in text else ""
    lines, line = [], ""
    for token in text.split(" ") if joiner else list(text):
        candidate = f"{line}{joiner}{token}" if line else token
        if line and text_width_em(candidate) > limit_em and token not in NO_LINE_START:
            lines.append(line)
            line = token
        else:
            line = candidate
    return [*lines, line]


def _sentence(text: str) -> bytes:
    """A figure that says there is nothing to draw, instead of empty axes."""
    lines = wrap_to_em(text, NARROW_WIDTH_EMS - 2)
    with chart_style():
        height = 0.3 + 0.22 * len(lines)
        fig = Figure(figsize=(WIDTH_IN, height), dpi=100)
        fig.text(0.5, 0.5, _literal("\n".join(lines)), ha="center", va="center",
                 fontsize=FONT_PT, gid="no-entries")  # fmt: skip
        return svg_bytes(fig)


def symptom_chart_narrow(
    series: dict[str, list[float]],
    *,
    injections: Sequence[date],
    start: date,
    end: date,
    flags: list[ChartFlag],
    goal_targets: list,
    review_date: date | None,
    fever_caution_c: float,
    fever_urgent_c: float,
    labels: ChartLabels,
) -> bytes:
    """The symptom chart for a phone; `series` and the rest are checked by charts.symptom_chart."""
    count = _day_count(start, end)
    if not any(has_values(series, name) for name in SERIES_STYLES):
        return _sentence(labels.no_entries)
    severities = [s for s in SEVERITY_ORDER if any(f.severity == s for f in flags)]
    panels = ["pain", "levels"] + (["temperature"] if has_values(series, "temperature_c") else [])
    heights = ([FLAG_ROW_IN * len(severities) + 0.1] if severities else []) + [
        PANEL_IN[name] for name in panels
    ]
    review_shown = review_date is not None and start <= review_date <= end
    injection_shown = any(start <= i <= end for i in injections)
    key_labels = ([labels.injection, labels.reaction_window] if injection_shown else []) + (
        [labels.review] if review_shown else []
    )
    key_rows = math.ceil(len(key_labels) / _key_columns(key_labels)) if key_labels else 0
    total = (TOP_IN + sum(heights) + len(heights) * (TITLE_IN + GAP_IN) + DATES_IN
             + key_rows * KEY_ROW_IN + 0.08)  # fmt: skip
    with chart_style():
        fig = Figure(figsize=(WIDTH_IN, total), dpi=100)
        axes = _stack(fig, heights, total, count)
        flag_ax = axes[0] if severities else None
        by_name = dict(zip(panels, axes[1:] if severities else axes, strict=True))
        _draw_date_axis(axes, start, end, injections, labels, _room(), max_ticks=MAX_TICKS)
        if flag_ax is not None:
            _draw_flag_rows(flag_ax, flags, severities, start, count, labels)
        for ax in by_name.values():
            ax.grid(axis="y")
        _draw_panels(by_name, series, labels, fever_caution_c, fever_urgent_c)
        panel_axes = [by_name["pain"], by_name["levels"], by_name.get("temperature")]
        for goal in goal_targets:
            ax = panel_axes[MEASURE_PANELS[goal.measure]]
            if ax is None:  # a temperature goal without temperatures: nothing to compare with
                continue
            colour = SERIES_STYLES[goal.measure][0]
            ax.axhline(goal.target, color=colour, linestyle="--", linewidth=1.1, gid="goal-target")
            _label(ax, 0.995, goal.target, _literal(shorten_to_em(goal.label, LABEL_MAX_EMS - 2)),
                   colour, fontsize=FONT_PT, ha="right")  # fmt: skip
        if review_shown:
            x = (review_date - start).days
            for ax in axes:
                ax.axvline(x, color=PURPLE, linestyle="--", linewidth=1.4, gid="review")
        keys = []
        if injection_shown:
            keys += [
                Line2D([], [], color=BLACK, linewidth=1.2, label=labels.injection),
                Patch(color=BLACK, alpha=0.07, label=labels.reaction_window),
            ]
        if review_shown:
            keys.append(Line2D([], [], color=PURPLE, linestyle="--", label=labels.review))
        if keys:
            fig.legend(handles=keys, loc="lower left", bbox_to_anchor=(LEFT_IN / WIDTH_IN, 0.01),
                       ncols=_key_columns(key_labels), **LEGEND)  # fmt: skip
        return svg_bytes(fig)


def _draw_flag_rows(
    ax: Axes, flags: list[ChartFlag], severities: list[str], start: date, count: int,
    labels: ChartLabels,
) -> None:  # fmt: skip
    """One row per severity that occurs, most severe on top; the legend above names each
    marker's shape and colour."""
    rows = {severity: len(severities) - 1 - i for i, severity in enumerate(severities)}
    ax.set_ylim(-0.6, len(severities) - 0.4)
    ax.set_yticks([])
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    handles = []
    for severity in severities:
        marker, colour = SEVERITY_STYLES[severity]
        style = {"marker": marker, "color": colour, "linestyle": "none", "markersize": 9,
                 "markeredgecolor": BLACK, "markeredgewidth": 0.6}  # fmt: skip
        xs = sorted({(f.day - start).days for f in flags if f.severity == severity})
        ax.plot(xs, [rows[severity]] * len(xs), gid=f"flag-{severity}", **style)
        handles.append(Line2D([], [], label=getattr(labels, severity), **style))
    _title(ax, handles)


def _draw_panels(by_name: dict[str, Axes], series, labels: ChartLabels, caution_c, urgent_c):
    pain = by_name["pain"]
    pain.set(ylim=(-0.5, 10.5), yticks=range(0, 11, 2))
    lines = list(_plot_series(pain, series, "pain", labels.pain))
    if has_values(series, "night_pain"):
        lines += _plot_series(pain, series, "night_pain", labels.night_pain)
    _title(pain, lines)
    levels = by_name["levels"]
    levels.set(ylim=(-0.3, 3.3), yticks=range(4))
    _title(levels, [*_plot_series(levels, series, "swelling", labels.swelling),
                    *_plot_series(levels, series, "warmth", labels.warmth)])  # fmt: skip
    temperature = by_name.get("temperature")
    if temperature is None:
        return
    recorded = [v for v in series["temperature_c"] if not math.isnan(v)]
    low, high = TEMPERATURE_RANGE_C
    temperature.set_ylim(min([low, *recorded]) - 0.2, max([high, *recorded]) + 0.2)
    _title(temperature, _plot_series(temperature, series, "temperature_c", labels.temperature))
    for value, text, colour, style, va in (
        (caution_c, labels.fever_caution, ORANGE, "--", "top"),
        (urgent_c, labels.fever_urgent, VERMILLION, "-.", "bottom"),
    ):
        temperature.axhline(value, color=colour, linestyle=style, linewidth=1.2)
        _label(temperature, 0.01, value, text.format(value=value), colour, fontsize=FONT_PT, va=va)


def goals_chart_narrow(
    goals: Sequence[GoalSeries],
    *,
    start: date,
    end: date,
    injections: Sequence[date],
    labels: ChartLabels,
) -> bytes:
    """The goal ratings for a phone: the keys above the panel, one goal a row below it."""
    count = _day_count(start, end)
    keys = _goal_keys(labels, start, end, injections)
    key_columns = _key_columns([key.get_label() for key in keys])
    key_rows = math.ceil(len(keys) / key_columns)
    panel = 1.7
    total = (TOP_IN + key_rows * KEY_ROW_IN + TITLE_IN + panel + GAP_IN + DATES_IN
             + len(goals) * KEY_ROW_IN + 0.08)  # fmt: skip
    with chart_style():
        fig = Figure(figsize=(WIDTH_IN, total), dpi=100)
        corner = (LEFT_IN / WIDTH_IN, 1 - TOP_IN / total)
        fig.legend(handles=keys, loc="upper left", bbox_to_anchor=corner, ncols=key_columns,
                   **LEGEND)  # fmt: skip
        (ax,) = _stack(fig, [panel], total, count, top=total - TOP_IN - key_rows * KEY_ROW_IN)
        ax.grid(axis="y")
        ax.set(ylim=(-0.5, 10.5), yticks=range(0, 11, 2))
        ax.set_title(labels.rating, loc="left", fontsize=FONT_PT, pad=4)
        _draw_date_axis([ax], start, end, injections, labels, _room(), max_ticks=MAX_TICKS)
        lines = _draw_goal_lines(ax, goals, start, end, label_em=LABEL_MAX_EMS)
        if lines:
            fig.legend(handles=lines, loc="lower left", bbox_to_anchor=(LEFT_IN / WIDTH_IN, 0.01),
                       ncols=1, **LEGEND)  # fmt: skip
        return svg_bytes(fig)
