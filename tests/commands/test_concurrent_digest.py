"""`manage.py send_flag_digest` on two servers at the same moment: each clinician gets the
caution digest once, and each flag is marked as digested once (diary/alerts.py claims the flags
before it sends). A digest the mail server refused is sent by the next run (every database)."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command

from diary.models import Flag
from tests.commands.concurrent_runs import assert_each_sent_once, postgresql_only, run_at_once
from tests.factories import (
    FROZEN_NOW,
    make_clinician,
    make_injection,
    make_patient_injected,
    save_entry,
)


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


@pytest.fixture
def cautions(patient, other_patient, clinic, other_clinic, clinician, other_clinician):
    """Sakura Clinic (two clinicians): Hanako and Ichiro with open caution flags; Momiji Clinic:
    Yuki."""
    make_clinician("nurse@example.jp", clinic=clinic)
    make_injection(other_patient, day=FROZEN_NOW.date())
    yuki = make_patient_injected("yuki@example.jp", clinic=other_clinic, injected_days_ago=4)
    save_entry(patient, temperature_c=Decimal("37.6"))
    save_entry(other_patient, unwell=True)
    save_entry(yuki, unwell=True)
    assert Flag.objects.filter(severity="caution", status="open").count() == 3
    mail.outbox.clear()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_digest_once(cautions, monkeypatch):
    outputs = run_at_once("send_flag_digest", runs=3, monkeypatch=monkeypatch)

    assert_each_sent_once()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "doctor@example.jp",
        "doctor@momiji.example.jp",
        "nurse@example.jp",
    ]
    assert sorted(outputs) == [
        "Digest e-mails sent: 0.",
        "Digest e-mails sent: 0.",
        "Digest e-mails sent: 3.",
    ]
    assert not Flag.objects.filter(severity="caution", digested_at__isnull=True).exists()


def digest() -> str:
    out = StringIO()
    call_command("send_flag_digest", stdout=out)
    return out.getvalue().strip()


@pytest.mark.django_db
def test_a_digest_the_mail_server_refused_is_sent_by_the_next_run(cautions, settings):
    settings.EMAIL_BACKEND = "tests.commands.test_concurrent_digest.RefusingBackend"
    assert digest() == "Digest e-mails sent: 0."
    assert Flag.objects.filter(severity="caution", digested_at__isnull=True).count() == 3

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert digest() == "Digest e-mails sent: 3."
    assert digest() == "Digest e-mails sent: 0."
    assert len(mail.outbox) == 3
