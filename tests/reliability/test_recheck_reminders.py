"""`manage.py send_recheck_reminders`: the morning after a caution, an e-mail asks the patient
to check again and log, saying what to look at, in their language; once, with the clock moved
(time-machine) through the day."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from diary.models import Reminder
from tests.factories import TODAY, TOKYO, days_ago, make_injection, make_patient, save_entry

pytestmark = pytest.mark.django_db
TOMORROW = TODAY + timedelta(days=1)
ENTRY_LINK = "http://testserver/diary/entry/"


def at(hour: int, minute: int = 0, *, day=TOMORROW) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TOKYO)


def send(time_machine, when: datetime) -> list:
    time_machine.move_to(when, tick=False)
    already = len(mail.outbox)
    out = StringIO()
    call_command("send_recheck_reminders", stdout=out)
    sent = mail.outbox[already:]
    assert out.getvalue().strip() == f"Re-check reminders sent: {len(sent)}."
    return sent


@pytest.fixture
def caution_today(patient):
    """Hanako (day 5 after a knee injection) logs 37.6 °C today: a caution (fever)."""
    patient.language = "en"
    patient.save(update_fields=["language"])
    save_entry(patient, TODAY, temperature_c=Decimal("37.6"), notes="膝が熱い secret")
    return patient


def test_the_next_morning_she_is_asked_to_check_again_and_told_what_to_measure(
    caution_today, time_machine
):
    (message,) = send(time_machine, at(8, 10))

    assert message.to == ["hanako@example.jp"]
    assert message.subject == "This morning: please check again and fill in the diary"
    assert message.body.startswith("Dear Hanako Sato,")
    assert "- Measure your temperature." in message.body
    assert "- Look at the joint: is it swollen, warm to the touch or red?" in message.body
    assert re.findall(r"https?://\S+", message.body) == [ENTRY_LINK]
    reminder = Reminder.objects.get(patient=caution_today, kind="recheck")
    assert reminder.day == TOMORROW


def test_not_bearing_weight_asks_about_the_leg(patient, time_machine):
    patient.language = "en"
    patient.save(update_fields=["language"])
    save_entry(patient, TODAY, weight_bearing="cannot")
    (message,) = send(time_machine, at(8, 10))
    assert "- Check whether you can put your weight on the leg." in message.body
    assert "temperature" not in message.body


def test_it_is_in_japanese_for_a_japanese_patient(caution_today, time_machine):
    caution_today.language = "ja"
    caution_today.save(update_fields=["language"])
    (message,) = send(time_machine, at(8, 10))
    assert "体温を測ってください。" in message.body
    assert "Dear" not in message.body and "Measure" not in message.body


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_e_mail_names_no_finding_no_value_and_no_joint(caution_today, time_machine, language):
    caution_today.language = language
    caution_today.save(update_fields=["language"])
    (message,) = send(time_machine, at(8, 10))
    text = message.subject + message.body
    for private in ("37.6", "secret", "膝", "knee", "Fever", "発熱", "hyaluronic", "ヒアルロン"):
        assert private not in text


def test_once_per_morning_and_only_from_eight_until_the_evening_hour(caution_today, time_machine):
    assert send(time_machine, at(7, 59)) == []
    assert len(send(time_machine, at(8, 0))) == 1
    assert send(time_machine, at(9, 5)) == []
    assert Reminder.objects.filter(kind="recheck").count() == 1


def test_nothing_in_the_evening_when_the_evening_reminder_takes_over(caution_today, time_machine):
    assert send(time_machine, at(19, 5)) == []  # the clinic's reminder hour is 19


def test_nothing_once_she_has_logged_this_morning(caution_today, time_machine):
    time_machine.move_to(at(7, 30), tick=False)
    save_entry(caution_today, TOMORROW)
    assert send(time_machine, at(8, 10)) == []


def test_nothing_the_same_day_or_two_days_later(caution_today, time_machine):
    assert send(time_machine, at(12, 0, day=TODAY)) == []
    assert send(time_machine, at(8, 10, day=TOMORROW + timedelta(days=1))) == []


def test_no_e_mail_after_a_day_without_a_caution(patient, time_machine):
    save_entry(patient, TODAY)
    assert send(time_machine, at(8, 10)) == []


def test_no_e_mail_after_an_urgent_finding(patient, time_machine):
    save_entry(patient, TODAY, temperature_c=Decimal("38.6"))  # urgent: the clinic calls
    assert send(time_machine, at(8, 10)) == []


def test_the_evening_reminder_is_sent_as_well_on_the_same_day(caution_today, time_machine):
    """The two kinds are counted apart: a morning re-check does not stop the evening one."""
    assert len(send(time_machine, at(8, 10))) == 1
    time_machine.move_to(at(19, 5), tick=False)
    call_command("send_reminders", stdout=StringIO())
    assert Reminder.objects.filter(patient=caution_today, day=TOMORROW).count() == 2


def test_no_e_mail_for_someone_who_cannot_sign_in(clinic, frozen_now, time_machine):
    invited = make_patient("invited@example.jp", clinic=clinic, password=None)
    make_injection(invited, day=days_ago(4))
    save_entry(invited, TODAY, temperature_c=Decimal("37.6"))
    assert send(time_machine, at(8, 10)) == []
