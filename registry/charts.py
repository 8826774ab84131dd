"""Small charts for "what works in our clinic": one horizontal bar per group.

Pure module like diary/charts.py, whose shared style (the Japanese font, the palette, the
deterministic SVG) it uses: plain values in, SVG bytes out, no Django import. Labels come
translated. A group with too few patients gets no bar but the words saying so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from matplotlib.figure import Figure
from matplotlib.patches import Patch

from diary.charts import BLACK, BLUE, GREY, ORANGE, SKY, VERMILLION, chart_style, svg_bytes

WIDTH_IN = 5.6
ROW_IN = 0.42
MARGIN_IN = 0.9
STACK_COLOURS = (BLUE, SKY, VERMILLION, GREY, ORANGE, BLACK)
# Hatches as well as colours: the stacked parts stay apart in print and for colour blindness.
STACK_HATCHES = ("", "//", "xx", "..", "\\\\", "++")


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: no bar (too few, or nothing to show)
    low: float | None = None  # the interval, when there is one
    high: float | None = None
    text: str = ""  # written beside the bar
    note: str = ""  # written in the plot instead of a bar ("too few to say")


@dataclass(frozen=True)
class Stack:
    label: str
    parts: tuple[float, ...] | None  # shares in the order of the legend; None: no bar
    text: str = ""  # written beside the bar
    note: str = ""  # written in the plot instead of a bar


def short_label(text: str) -> str:
    """A group's name without its explanation in brackets: "PRP (platelet-rich plasma)" and
    「PRP（多血小板血漿）」 are "PRP" beside a bar (the table has the whole name)."""
    for bracket in (" (", "（", "("):
        if bracket in text and not text.startswith(bracket.strip()):
            return text.split(bracket, 1)[0]
    return text


def _figure(rows: int) -> Figure:
    fig = Figure(figsize=(WIDTH_IN, MARGIN_IN + ROW_IN * max(rows, 1)), dpi=100)
    fig.subplots_adjust(left=0.28, right=0.86, top=1 - 0.35 / (MARGIN_IN + ROW_IN * rows),
                        bottom=0.55 / (MARGIN_IN + ROW_IN * max(rows, 1)))  # fmt: skip
    return fig


@lru_cache(maxsize=64)
def bar_chart(bars: tuple[Bar, ...], *, axis: str, limits: tuple[float, float]) -> bytes:
    """One bar per group, its interval as an error bar, the value written beside it."""
    with chart_style():
        fig = _figure(len(bars))
        ax = fig.subplots()
        positions = list(range(len(bars)))[::-1]
        ax.set_yticks(positions, [short_label(bar.label) for bar in bars])
        ax.set_ylim(-0.5, max(len(bars), 1) - 0.5)  # every group has its row, bar or not
        ax.set_xlim(*limits)
        ax.set_xlabel(axis)
        ax.grid(axis="x")
        ax.axvline(0, color=BLACK, linewidth=0.8)
        for y, bar in zip(positions, bars, strict=True):
            if bar.value is not None:
                ax.barh(y, bar.value, color=BLUE, height=0.6, gid="bar")
                if bar.low is not None and bar.high is not None:
                    ax.errorbar(bar.value, y, xerr=[[bar.value - bar.low], [bar.high - bar.value]],
                                color=BLACK, capsize=3, linewidth=1, gid="interval")  # fmt: skip
            _texts(ax, y, bar.text, bar.note)
        return svg_bytes(fig)


@lru_cache(maxsize=64)
def stacked_chart(stacks: tuple[Stack, ...], *, parts: tuple[str, ...], axis: str) -> bytes:
    """Shares of a whole per group (e.g. goals met, improved, not met), with a legend."""
    with chart_style():
        fig = _figure(len(stacks) + 1)
        ax = fig.subplots()
        positions = list(range(len(stacks)))[::-1]
        ax.set_yticks(positions, [short_label(stack.label) for stack in stacks])
        ax.set_ylim(-0.5, max(len(stacks), 1) - 0.5)
        ax.set_xlim(0, 100)
        ax.set_xlabel(axis)
        for y, stack in zip(positions, stacks, strict=True):
            left = 0.0
            for index, share in enumerate(stack.parts or ()):
                ax.barh(y, share * 100, left=left, height=0.6, color=STACK_COLOURS[index],
                        hatch=STACK_HATCHES[index], edgecolor="white")  # fmt: skip
                left += share * 100
            _texts(ax, y, stack.text, stack.note)
        handles = [
            Patch(facecolor=STACK_COLOURS[i], hatch=STACK_HATCHES[i], edgecolor="white", label=p)
            for i, p in enumerate(parts)
        ]
        ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=len(parts),
                  fontsize=8)  # fmt: skip
        return svg_bytes(fig)


def _texts(ax, y: float, text: str, note: str) -> None:
    """The value beside the bar (right of the plot), or a note in the plot in place of it."""
    where = {"transform": ax.get_yaxis_transform(), "va": "center", "fontsize": 8}
    if text:
        ax.text(1.02, y, text, clip_on=False, **where)
    if note:
        ax.text(0.02, y, note, color=GREY, **where)


def limits_for(values: Sequence[float | None], *, at_least: tuple[float, float]) -> tuple:
    """Axis limits that show every value and at least `at_least`."""
    present = [v for v in values if v is not None]
    low = min([at_least[0], *present])
    high = max([at_least[1], *present])
    return (low, high)
