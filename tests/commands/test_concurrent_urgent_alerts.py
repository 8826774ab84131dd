"""`manage.py send_urgent_alerts` on two servers at the same moment: every first alert the mail
server had refused, and every repeated notice of an unacknowledged urgent flag, is e-mailed once
and recorded once (diary/alerts.py and diary/escalation.py claim before they send)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db.models import Count

from diary.models import FlagNotice, FlagOccurrence
from tests.commands.concurrent_runs import (
    assert_each_sent_once,
    postgresql_only,
    run_at_once,
    run_command,
    tasks_at_once,
)
from tests.factories import FROZEN_NOW, make_clinician, save_entry

pytestmark = [postgresql_only, pytest.mark.django_db(transaction=True)]
ON_CALL = "oncall-phone@example.jp"


@pytest.fixture
def urgent(patient, other_patient, clinician, clinic, clinic_admin):
    """Hanako (one urgent flag) and Ichiro (two); two clinicians, the administrator and the
    on-call phone. The saves e-mailed the first alerts at once (autocommit in these tests)."""
    make_clinician("nurse@example.jp", clinic=clinic)
    clinic.on_call_email = ON_CALL
    clinic.save(update_fields=["on_call_email"])
    save_entry(patient, temperature_c=Decimal("38.6"))
    save_entry(other_patient, temperature_c=Decimal("38.6"), redness="spreading")
    return clinic


def outputs_total(outputs, label) -> int:
    """The sum over every run's output of the number after `label`."""
    return sum(int(n) for output in outputs for n in re.findall(rf"{label}: (\d+)", output))


def test_first_alerts_the_mail_server_refused_go_out_once(urgent, monkeypatch):
    # The mail server was down: nothing was recorded as alerted.
    FlagNotice.objects.all().delete()
    FlagOccurrence.objects.update(notified_at=None)
    mail.outbox.clear()

    outputs = run_at_once("send_urgent_alerts", runs=3, monkeypatch=monkeypatch)

    assert_each_sent_once()
    clinicians = ["doctor@example.jp", "nurse@example.jp"]
    # One e-mail per patient per clinician, whichever run sent it.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(clinicians * 2)
    assert outputs_total(outputs, "e-mails sent") == 4
    # Each firing day × clinician recorded once, and every day marked as alerted.
    per_pair = Counter(FlagNotice.objects.filter(kind="first").values_list("occurrence", "address"))
    assert set(per_pair.values()) == {1}
    assert len(per_pair) == FlagOccurrence.objects.count() * len(clinicians) == 6
    assert not FlagOccurrence.objects.filter(notified_at__isnull=True).exists()


def test_repeated_notices_of_unacknowledged_flags_go_out_once(urgent, time_machine, monkeypatch):
    time_machine.move_to(FROZEN_NOW + timedelta(minutes=30), tick=False)
    mail.outbox.clear()

    outputs = run_at_once("send_urgent_alerts", runs=3, monkeypatch=monkeypatch)

    assert_each_sent_once()
    everyone = ["admin@example.jp", "doctor@example.jp", "nurse@example.jp", ON_CALL]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(everyone * 2)  # two patients
    assert outputs_total(outputs, "Repeated notices sent") == 8
    notices = FlagNotice.objects.filter(kind="escalation")
    assert not notices.values("flag", "number", "address").annotate(n=Count("id")).filter(n__gt=1)
    assert notices.count() == 3 * len(everyone)  # notice 1 of each of the three flags
    assert set(notices.values_list("number", "delivered")) == {(1, True)}

    # The next interval: notice 2, once again.
    time_machine.move_to(FROZEN_NOW + timedelta(minutes=60), tick=False)
    mail.outbox.clear()
    run_at_once("send_urgent_alerts", monkeypatch=monkeypatch)
    assert_each_sent_once()
    assert len(mail.outbox) == 2 * len(everyone)
    assert notices.filter(number=2).count() == 3 * len(everyone)


def test_cron_running_while_a_save_raises_an_urgent_day_alerts_it_once(
    patient, clinician, clinic, monkeypatch
):
    """The save's after-commit alert and cron race for the new day: one of them sends it."""
    make_clinician("nurse@example.jp", clinic=clinic)

    def cron_often():
        return [run_command("send_urgent_alerts") for _ in range(10)]

    tasks_at_once(
        [lambda: save_entry(patient, temperature_c=Decimal("38.6")), cron_often],
        monkeypatch=monkeypatch,
    )

    assert_each_sent_once()
    assert sorted(m.to[0] for m in mail.outbox) == ["doctor@example.jp", "nurse@example.jp"]
    (day,) = FlagOccurrence.objects.filter(severity="urgent")
    assert sorted(day.notices.values_list("address", flat=True)) == [
        "doctor@example.jp",
        "nurse@example.jp",
    ]
