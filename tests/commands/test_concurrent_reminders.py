"""The evening reminders and the morning re-check e-mails on two servers at the same moment:
each patient gets each once and one Reminder row records it (diary/reminders.py claims the row
before it sends; the second claim fails on the unique constraint)."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core import mail

from diary.models import Reminder
from tests.commands.concurrent_runs import assert_each_sent_once, postgresql_only, run_at_once
from tests.factories import TODAY, TOKYO, days_ago, make_entry, make_patient_injected, save_entry

pytestmark = [postgresql_only, pytest.mark.django_db(transaction=True)]


def sent_total(outputs) -> int:
    return sum(int(n) for output in outputs for n in re.findall(r"sent: (\d+)", output))


def test_two_evening_runs_at_once_remind_each_patient_once(
    clinic, frozen_now, time_machine, monkeypatch
):
    patients = [
        make_patient_injected(f"p{n}@example.jp", clinic=clinic, injected_days_ago=n)
        for n in range(1, 5)
    ]
    make_entry(patients[0], day=TODAY)  # filled in today: no reminder
    time_machine.move_to(datetime.combine(TODAY, time(20, 30), tzinfo=TOKYO), tick=False)

    outputs = run_at_once("send_reminders", runs=3, monkeypatch=monkeypatch)

    assert_each_sent_once()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in patients[1:])
    assert sent_total(outputs) == 3
    rows = Reminder.objects.filter(kind="evening", day=TODAY)
    assert sorted(rows.values_list("patient", flat=True)) == sorted(p.pk for p in patients[1:])


def test_two_morning_runs_at_once_send_each_recheck_once(
    patient, other_patient, time_machine, monkeypatch
):
    make_entry(other_patient, day=days_ago(1))
    save_entry(patient, TODAY, temperature_c=Decimal("37.6"))  # a caution: re-check tomorrow
    second = make_patient_injected("jiro@example.jp", clinic=patient.clinic, injected_days_ago=3)
    save_entry(second, TODAY, unwell=True)
    tomorrow = TODAY + timedelta(days=1)
    time_machine.move_to(datetime.combine(tomorrow, time(8, 10), tzinfo=TOKYO), tick=False)
    mail.outbox.clear()

    outputs = run_at_once("send_recheck_reminders", runs=3, monkeypatch=monkeypatch)

    assert_each_sent_once()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([patient.email, second.email])
    assert sent_total(outputs) == 2
    rows = Reminder.objects.filter(kind="recheck", day=tomorrow)
    assert sorted(rows.values_list("patient", flat=True)) == sorted([patient.pk, second.pk])
