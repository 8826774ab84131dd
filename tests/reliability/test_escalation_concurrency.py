"""Two runs of `send_urgent_alerts` at the same moment (cron overlapping a slow run) send each
repeated notice once; a clinician acknowledging at that moment is not blocked into a deadlock.

Real threads with their own connections: PostgreSQL only, as in test_concurrency.py (SQLite's
in-memory test database fails a concurrent writer at once instead of waiting).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection

from diary.escalation import escalations_send
from diary.flagging import flag_acknowledge
from diary.models import Flag, FlagNotice
from tests.factories import FROZEN_NOW, make_clinician, save_entry
from tests.reliability.test_concurrency import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite's in-memory test database fails a concurrent writer instead of waiting",
    ),
]


@pytest.fixture
def waiting(patient, other_patient, clinician, clinic, time_machine):
    """Two patients' urgent flags, 30 minutes unacknowledged; two clinicians to tell."""
    make_clinician("nurse@example.jp", clinic=clinic)
    save_entry(patient, temperature_c=Decimal("38.6"))
    save_entry(other_patient, temperature_c=Decimal("38.6"), redness="spreading")
    time_machine.move_to(FROZEN_NOW + timedelta(minutes=30), tick=False)
    mail.outbox.clear()


def test_two_runs_at_once_send_each_notice_once(waiting, monkeypatch):
    results, errors = run_together(
        {"a": escalations_send, "b": escalations_send, "c": escalations_send},
        meet_after_lookup=False,
        monkeypatch=monkeypatch,
    )
    assert errors == []
    assert sum(results.values()) == 4  # two patients × two clinicians, once
    assert len(mail.outbox) == 4
    # Hanako's flag, Ichiro's two: one notice each per clinician.
    assert FlagNotice.objects.filter(kind="escalation").count() == 6


def test_acknowledging_while_notices_are_claimed_does_not_deadlock(waiting, clinician, patient,
                                                                    monkeypatch):  # fmt: skip
    flag = Flag.objects.get(patient=patient, status="open")
    results, errors = run_together(
        {
            "cron": escalations_send,
            "doctor": lambda: flag_acknowledge(flag=flag, by=clinician, action="called"),
        },
        meet_after_lookup=False,
        monkeypatch=monkeypatch,
    )
    assert errors == []
    flag.refresh_from_db()
    assert flag.status == "acknowledged"
