"""Which values of a diary entry the clinician's table marks, and its notes without blank lines.

A value is marked when it is at or past a threshold the warning-sign rules already use (SPEC §3,
`diary/red_flags.py`): no threshold is invented here. Pure Python, plain values in.
"""

from __future__ import annotations

from decimal import Decimal

from diary import red_flags as rf

# The columns of the patient page's entries table that can be marked.
MARKED_FIELDS = ("pain", "swelling", "warmth", "redness", "weight_bearing", "temperature_c")


def abnormal_fields(
    *,
    pain: int,
    swelling: int,
    warmth: int,
    redness: str,
    weight_bearing: str,
    temperature_c: float | Decimal | None,
    fever_caution_c: float | Decimal = rf.DEFAULT_FEVER_CAUTION_C,
) -> frozenset[str]:
    """The fields at or past a rule's threshold:

    - pain ≥ 7 (the hot, swollen, very painful joint's pain);
    - swelling ≥ 2 or joint warmth ≥ 2 (a local sign);
    - any redness, and not able to bear weight (local signs);
    - a temperature at or above the clinic's caution threshold (a fever sign).
    """
    marked = set()
    if pain >= rf.HOT_SWOLLEN_PAIN:
        marked.add("pain")
    if swelling >= rf.LOCAL_SIGN_SWELLING:
        marked.add("swelling")
    if warmth >= rf.LOCAL_SIGN_WARMTH:
        marked.add("warmth")
    if redness != rf.REDNESS_NONE:
        marked.add("redness")
    if weight_bearing == rf.WEIGHT_CANNOT:
        marked.add("weight_bearing")
    if temperature_c is not None and float(temperature_c) >= float(fever_caution_c):
        marked.add("temperature_c")
    return frozenset(marked)


def tidy_note(text: str) -> str:
    """A note for a table cell: its lines without the empty ones and without spaces at the ends
    (a note typed on a phone often ends in a line break or two)."""
    lines = (line.strip() for line in (text or "").splitlines())
    return "\n".join(line for line in lines if line)


def marks_legend(*, fever_caution_c: float | Decimal) -> dict[str, object]:
    """The thresholds `abnormal_fields` uses, for the table's legend."""
    return {
        "pain": rf.HOT_SWOLLEN_PAIN,
        "swelling": rf.LOCAL_SIGN_SWELLING,
        "warmth": rf.LOCAL_SIGN_WARMTH,
        "temperature": fever_caution_c,
    }
