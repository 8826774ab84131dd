"""A save judges only the days it can change (`flags_evaluate(changed_days=...)`); the full
re-evaluation is the oracle. Random saves and edits of random days in random order (before the
first injection, skipped days, days passing, acknowledgements, a new injection): after each one
the stored flags, occurrences and triage row are exactly what a full evaluation leaves."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diary import red_flags
from diary.flag_text import LEG
from diary.flagging import flag_acknowledge, flags_evaluate, patient_findings
from diary.models import Flag, FlagOccurrence, PatientTriage
from diary.selectors import _finding_views, day_findings
from diary.services import entry_save, injection_save
from tests.factories import (
    ENTRY_VALUES,
    FROZEN_NOW,
    TODAY,
    clinic_morning,
    make_clinician,
    make_injection,
    make_patient,
)
from tests.triage_oracle import stale

pytestmark = pytest.mark.django_db

answers = st.fixed_dictionaries(
    {
        "pain": st.integers(0, 10),
        "swelling": st.integers(0, 3),
        "warmth": st.integers(0, 3),
        "redness": st.sampled_from(red_flags.REDNESS_CHOICES),
        "weight_bearing": st.sampled_from(red_flags.WEIGHT_CHOICES),
        "temperature_c": st.sampled_from([None, Decimal("36.6"), Decimal("37.6"), Decimal("38.4")]),
        "feverish": st.booleans(),
        "unwell": st.booleans(),
    }
)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("save"), st.integers(0, 30), answers),
        st.tuples(st.just("save"), st.integers(0, 3), answers),  # around today: edits
        st.tuples(st.just("acknowledge"), st.integers(0, 5)),
        st.tuples(st.just("days pass"), st.integers(1, 4)),
        st.tuples(st.just("inject"), st.integers(0, 20)),
    ),
    min_size=1,
    max_size=14,
)


def snapshot(patient) -> tuple:
    flags = sorted(
        Flag.objects.filter(patient=patient).values_list(
            "pk", "code", "severity", "status", "first_day", "last_day", "withdrawn_at"
        )
    )
    occurrences = sorted(
        (o.pk, o.flag_id, o.day, o.severity, tuple(o.evidence_days), o.withdrawn_at)
        for o in FlagOccurrence.objects.filter(flag__patient=patient)
    )
    triage = PatientTriage.objects.filter(patient=patient).values_list(
        "flag_group", "urgent_since", "last_activity"
    )
    return flags, occurrences, list(triage)


def by_the_rules(patient, day, limb=LEG):
    """What the confirmation page showed before it read the stored rows: the rules run again."""
    found = [
        (f.code, f.severity, None)
        for f in patient_findings(patient)
        if f.on == day and f.code != red_flags.MISSED_ENTRIES
    ]
    return _finding_views(found, limb)


def full_evaluation(patient) -> tuple:
    """What the whole-history evaluation leaves, without keeping it."""
    with transaction.atomic():
        flags_evaluate(patient=patient)
        after = snapshot(patient)
        transaction.set_rollback(True)
    return after


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    injected=st.lists(st.integers(0, 30), max_size=2),
    plan=steps,
)
def test_a_save_stores_what_a_full_evaluation_stores(clinic, time_machine, injected, plan):
    time_machine.move_to(FROZEN_NOW, tick=False)
    with transaction.atomic():  # each example starts from a new patient
        patient = make_patient("incremental@example.jp", clinic=clinic)
        clinician = make_clinician("incremental-doctor@example.jp", clinic=clinic)
        for offset in injected:
            make_injection(patient, day=TODAY - timedelta(days=offset))
        today = TODAY
        for step in plan:
            if step[0] == "save":
                _, offset, values = step
                entry_save(
                    patient=patient,
                    day=today - timedelta(days=offset),
                    values={**ENTRY_VALUES, **values},
                    saved_by=patient,
                )
            elif step[0] == "acknowledge":
                open_flags = list(Flag.objects.filter(patient=patient, status="open"))
                if open_flags:
                    flag = open_flags[step[1] % len(open_flags)]
                    flag_acknowledge(flag=flag, by=clinician, action="called")
                continue
            elif step[0] == "days pass":
                today += timedelta(days=step[1])
                time_machine.move_to(clinic_morning(today), tick=False)
                continue
            else:  # an injection recorded: the whole history is judged again
                injection_save(
                    patient=patient,
                    values={
                        "day": today - timedelta(days=step[1]),
                        "joint": "knee",
                        "side": "left",
                        "agent": "hyaluronic_acid",
                    },  # fmt: skip
                    recorded_by=clinician,
                )
            assert snapshot(patient) == full_evaluation(patient), step
            if step[0] == "save":  # the confirmation reads what the save stored
                saved_day = today - timedelta(days=step[1])
                assert day_findings(patient, saved_day) == by_the_rules(patient, saved_day)
            assert stale(patient.__class__.objects.filter(pk=patient.pk)) == []
        transaction.set_rollback(True)
