"""An urgent flag nobody acknowledges is sent again: after the clinic's escalation time (30 min),
then at each interval, at most a set number of times, to every clinician and clinic
administrator and to the on-call address; every notice is recorded with the flag, and
`manage.py send_urgent_alerts` (cron, every 5 minutes) does it idempotently, with the clock
moved as cron would move it."""

from __future__ import annotations

import io
import smtplib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.utils import translation

from diary.escalation import escalation_due, escalations_send
from diary.flagging import flag_acknowledge
from diary.models import Flag, FlagNotice
from tests.factories import FROZEN_NOW, TODAY, days_ago, make_clinician, save_entry

pytestmark = pytest.mark.django_db

ON_CALL = "oncall-phone@example.jp"
NOTES = "Knee hot and swollen since lunch, took loxonin"


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every recipient."""

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({m.to[0]: (550, b"refused") for m in messages})


class RefusesOnCallBackend(BaseEmailBackend):
    """Refuses the on-call address only; the rest goes to the outbox."""

    def send_messages(self, messages):
        for message in messages:
            if ON_CALL in message.to:
                raise smtplib.SMTPRecipientsRefused({ON_CALL: (550, b"no such user")})
            mail.outbox.append(message)
        return len(messages)


@pytest.fixture
def colleague(clinic, frozen_now):
    return make_clinician("nurse@example.jp", clinic=clinic, name="Nurse Aoki", language="en")


@pytest.fixture
def team(clinic, clinician, colleague, clinic_admin):
    """Two clinicians and the administrator; the on-call phone's address; the doctor in English."""
    clinic.on_call_email = ON_CALL
    clinic.save(update_fields=["on_call_email"])
    clinician.language = "en"
    clinician.save(update_fields=["language"])
    return clinic


@pytest.fixture
def urgent_flag(team, patient, django_capture_on_commit_callbacks):
    """Hanako logs 38.4 °C at 10:00; the first alert goes to the clinicians at once."""
    with django_capture_on_commit_callbacks(execute=True):
        save_entry(patient, temperature_c=Decimal("38.4"), notes=NOTES)
    flag = Flag.objects.get(patient=patient)
    assert flag.severity == "urgent" and flag.urgent_at == FROZEN_NOW
    return flag


def at(time_machine, minutes: float):
    time_machine.move_to(FROZEN_NOW + timedelta(minutes=minutes), tick=False)


def cron() -> str:
    out = io.StringIO()
    call_command("send_urgent_alerts", stdout=out)
    return out.getvalue()


def escalation_recipients() -> list[str]:
    """Who got mail since the first alert (the tests clear the outbox after it)."""
    return sorted(m.to[0] for m in mail.outbox)


def notices(kind="escalation"):
    return list(
        FlagNotice.objects.filter(kind=kind)
        .order_by("number", "address", "pk")
        .values_list("number", "address", "delivered")
    )


EVERYONE = ["admin@example.jp", "doctor@example.jp", "nurse@example.jp", ON_CALL]


# The first alert is recorded too


def test_the_first_alert_is_recorded_with_the_flag(urgent_flag, clinician, colleague):
    assert sorted(m.to[0] for m in mail.outbox) == ["doctor@example.jp", "nurse@example.jp"]
    rows = list(
        FlagNotice.objects.order_by("address").values_list(
            "kind", "number", "recipient", "address", "sent_at", "delivered", "occurrence__day"
        )
    )
    assert rows == [
        ("first", 0, clinician.pk, "doctor@example.jp", FROZEN_NOW, True, TODAY),
        ("first", 0, colleague.pk, "nurse@example.jp", FROZEN_NOW, True, TODAY),
    ]


