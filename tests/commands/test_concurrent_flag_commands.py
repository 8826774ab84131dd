"""`check_missed_entries` and `reevaluate_flags` on two servers at the same moment (cron, or
two servers starting together: `make serve` runs `reevaluate_flags`): each flag and firing day
is written once, and each urgent e-mail a run raises goes out once. Both evaluate one patient at
a time under the patient's row lock (flagging.flags_evaluate); the alerts claim their days."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

import pytest
from django.core import mail

from diary.models import Flag, FlagNotice, FlagOccurrence
from tests.commands.concurrent_runs import assert_each_sent_once, postgresql_only, run_at_once
from tests.factories import TODAY, days_ago, make_clinician, make_entry, make_patient_injected

pytestmark = [postgresql_only, pytest.mark.django_db(transaction=True)]


def total(outputs, label) -> int:
    return sum(int(n) for output in outputs for n in re.findall(rf"{label}: (\d+)", output))


def one_row_each() -> None:
    """No patient has two open flags of a code, nor a flag two occurrences of a day."""
    open_flags = Counter(Flag.objects.filter(status="open").values_list("patient", "code"))
    assert max(open_flags.values(), default=1) == 1
    days = Counter(FlagOccurrence.objects.values_list("flag", "day"))
    assert max(days.values(), default=1) == 1


def test_two_missed_entry_checks_at_once_raise_each_flag_once(clinic, frozen_now, monkeypatch):
    silent = [
        make_patient_injected(f"s{n}@example.jp", clinic=clinic, injected_days_ago=3 + n)
        for n in range(4)
    ]
    logging = make_patient_injected("l@example.jp", clinic=clinic, injected_days_ago=3)
    for n in range(4):
        make_entry(logging, day=days_ago(n))

    outputs = run_at_once("check_missed_entries", runs=3, monkeypatch=monkeypatch)

    assert total(outputs, "'Not logging' flags raised") == len(silent)
    one_row_each()
    flags = Flag.objects.filter(code="missed_entries")
    assert sorted(flags.values_list("patient", flat=True)) == sorted(p.pk for p in silent)
    assert FlagOccurrence.objects.filter(flag__in=flags, day=TODAY).count() == len(silent)


def test_two_reevaluations_at_once_open_each_flag_and_alert_once(
    patient, other_patient, clinician, monkeypatch
):
    """Entries stored without their flags (an older version): both runs find the same urgent
    days; one opens them, and each clinician is e-mailed once per patient."""
    make_clinician("nurse@example.jp", clinic=patient.clinic)
    make_entry(patient, day=TODAY, temperature_c=Decimal("38.6"))
    make_entry(other_patient, day=TODAY, temperature_c=Decimal("38.6"), redness="spreading")
    assert not Flag.objects.exists()

    outputs = run_at_once("reevaluate_flags", runs=3, monkeypatch=monkeypatch)

    one_row_each()
    opened = Flag.objects.filter(status="open", severity="urgent").count()
    assert opened >= 2
    assert total(outputs, "Flags opened") == Flag.objects.count() == opened
    assert_each_sent_once()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        ["doctor@example.jp", "nurse@example.jp"] * 2
    )
    per_pair = Counter(FlagNotice.objects.values_list("occurrence", "address"))
    assert set(per_pair.values()) == {1}
    assert len(per_pair) == 2 * FlagOccurrence.objects.filter(severity="urgent").count()
