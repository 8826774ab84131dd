"""flag_acknowledge: who, when, the action and a note; once only. And the flag selectors."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from diary.flagging import FlagNotOpen, flag_acknowledge
from diary.models import Flag
from diary.selectors import patient_flags
from tests.factories import FROZEN_NOW, days_ago, make_clinician, save_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def fever_flag(patient):
    save_entry(patient, temperature_c=Decimal("38.4"))
    return Flag.objects.get(patient=patient, code="fever")


def test_it_records_who_when_the_action_and_the_note(fever_flag, clinician, time_machine):
    time_machine.shift(timedelta(hours=2))
    returned = flag_acknowledge(
        flag=fever_flag, by=clinician, action="asked_to_come_in", note="Coming in at 14:00"
    )
    fever_flag.refresh_from_db()
    assert returned == fever_flag
    assert fever_flag.status == "acknowledged"
    assert fever_flag.acknowledged_by == clinician
    assert fever_flag.acknowledged_at == FROZEN_NOW + timedelta(hours=2)
    assert fever_flag.action == "asked_to_come_in"
    assert fever_flag.note == "Coming in at 14:00"


@pytest.mark.parametrize(
    "action", ["called", "asked_to_come_in", "referred_emergency", "no_action"]
)
def test_every_action_of_the_spec_is_accepted(fever_flag, clinician, action):
    flag_acknowledge(flag=fever_flag, by=clinician, action=action)
    fever_flag.refresh_from_db()
    assert (fever_flag.status, fever_flag.action, fever_flag.note) == ("acknowledged", action, "")


def test_an_unknown_action_is_refused_and_nothing_changes(fever_flag, clinician):
    with pytest.raises(ValueError, match="phoned"):
        flag_acknowledge(flag=fever_flag, by=clinician, action="phoned")
    fever_flag.refresh_from_db()
    assert (fever_flag.status, fever_flag.acknowledged_by, fever_flag.action) == ("open", None, "")


def test_a_flag_a_colleague_acknowledged_meanwhile_is_not_acknowledged_twice(
    fever_flag, clinician, clinic
):
    colleague = make_clinician("nurse@example.jp", clinic=clinic, name="Nurse Aoki")
    stale = Flag.objects.get(pk=fever_flag.pk)  # loaded before the colleague's click
    flag_acknowledge(flag=fever_flag, by=colleague, action="called", note="first")

    with pytest.raises(FlagNotOpen):
        flag_acknowledge(flag=stale, by=clinician, action="no_action", note="second")

    fever_flag.refresh_from_db()
    assert (fever_flag.acknowledged_by, fever_flag.action, fever_flag.note) == (
        colleague,
        "called",
        "first",
    )


def test_a_withdrawn_flag_cannot_be_acknowledged(fever_flag, patient, clinician):
    save_entry(patient, temperature_c=Decimal("36.6"))
    with pytest.raises(FlagNotOpen):
        flag_acknowledge(flag=fever_flag, by=clinician, action="called")
    fever_flag.refresh_from_db()
    assert (fever_flag.status, fever_flag.acknowledged_by) == ("withdrawn", None)


def test_the_database_refuses_an_acknowledgement_without_who_when_and_action(fever_flag):
    with pytest.raises(IntegrityError), transaction.atomic():
        Flag.objects.filter(pk=fever_flag.pk).update(status="acknowledged")


def test_the_clinic_sees_open_flags_first_then_most_severe_then_latest(patient, clinician):
    save_entry(patient, day=days_ago(2), temperature_c=Decimal("38.4"))  # fever, urgent
    save_entry(patient, day=days_ago(1), unwell=True)  # unwell, caution
    save_entry(patient, weight_bearing="cannot")  # cannot bear weight, caution
    fever = Flag.objects.get(patient=patient, code="fever")
    flag_acknowledge(flag=fever, by=clinician, action="called")

    assert [(f.code, f.status) for f in patient_flags(patient)] == [
        ("cannot_bear_weight", "open"),
        ("unwell", "open"),
        ("fever", "acknowledged"),
    ]
