"""Read the text a chart SVG draws: each line's font size and its box, in the SVG's points.

matplotlib writes text as glyph paths ("svg.fonttype": "path"): one group per line,
`translate(x y) scale(s -s)` with s = font size / 100, and one <use> per glyph at its offset.
A line's width is the last glyph's offset plus that glyph's advance, read from the same font
file at the size matplotlib lays glyphs out (100 pt at 72 dpi).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import matplotlib
from matplotlib.ft2font import FT2Font, LoadFlags

from diary.charts import japanese_font_path

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
LINE = re.compile(r"translate\(([-\d.e]+) ([-\d.e]+)\) scale\(([\d.e]+) -[\d.e]+\)")
OFFSET = re.compile(r"translate\(([-\d.e]+) ")
# The share of the font size above and below the baseline (IPAexGothic: ascent 0.88, descent 0.12).
ASCENT, DESCENT = 0.88, 0.12


@dataclass(frozen=True)
class TextLine:
    text: str  # the glyph ids, for messages
    font_size: float  # points
    left: float
    right: float
    top: float
    bottom: float
    groups: tuple[str, ...]  # the ids of the groups it is in, e.g. ("axes_4", "xtick_3", …)

    def within(self, prefix: str) -> bool:
        return any(group.startswith(prefix) for group in self.groups)

    def touches(self, other: TextLine) -> bool:
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )


@cache
def _font(name: str) -> FT2Font:
    if name.startswith("IPAexGothic"):
        path = japanese_font_path()
    else:
        path = Path(matplotlib.get_data_path(), "fonts", "ttf", "DejaVuSans.ttf")
    font = FT2Font(str(path))
    font.set_size(100, 72)
    return font


def _advance(href: str) -> float:
    name, _, index = href.lstrip("#").rpartition("-")
    glyph = _font(name).load_glyph(int(index, 16), LoadFlags.NO_HINTING)
    return glyph.horiAdvance / 64


def svg_size(svg: bytes) -> tuple[float, float]:
    """The drawing's width and height in points (its viewBox)."""
    _, _, width, height = (float(v) for v in ET.fromstring(svg).get("viewBox").split())
    return width, height


def text_lines(svg: bytes) -> list[TextLine]:
    """Every line of text drawn, with its size and box."""
    lines: list[TextLine] = []

    def walk(element: ET.Element, groups: tuple[str, ...]) -> None:
        if element.get("id"):
            groups = (*groups, element.get("id"))
        for child in element:
            transform = child.get("transform", "")
            match = LINE.fullmatch(transform.strip()) if child.tag == f"{SVG}g" else None
            if match:
                x, y, scale = (float(v) for v in match.groups())
                uses = child.findall(f"{SVG}use")
                if not uses:
                    continue
                last = uses[-1]
                offset = OFFSET.match(last.get("transform", "translate(0 "))
                width = (float(offset.group(1)) + _advance(last.get(XLINK_HREF))) * scale
                size = scale * 100
                lines.append(
                    TextLine(
                        " ".join(u.get(XLINK_HREF).rsplit("-", 1)[1] for u in uses),
                        size,
                        x,
                        x + width,
                        y - ASCENT * size,
                        y + DESCENT * size,
                        groups,
                    )
                )
            else:
                walk(child, groups)

    walk(ET.fromstring(svg), ())
    return lines
