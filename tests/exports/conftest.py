"""Hanako's diary with something of every kind the exports carry, and helpers to read a Bundle.

Today (the frozen clock) is day 5 after her left-knee hyaluronic acid injection.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from fhir.resources.R4B.bundle import Bundle

from diary.fhir_codes import TRANSLATION_EXTENSION
from diary.models import Flag, FlagOccurrence
from tests.factories import days_ago, make_entry, make_flag, make_goal

# Every entry has these observations: pain, swelling, warmth, redness, weight bearing,
# feverish, unwell, painkiller. Temperature, night pain and exercise only when given.
ALWAYS_OBSERVED = 8


@pytest.fixture
def record(patient, clinician):
    """Three diary days (a feverish one, an ordinary one, a sparse one), two goals and two
    red flags (one open, one acknowledged)."""
    injection = patient.injections.get()
    feverish_day = make_entry(
        patient,
        day=days_ago(4),
        pain=7,
        swelling=2,
        warmth=1,
        redness="present",
        weight_bearing="painful",
        temperature_c=Decimal("38.3"),
        feverish=True,
        night_pain=5,
        exercise_minutes=None,
        painkiller=True,
        notes="Hanako-private-note",
    )
    ordinary_day = make_entry(patient, day=days_ago(3))  # 36.8 °C, night pain 3, 20 minutes
    sparse_day = make_entry(
        patient, day=days_ago(2), temperature_c=None, night_pain=None, exercise_minutes=None
    )
    ability = make_goal(patient, injection=injection)
    symptom = make_goal(patient, injection=injection, kind="symptom")
    fever = make_flag(patient, code="fever", severity="urgent", first_day=days_ago(4))
    FlagOccurrence.objects.create(flag=fever, day=days_ago(4), severity="urgent")
    reaction = make_flag(
        patient,
        code="early_reaction",
        severity="info",
        first_day=days_ago(4),
        last_day=days_ago(3),
        acknowledged_by=clinician,
        action=Flag.Action.NO_ACTION,
    )
    FlagOccurrence.objects.create(flag=reaction, day=days_ago(4), severity="info")
    FlagOccurrence.objects.create(flag=reaction, day=days_ago(3), severity="info")
    return {
        "injection": injection,
        "entries": [feverish_day, ordinary_day, sparse_day],
        "goals": [ability, symptom],
        "flags": [fever, reaction],
        # 8 + temperature + night pain; 8 + all three optional; 8
        "observations": (ALWAYS_OBSERVED + 2) + (ALWAYS_OBSERVED + 3) + ALWAYS_OBSERVED,
    }


def resources(bundle: Bundle, kind: str) -> list:
    return [entry.resource for entry in bundle.entry if entry.resource.get_resource_type() == kind]


def observations(bundle: Bundle, *, code: str, day) -> list:
    return [
        obs
        for obs in resources(bundle, "Observation")
        if code in [c.code for c in obs.code.coding] and str(obs.effectiveDateTime) == str(day)
    ]


def japanese(element_extension) -> str | None:
    """The Japanese of a `_display` / `_text` translation extension (None if there is none)."""
    if element_extension is None:
        return None
    for extension in element_extension.extension:
        if extension.url == TRANSLATION_EXTENSION:
            parts = {part.url: part for part in extension.extension}
            assert parts["lang"].valueCode == "ja"
            return parts["content"].valueString
    return None
