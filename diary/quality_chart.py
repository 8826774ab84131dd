"""The quality page's chart: flags per month, and the share acknowledged within target.

Pure, like diary/charts.py (whose font, style and deterministic SVG writer it uses): plain values
in, SVG bytes out, labels already translated by the caller. Urgent and caution are told apart by
marker shape, line style and hatching as well as colour.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.figure import Figure

from diary.charts import NARROW, ORANGE, VERMILLION, WIDE, chart_style, svg_bytes

QUALITY_FIGURE_IN = {WIDE: (8.0, 5.0), NARROW: (3.6, 5.4)}
BAR_WIDTH = 0.38


@dataclass(frozen=True)
class QualityChartMonth:
    label: str  # "2026/11"
    urgent_flags: int
    caution_flags: int
    urgent_share: float | None  # 0–1, None when nothing was judged
    caution_share: float | None


@dataclass(frozen=True)
class QualityChartLabels:
    flags: str = "Flags"
    share: str = "Within target (percent)"
    urgent: str = "Urgent"
    caution: str = "Caution"


def _percent(value: float | None) -> float:
    return math.nan if value is None else value * 100


def quality_chart(
    months: Sequence[QualityChartMonth],
    *,
    labels: QualityChartLabels = QualityChartLabels(),
    layout: str = WIDE,
) -> bytes:
    """Two panels over the months: flags (bars) and the share within target (lines, 0–100 %).
    `layout` NARROW draws it for a phone (month labels upright)."""
    if not months:
        raise ValueError("no months to draw")
    if layout not in QUALITY_FIGURE_IN:
        raise ValueError(f"unknown layout: {layout!r}")
    narrow = layout == NARROW
    xs = list(range(len(months)))
    with chart_style():
        fig = Figure(figsize=QUALITY_FIGURE_IN[layout], dpi=100)
        if narrow:
            fig.subplots_adjust(left=0.2, right=0.97, top=0.9, bottom=0.15, hspace=0.3)
        else:
            fig.subplots_adjust(left=0.09, right=0.985, top=0.9, bottom=0.12, hspace=0.3)
        counts, shares = fig.subplots(2, 1, sharex=True)
        counts.bar([x - BAR_WIDTH / 2 for x in xs], [m.urgent_flags for m in months], BAR_WIDTH,
                   color=VERMILLION, label=labels.urgent, gid="bars-urgent")  # fmt: skip
        counts.bar([x + BAR_WIDTH / 2 for x in xs], [m.caution_flags for m in months], BAR_WIDTH,
                   color="white", edgecolor=ORANGE, hatch="///", label=labels.caution,
                   gid="bars-caution")  # fmt: skip
        top = max([m.urgent_flags for m in months] + [m.caution_flags for m in months] + [1])
        counts.set(ylabel=labels.flags, ylim=(0, top * 1.15))
        counts.yaxis.get_major_locator().set_params(integer=True)
        counts.grid(axis="y")
        shares.plot(xs, [_percent(m.urgent_share) for m in months], color=VERMILLION,
                    marker="^", markersize=6, label=labels.urgent, gid="share-urgent")  # fmt: skip
        shares.plot(xs, [_percent(m.caution_share) for m in months], color=ORANGE,
                    marker="D", markersize=5, linestyle="--", label=labels.caution,
                    gid="share-caution")  # fmt: skip
        shares.set(ylabel=labels.share, ylim=(-5, 105), yticks=[0, 25, 50, 75, 100])
        shares.grid(axis="y")
        shares.set_xticks(xs, [m.label for m in months])
        shares.tick_params(axis="x", labelsize=8, labelrotation=90 if narrow else 0)
        handles, names = counts.get_legend_handles_labels()
        fig.legend(handles, names, loc="upper center", ncols=2, bbox_to_anchor=(0.5, 0.995))
        return svg_bytes(fig)
