"""The clinician's entries table marks a value at or past a rule's threshold (SPEC §3), and
shows a note without empty lines. Pure Python: plain values in."""

from decimal import Decimal

import pytest

from diary import red_flags as rf
from diary.entry_marks import abnormal_fields, tidy_note

NORMAL = {
    "pain": 4, "swelling": 1, "warmth": 1, "redness": "none", "weight_bearing": "painful",
    "temperature_c": Decimal("37.4"),
}  # fmt: skip


def test_an_ordinary_entry_has_nothing_marked():
    assert abnormal_fields(**NORMAL) == frozenset()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"pain": rf.HOT_SWOLLEN_PAIN}, "pain"),
        ({"swelling": rf.LOCAL_SIGN_SWELLING}, "swelling"),
        ({"warmth": rf.LOCAL_SIGN_WARMTH}, "warmth"),
        ({"redness": "present"}, "redness"),
        ({"redness": "spreading"}, "redness"),
        ({"weight_bearing": "cannot"}, "weight_bearing"),
        ({"temperature_c": Decimal("37.5")}, "temperature_c"),
    ],
)
def test_a_value_at_a_threshold_is_marked_and_only_it(change, field):
    assert abnormal_fields(**{**NORMAL, **change}) == {field}


def test_just_below_each_threshold_nothing_is_marked():
    below = {
        "pain": rf.HOT_SWOLLEN_PAIN - 1, "swelling": rf.LOCAL_SIGN_SWELLING - 1,
        "warmth": rf.LOCAL_SIGN_WARMTH - 1, "redness": "none", "weight_bearing": "painful",
        "temperature_c": 37.4,
    }  # fmt: skip
    assert abnormal_fields(**below) == frozenset()


def test_the_temperature_follows_the_clinics_threshold():
    values = {**NORMAL, "temperature_c": Decimal("37.6")}
    assert abnormal_fields(**values, fever_caution_c=Decimal("37.8")) == frozenset()
    assert abnormal_fields(**values, fever_caution_c=Decimal("37.5")) == {"temperature_c"}


def test_no_temperature_is_not_marked():
    assert abnormal_fields(**{**NORMAL, "temperature_c": None}) == frozenset()


@pytest.mark.parametrize(
    ("note", "shown"),
    [
        ("膝が熱い\n", "膝が熱い"),
        ("\n\n膝が熱い\n\n\n夜も痛い\n\n", "膝が熱い\n夜も痛い"),
        ("  morning \r\n\r\n  evening  ", "morning\nevening"),
        ("", ""),
        (None, ""),
    ],
)
def test_a_note_loses_its_empty_lines(note, shown):
    assert tidy_note(note) == shown
