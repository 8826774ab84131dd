"""Just enough HTML reading for assertions about where a text appears on a page (stdlib only)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _ElementText(HTMLParser):
    """Collects the text inside the element with a given id (nested elements included)."""

    def __init__(self, element_id: str):
        super().__init__(convert_charrefs=True)
        self.element_id = element_id
        self.depth = 0  # > 0 while inside the element
        self.found = False
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        if self.depth:
            self.depth += 1
        elif dict(attrs).get("id") == self.element_id and not self.found:
            self.found = True
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth and tag not in VOID:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def element_text(content: bytes | str, element_id: str) -> str | None:
    """The text of the element with this id, whitespace collapsed; None if there is none."""
    parser = _ElementText(element_id)
    parser.feed(content.decode() if isinstance(content, bytes) else content)
    if not parser.found:
        return None
    return re.sub(r"\s+", " ", "".join(parser.parts)).strip()


def field_error(content: bytes | str, field: str) -> str | None:
    """The error text shown next to a form field (the `id_<field>_error` element)."""
    return element_text(content, f"id_{field}_error")


def field_block(content: bytes | str, field: str) -> str | None:
    """Everything shown in the field's own block: label, input, help and error."""
    return element_text(content, f"div_id_{field}")


def html_lang(content: bytes | str) -> str | None:
    text = content.decode() if isinstance(content, bytes) else content
    match = re.search(r"<html[^>]*\blang=\"([^\"]+)\"", text)
    return match.group(1) if match else None


class _Inputs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inputs: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "input":
            self.inputs.append(dict(attrs))


def checked_values(content: bytes | str, name: str) -> list[str]:
    """The values of the radio buttons or checkboxes named `name` that are checked."""
    parser = _Inputs()
    parser.feed(content.decode() if isinstance(content, bytes) else content)
    return [
        attrs.get("value", "on")
        for attrs in parser.inputs
        if attrs.get("name") == name and "checked" in attrs
    ]


def input_value(content: bytes | str, name: str) -> str | None:
    """The value of the (first) text-like input named `name`."""
    parser = _Inputs()
    parser.feed(content.decode() if isinstance(content, bytes) else content)
    for attrs in parser.inputs:
        if attrs.get("name") == name:
            return attrs.get("value")
    return None
