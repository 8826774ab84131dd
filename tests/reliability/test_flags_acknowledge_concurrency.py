"""Two clinicians acknowledge the same patient's flags at the same moment, one several at once,
the other one of them, while the patient saves an entry: each flag is acknowledged exactly once,
by whoever came first, and nothing deadlocks (PostgreSQL's row locks; SQLite has one writer)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from diary.flagging import FlagNotOpen, flag_acknowledge, flags_acknowledge
from diary.models import Flag
from diary.services import entry_save
from tests.factories import ENTRY_VALUES, TODAY, days_ago, make_clinician, save_entry
from tests.reliability.test_concurrency import (
    assert_flags_consistent,
    postgresql_only,
    run_together,
)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_acknowledgements_record_each_flag_once(
    patient, clinician, clinic, monkeypatch
):
    save_entry(patient, day=days_ago(1), unwell=True)
    save_entry(patient, temperature_c=Decimal("38.4"))
    flags = list(Flag.objects.filter(patient=patient, status="open").order_by("code"))
    fever = flags[0]
    nurse = make_clinician("nurse@example.jp", clinic=clinic, name="Nurse Aoki")
    tasks = {
        "both": lambda: flags_acknowledge(flags=flags, by=clinician, action="called", note="both"),
        "one": lambda: flag_acknowledge(flag=fever, by=nurse, action="no_action", note="one"),
        "save": lambda: entry_save(
            patient=patient,
            day=TODAY,
            values={**ENTRY_VALUES, "temperature_c": Decimal("38.5")},
            saved_by=patient,
        ),
    }

    results, errors = run_together(tasks, meet_after_lookup=False, monkeypatch=monkeypatch)

    assert [e for e in errors if not isinstance(e, FlagNotOpen)] == []
    fever.refresh_from_db()
    unwell = Flag.objects.get(pk=flags[1].pk)
    assert (unwell.status, unwell.acknowledged_by, unwell.note) == (
        "acknowledged",
        clinician,
        "both",
    )
    assert fever.status == "acknowledged"
    if errors:  # the single one came second: the fever is the "both" step's
        assert (fever.acknowledged_by, fever.note) == (clinician, "both")
        assert results["both"].already == []
    else:  # the single one came first: the "both" step left it as it was
        assert (fever.acknowledged_by, fever.note) == (nurse, "one")
        assert [f.pk for f in results["both"].already] == [fever.pk]
    assert_flags_consistent(patient)
