"""What a browser without JavaScript would send for a form on a page (stdlib only)."""

from __future__ import annotations

from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"attrs": attrs, "fields": []}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("radio", "checkbox") and "checked" not in attrs:
                return
            if kind in ("submit", "button"):
                return
            default = "on" if kind in ("radio", "checkbox") else ""
            self._form["fields"].append([attrs.get("name"), attrs.get("value", default)])
        elif tag == "textarea":
            self._textarea = attrs.get("name")
            self._form["fields"].append([self._textarea, ""])

    def handle_data(self, data):
        if self._textarea is not None:
            self._form["fields"][-1][1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._form = None


def page_forms(content: bytes | str) -> list[dict]:
    """Every form: {"attrs": the <form> attributes, "fields": [[name, value], ...]}."""
    parser = _Forms()
    parser.feed(content.decode() if isinstance(content, bytes) else content)
    return parser.forms


def form_data(content: bytes | str, **attrs) -> tuple[str, dict]:
    """(action, data) of the one form whose attributes include `attrs` (class_ for class)."""
    wanted = {key.rstrip("_"): value for key, value in attrs.items()}
    matches = [
        form
        for form in page_forms(content)
        if all(value in (form["attrs"].get(key) or "").split() for key, value in wanted.items())
    ]
    assert len(matches) == 1, f"{len(matches)} forms match {attrs}"
    form = matches[0]
    return form["attrs"].get("action", ""), {
        name: value for name, value in form["fields"] if name is not None
    }