def test_a_refused_first_alert_is_recorded_as_refused_and_stays_pending(
    team, patient, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.services.test_escalation.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        save_entry(patient, temperature_c=Decimal("38.4"))
    assert notices("first") == [
        (0, "doctor@example.jp", False),
        (0, "nurse@example.jp", False),
    ]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert "e-mails sent: 2." in cron()
    assert [d for _, _, d in notices("first")].count(True) == 2


# The clock moves


def test_nothing_is_sent_again_before_the_escalation_time(urgent_flag, time_machine):
    mail.outbox.clear()
    for minutes in (5, 15, 29, 29.9):
        at(time_machine, minutes)
        assert "Repeated notices sent: 0." in cron()
    assert mail.outbox == []
    assert notices() == []


def test_at_30_minutes_everyone_and_the_on_call_address_get_a_second_notice(
    urgent_flag, time_machine, clinic_admin
):
    mail.outbox.clear()
    at(time_machine, 30)
    assert "Repeated notices sent: 4." in cron()
    assert escalation_recipients() == EVERYONE
    assert notices() == [(1, address, True) for address in EVERYONE]
    notice = FlagNotice.objects.get(kind="escalation", address="admin@example.jp")
    assert (notice.flag, notice.recipient, notice.sent_at) == (
        urgent_flag,
        clinic_admin,
        FROZEN_NOW + timedelta(minutes=30),
    )
    assert FlagNotice.objects.get(kind="escalation", address=ON_CALL).recipient is None


def test_running_twice_in_the_same_minute_sends_nothing_twice(urgent_flag, time_machine):
    mail.outbox.clear()
    at(time_machine, 30)
    cron()
    at(time_machine, 30.5)
    assert "Repeated notices sent: 0." in cron()
    assert escalations_send() == 0
    assert len(mail.outbox) == 4
    assert len(notices()) == 4


def test_again_at_each_interval_and_no_more_than_the_maximum(urgent_flag, time_machine):
    mail.outbox.clear()
    sent_by_minute = {}
    for minutes in range(0, 181, 5):  # cron every 5 minutes for three hours
        at(time_machine, minutes)
        cron()
        sent_by_minute[minutes] = len(mail.outbox)
    rounds = [m for m in sent_by_minute if sent_by_minute[m] != sent_by_minute.get(m - 5, 0)]
    assert rounds == [30, 60, 90]  # then it stops: three repeated notices at most
    assert len(mail.outbox) == 3 * 4
    assert sorted({number for number, _, _ in notices()}) == [1, 2, 3]


def test_it_stops_when_the_flag_is_acknowledged(urgent_flag, time_machine, clinician):
    mail.outbox.clear()
    at(time_machine, 30)
    cron()
    at(time_machine, 41)
    flag_acknowledge(flag=urgent_flag, by=clinician, action=Flag.Action.CALLED)
    for minutes in (60, 90, 120):
        at(time_machine, minutes)
        assert "Repeated notices sent: 0." in cron()
    assert len(mail.outbox) == 4


def test_a_refusing_mail_server_is_recorded_and_the_notice_is_sent_on_the_next_run(
    urgent_flag, time_machine, settings, caplog
):
    mail.outbox.clear()
    settings.EMAIL_BACKEND = "tests.services.test_escalation.RefusingBackend"
    at(time_machine, 30)
    assert "Repeated notices sent: 0." in cron()
    assert "Could not e-mail the repeated urgent notice" in caplog.text
    assert notices() == [(1, address, False) for address in EVERYONE]

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    at(time_machine, 35)
    assert "Repeated notices sent: 4." in cron()
    assert escalation_recipients() == EVERYONE
    assert sorted(notices()) == sorted(
        [(1, a, False) for a in EVERYONE] + [(1, a, True) for a in EVERYONE]
    )
    at(time_machine, 40)
    assert "Repeated notices sent: 0." in cron()  # done: sent once


def test_a_notice_that_reached_someone_is_done_even_if_one_address_refused(
    urgent_flag, time_machine, settings
):
    mail.outbox.clear()
    settings.EMAIL_BACKEND = "tests.services.test_escalation.RefusesOnCallBackend"
    at(time_machine, 30)
    assert "Repeated notices sent: 3." in cron()
    assert (1, ON_CALL, False) in notices()
    at(time_machine, 35)
    assert "Repeated notices sent: 0." in cron()


def test_after_cron_was_stopped_only_the_notice_due_now_is_sent(urgent_flag, time_machine):
    mail.outbox.clear()
    at(time_machine, 75)  # 10:00 → 11:15 without cron: notice 2 is due
    cron()
    assert notices() == [(2, address, True) for address in EVERYONE]
    at(time_machine, 80)
    assert "Repeated notices sent: 0." in cron()


def test_the_clinics_own_interval_and_maximum(urgent_flag, time_machine, team):
    team.escalation_minutes, team.escalation_max = 10, 1
    team.save(update_fields=["escalation_minutes", "escalation_max"])
    mail.outbox.clear()
    at(time_machine, 5)
    cron()
    assert mail.outbox == []
    at(time_machine, 10)
    cron()
    at(time_machine, 20)
    cron()
    assert [n for n, _, _ in notices()] == [1, 1, 1, 1]


def test_a_maximum_of_zero_sends_no_repeated_notice(urgent_flag, time_machine, team):
    team.escalation_max = 0
    team.save(update_fields=["escalation_max"])
    mail.outbox.clear()
    at(time_machine, 120)
    cron()
    assert mail.outbox == []


def test_the_wait_counts_from_when_the_flag_became_urgent(
    team, patient, time_machine, django_capture_on_commit_callbacks
):
    # Yesterday a caution (37.6 °C); today 38.4 °C joins the same open fever flag.
    save_entry(patient, day=days_ago(1), temperature_c=Decimal("37.6"))
    flag = Flag.objects.get(patient=patient)
    assert flag.severity == "caution" and flag.urgent_at is None
    at(time_machine, 60)
    with django_capture_on_commit_callbacks(execute=True):
        save_entry(patient, temperature_c=Decimal("38.4"))
    flag.refresh_from_db()
    assert flag.severity == "urgent" and flag.urgent_at == FROZEN_NOW + timedelta(minutes=60)
    mail.outbox.clear()
    at(time_machine, 80)
    cron()
    assert mail.outbox == []  # 20 minutes urgent, not 80
    at(time_machine, 90)
    cron()
    assert len(mail.outbox) == 4


def test_two_urgent_flags_of_one_patient_make_one_email_per_recipient(
    team, patient, time_machine, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        save_entry(patient, temperature_c=Decimal("38.4"), redness="spreading")
    assert Flag.objects.filter(patient=patient, severity="urgent").count() == 2
    mail.outbox.clear()
    at(time_machine, 30)
    assert "Repeated notices sent: 4." in cron()
    assert len(mail.outbox) == 4
    assert FlagNotice.objects.filter(kind="escalation").count() == 8  # one per flag and person


# What the notice says


def test_the_notice_says_how_long_it_waited_in_each_recipients_language(
    urgent_flag, time_machine, patient
):
    mail.outbox.clear()
    at(time_machine, 30)
    cron()
    by_address = {m.to[0]: m for m in mail.outbox}
    english, japanese = by_address["doctor@example.jp"], by_address["admin@example.jp"]
    assert english.subject == "Still not acknowledged after 30 min: an urgent warning sign (P-1)"
    assert "has not been acknowledged for 30 min" in english.body
    assert "repeated notice 1 of at most 3" in english.body
    assert f"http://testserver/clinic/patients/{patient.public_id}/" in english.body
    assert "Hanako Sato" in english.body
    assert "30分" in japanese.subject and "30分" in japanese.body
    assert "Still not" not in japanese.body
    with translation.override("ja"):
        assert translation.gettext("%(n)d min") % {"n": 30} == "30分"


def test_the_notice_holds_no_health_data_and_the_on_call_one_no_name(
    urgent_flag, time_machine, patient
):
    mail.outbox.clear()
    at(time_machine, 60)  # the second repeated notice
    cron()
    url = f"http://testserver/clinic/patients/{patient.public_id}/"
    for message in mail.outbox:
        text = (message.subject + message.body).replace(url, "").lower()
        for word in ("38.4", "fever", "temperature", "knee", "loxonin", "発熱", "熱", "膝"):
            assert word not in text, (message.to, word)
    (on_call,) = [m for m in mail.outbox if m.to == [ON_CALL]]
    assert "Hanako" not in on_call.subject + on_call.body
    assert "P-1" in on_call.body and url in on_call.body
    assert "1時間" in on_call.subject  # Japanese, the clinic's language; an hour has passed


# The rule on its own


@pytest.mark.parametrize(
    ("minutes", "due"),
    [(0, 0), (29, 0), (30, 1), (59, 1), (60, 2), (90, 3), (500, 3)],
)
def test_the_notice_due_after_so_many_minutes(minutes, due):
    assert escalation_due(FROZEN_NOW, FROZEN_NOW + timedelta(minutes=minutes),
                          minutes=30, maximum=3) == due  # fmt: skip


def test_no_notice_is_due_without_an_interval_or_a_maximum():
    later = FROZEN_NOW + timedelta(days=1)
    assert escalation_due(FROZEN_NOW, later, minutes=0, maximum=3) == 0
    assert escalation_due(FROZEN_NOW, later, minutes=30, maximum=0) == 0
