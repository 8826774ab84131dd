"""`manage.py send_reminders`: an evening e-mail, in the patient's language, to patients in an
injection course who have not filled in today's diary; once a day, a link and nothing else."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command

from diary.models import Reminder
from tests.factories import (
    TODAY,
    TOKYO,
    days_ago,
    make_clinic,
    make_clinician,
    make_entry,
    make_goal,
    make_patient_injected,
)

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
ENTRY_LINK = "http://testserver/diary/entry/"
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def at(hour: int, minute: int = 0, *, zone=TOKYO, day=TODAY) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def send(time_machine, when: datetime) -> list:
    """Run the command at `when`; the e-mails it sent."""
    time_machine.move_to(when, tick=False)
    already = len(mail.outbox)
    out = StringIO()
    call_command("send_reminders", stdout=out)
    sent = mail.outbox[already:]
    assert out.getvalue().strip() == f"Reminders sent: {len(sent)}."
    return sent


@pytest.fixture
def day3(clinic, frozen_now):
    """Jiro, 3 days after his injection, with yesterday's diary filled in and today's not."""
    jiro = make_patient_injected(
        "jiro@example.jp", clinic=clinic, injected_days_ago=3, name="Jiro Tanaka"
    )
    make_entry(jiro, day=days_ago(1), temperature_c=Decimal("38.2"), notes="膝が熱い secret")
    return jiro


def test_an_english_speaking_patient_gets_one_english_e_mail_with_only_the_link(day3, time_machine):
    day3.language = "en"
    day3.save(update_fields=["language"])

    (message,) = send(time_machine, at(19, 5))

    assert message.to == ["jiro@example.jp"]
    assert message.subject == "A reminder: today's diary"
    assert message.body.startswith("Dear Jiro Tanaka,")
    assert "call your clinic" in message.body
    assert re.findall(r"https?://\S+", message.body) == [ENTRY_LINK]
    assert Reminder.objects.get(patient=day3).day == TODAY


def test_a_japanese_speaking_patient_gets_it_in_japanese(day3, time_machine):
    (message,) = send(time_machine, at(19, 5))

    assert JAPANESE.search(message.subject), message.subject
    assert JAPANESE.search(message.body), message.body
    assert "Dear" not in message.body
    assert "A reminder" not in message.subject
    assert "Jiro Tanaka" in message.body
    assert re.findall(r"https?://\S+", message.body) == [ENTRY_LINK]


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_e_mail_carries_no_health_data(day3, time_machine, language):
    day3.language = language
    day3.save(update_fields=["language"])
    (message,) = send(time_machine, at(19, 5))
    text = message.subject + message.body
    for health_data in ("38.2", "膝", "secret", "knee", "hyaluronic", "ヒアルロン", "day 3", "3日"):
        assert health_data not in text


def test_running_again_the_same_evening_sends_nothing(day3, time_machine):
    assert len(send(time_machine, at(19, 5))) == 1
    assert send(time_machine, at(19, 5)) == []
    assert send(time_machine, at(22, 30)) == []
    assert Reminder.objects.filter(patient=day3).count() == 1


def test_the_next_evening_brings_the_next_reminder(day3, time_machine):
    assert len(send(time_machine, at(19, 5))) == 1
    assert len(send(time_machine, at(19, 5, day=TODAY + timedelta(days=1)))) == 1
    assert Reminder.objects.filter(patient=day3).count() == 2


def test_nothing_is_sent_before_the_clinics_hour(day3, time_machine):
    assert send(time_machine, at(18, 59)) == []
    assert send(time_machine, at(0, 30)) == []
    assert not Reminder.objects.exists()
    assert len(send(time_machine, at(19, 0))) == 1


def test_nothing_is_sent_when_today_is_filled_in(day3, time_machine):
    make_entry(day3, day=TODAY)
    assert send(time_machine, at(19, 5)) == []
    assert not Reminder.objects.exists()


def test_nothing_is_sent_after_the_course(clinic, frozen_now, time_machine):
    make_patient_injected("past@example.jp", clinic=clinic, injected_days_ago=40)
    assert send(time_machine, at(19, 5)) == []


def test_a_goal_to_be_reviewed_later_keeps_the_course_going(clinic, frozen_now, time_machine):
    patient = make_patient_injected("review@example.jp", clinic=clinic, injected_days_ago=40)
    make_goal(patient, injection=patient.injections.get(), review_date=TODAY + timedelta(days=7))

    (message,) = send(time_machine, at(19, 5))
    assert message.to == ["review@example.jp"]


def test_a_goal_reviewed_in_the_past_does_not(clinic, frozen_now, time_machine):
    patient = make_patient_injected("reviewed@example.jp", clinic=clinic, injected_days_ago=40)
    make_goal(patient, injection=patient.injections.get(), review_date=days_ago(1))
    assert send(time_machine, at(19, 5)) == []


def test_no_reminder_for_a_patient_who_cannot_sign_in(clinic, frozen_now, time_machine):
    make_patient_injected("invited@example.jp", clinic=clinic, injected_days_ago=3, password=None)
    make_patient_injected("left@example.jp", clinic=clinic, injected_days_ago=3, is_active=False)
    assert send(time_machine, at(19, 5)) == []
    assert not Reminder.objects.exists()


def test_no_reminder_for_clinic_staff(clinic, frozen_now, time_machine):
    clinician = make_clinician("doctor@example.jp", clinic=clinic)
    clinician.injections.create(day=days_ago(3), joint="knee", side="left", agent="prp")
    assert send(time_machine, at(19, 5)) == []


def test_each_clinic_reminds_at_its_own_hour_in_its_own_time_zone(day3, time_machine):
    london = make_clinic("Thames Clinic", time_zone="Europe/London", reminder_hour=21)
    alice = make_patient_injected(
        "alice@example.co.uk", clinic=london, injected_days_ago=3, language="en"
    )

    # 19:05 in Tokyo is 10:05 in London: only the Tokyo patient.
    assert [m.to for m in send(time_machine, at(19, 5))] == [["jiro@example.jp"]]
    # 20:59 in London (05:59 the next morning in Tokyo): nobody.
    assert send(time_machine, at(20, 59, zone=LONDON)) == []
    # 21:05 in London, still 26 November there: Alice.
    assert [m.to for m in send(time_machine, at(21, 5, zone=LONDON))] == [[alice.email]]
    assert Reminder.objects.get(patient=alice).day == TODAY
