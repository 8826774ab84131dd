"""The words of the conflict page (issue 20): a day's stored entry beside the answers a form
brought after the entry changed, field by field, and the answers ready to be sent again."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diary.models import ENTRY_FIELDS, DiaryEntry

# The confirmation page's labels (templates/diary/_entry_summary.html), the same words.
LABELS = {
    "pain": gettext_lazy("Pain"),
    "swelling": gettext_lazy("Swelling"),
    "warmth": gettext_lazy("Warmth"),
    "redness": gettext_lazy("Redness"),
    "temperature_c": gettext_lazy("Temperature"),
    "feverish": gettext_lazy("Felt feverish or chills"),
    "unwell": gettext_lazy("Generally unwell"),
    "night_pain": gettext_lazy("Pain at night"),
    "exercise_minutes": gettext_lazy("Exercise"),
    "painkiller": gettext_lazy("Painkiller"),
    "notes": gettext_lazy("Notes"),
}
EMPTY = "—"


@dataclass(frozen=True)
class ConflictRow:
    name: str
    label: str
    saved: str
    yours: str


def answer_text(entry: DiaryEntry, name: str, words) -> str:
    """One answer as the confirmation page words it; `words`: the weight-bearing wording."""
    value = getattr(entry, name)
    if name == "weight_bearing":
        return str(words.answer(value))
    if name in ("swelling", "warmth", "redness"):
        return str(getattr(entry, f"get_{name}_display")())
    if isinstance(value, bool):
        yes, no = _("yes,no").split(",")
        return yes if value else no
    if value is None or value == "":
        return EMPTY
    if name in ("pain", "night_pain"):
        return f"{value} / 10"
    if name == "temperature_c":
        return f"{value} °C"
    if name == "exercise_minutes":
        return _("%(m)s min") % {"m": value}
    return str(value)


def conflict_rows(saved: DiaryEntry, yours: DiaryEntry, words):
    """(rows that differ, rows that are the same), in the form's order."""
    different, same = [], []
    for name in ENTRY_FIELDS:
        label = str(words.summary if name == "weight_bearing" else LABELS[name])
        row = ConflictRow(
            name, label, answer_text(saved, name, words), answer_text(yours, name, words)
        )
        (different if _stored(saved, name) != _stored(yours, name) else same).append(row)
    return different, same


def _stored(entry: DiaryEntry, name: str):
    value = getattr(entry, name)
    return str(value) if isinstance(value, Decimal) else value


def resend_fields(form, *, loaded_version: str, submission_id: str) -> list[tuple[str, str]]:
    """The form's answers as hidden inputs (name, value): an unticked box is left out, as a
    browser leaves it out."""
    fields = []
    for name, value in form.entry_values().items():
        if value is False:
            continue
        fields.append((name, "on" if value is True else "" if value is None else str(value)))
    fields += [("loaded_version", loaded_version), ("submission_id", submission_id)]
    return fields
