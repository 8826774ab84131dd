"""Tests of the visit report (print view and PDF), with the few readers they share.

The report marks what a test needs with data attributes (`data-responder`, `data-goal-status`,
`data-flag`, `tr[data-day]`, `data-section`); `marked` finds those elements with the standard
library's HTML parser. The PDF readers use pypdf, as a person would read the file: its pages'
text, the fonts it embeds, the images it holds.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from pypdf import PdfReader

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
# Tags that separate words when the page is read, as a browser lays them out.
BREAKS = {"br", "dd", "div", "dt", "h1", "h2", "li", "p", "td", "th", "tr"}


@dataclass
class Marked:
    """An element carrying the attribute looked for: its attributes, text and table cells."""

    attrs: dict[str, str | None]
    parts: list[str] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)
    depth: int = 1

    @property
    def text(self) -> str:
        return squash("".join(self.parts))


class _MarkedParser(HTMLParser):
    def __init__(self, attribute: str):
        super().__init__(convert_charrefs=True)
        self.attribute = attribute
        self.found: list[Marked] = []
        self.open: list[Marked] = []  # matched elements we are inside
        self.cell: list[str] | None = None  # text of the <td>/<th> being read

    def handle_starttag(self, tag, attrs):
        if tag in BREAKS:
            self.handle_data(" ")
        if tag in VOID:
            return
        for element in self.open:
            element.depth += 1
        if tag in ("td", "th") and self.open:
            self.cell = []
        attributes = dict(attrs)
        if self.attribute in attributes:
            element = Marked(attributes)
            self.found.append(element)
            self.open.append(element)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if tag in BREAKS:
            self.handle_data(" ")
        if tag in ("td", "th") and self.cell is not None:
            text = squash("".join(self.cell))
            for element in self.open:
                element.cells.append(text)
            self.cell = None
        for element in self.open:
            element.depth -= 1
        self.open = [element for element in self.open if element.depth > 0]

    def handle_data(self, data):
        for element in self.open:
            element.parts.append(data)
        if self.cell is not None:
            self.cell.append(data)


def marked(content: bytes | str, attribute: str, value: str | None = None) -> list[Marked]:
    """Every element with `attribute` (equal to `value` when given), in document order."""
    parser = _MarkedParser(attribute)
    parser.feed(content.decode() if isinstance(content, bytes) else content)
    parser.close()
    return [e for e in parser.found if value is None or e.attrs[attribute] == value]


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# --- PDF ------------------------------------------------------------------------------------


def pdf_reader(content: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(content))


def pdf_pages_text(content: bytes) -> list[str]:
    return [page.extract_text() or "" for page in pdf_reader(content).pages]


def _walk_resources(resources, seen: set[int]):
    """Yield every resource dictionary: the page's and those of the form XObjects it draws."""
    if resources is None or id(resources) in seen:
        return
    seen.add(id(resources))
    yield resources
    for ref in (resources.get("/XObject") or {}).values():
        xobject = ref.get_object()
        if "/Resources" in xobject:
            yield from _walk_resources(xobject["/Resources"].get_object(), seen)


def pdf_fonts(content: bytes) -> dict[str, bool]:
    """Every font the PDF uses, by base name without the subset prefix, and whether its file is
    embedded (a FontFile, FontFile2 or FontFile3 in its descriptor)."""
    fonts: dict[str, bool] = {}
    seen: set[int] = set()
    for page in pdf_reader(content).pages:
        for resources in _walk_resources(page["/Resources"].get_object(), seen):
            for ref in (resources.get("/Font") or {}).values():
                font = ref.get_object()
                name = str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1]
                if "/DescendantFonts" in font:  # a composite (Type0) font, as for Japanese
                    font = font["/DescendantFonts"][0].get_object()
                descriptor = font.get("/FontDescriptor")
                descriptor = descriptor.get_object() if descriptor is not None else {}
                embedded = any(
                    key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
                )
                fonts[name] = fonts.get(name, False) or embedded
    return fonts


def pdf_raster_images(content: bytes) -> int:
    """How many image XObjects (raster pictures) the PDF's pages draw, forms included."""
    count = 0
    seen: set[int] = set()
    for page in pdf_reader(content).pages:
        for resources in _walk_resources(page["/Resources"].get_object(), seen):
            for ref in (resources.get("/XObject") or {}).values():
                if ref.get_object().get("/Subtype") == "/Image":
                    count += 1
    return count
