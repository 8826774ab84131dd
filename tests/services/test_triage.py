"""The dashboard's stored triage (`PatientTriage`) agrees with the patient's flags and diary
after every kind of write that changes them: the stored row is compared with what the database
computes afresh from the flags and entries (`tests.triage_oracle`)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps
from django.core.management import call_command

from accounts.models import User
from diary.flagging import flag_acknowledge
from diary.models import Flag, PatientTriage
from diary.privacy import patient_erase
from diary.synthetic import synthetic_clinic
from diary.triage import GROUP_CAUTION, GROUP_NOT_LOGGING, GROUP_URGENT
from tests.factories import TODAY, days_ago, save_entry
from tests.triage_oracle import stale, stored

pytestmark = pytest.mark.django_db


def test_a_patient_who_never_logged_and_has_no_flag_needs_no_row(patient):
    assert stored(patient) == (None, None, None, False)
    assert stale() == []


def test_each_save_stores_the_latest_activity(patient, time_machine):
    save_entry(patient, day=days_ago(1))
    first = stored(patient)[2]
    time_machine.shift(timedelta(minutes=5))
    save_entry(patient, day=days_ago(2))  # an older day, saved later: the activity is later
    assert stored(patient)[2] == first + timedelta(minutes=5)
    assert stale() == []


def test_a_fever_makes_the_patient_urgent_and_its_correction_undoes_it(patient):
    save_entry(patient, day=days_ago(1), temperature_c=Decimal("38.6"))
    assert stored(patient)[:2] == (GROUP_URGENT, days_ago(1))
    save_entry(patient, day=days_ago(1), temperature_c=Decimal("36.6"))  # a typing error
    assert stored(patient)[:2] == (None, None)
    assert stale() == []


def urgent_and_caution(patient) -> None:
    """Pain not easing (caution) two days ago, and a fever (urgent) yesterday."""
    save_entry(patient, day=days_ago(4), pain=2)
    save_entry(patient, day=days_ago(2), pain=5)
    save_entry(patient, day=days_ago(1), pain=5, temperature_c=Decimal("38.6"))


def test_acknowledging_the_urgent_flag_leaves_the_caution_one(patient, clinician):
    urgent_and_caution(patient)
    assert stored(patient)[:2] == (GROUP_URGENT, days_ago(1))
    urgent = Flag.objects.get(patient=patient, severity="urgent", status="open")
    flag_acknowledge(flag=urgent, by=clinician, action="called")
    assert stored(patient)[:2] == (GROUP_CAUTION, None)
    assert stale() == []


def test_the_morning_check_for_missed_entries_is_stored(patient):
    call_command("check_missed_entries", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert stored(patient)[0] == GROUP_NOT_LOGGING
    save_entry(patient)  # logging again withdraws it
    assert stored(patient)[0] is None
    assert stale() == []


def test_a_threshold_change_is_stored_by_reevaluate_flags(patient, clinic):
    save_entry(patient, temperature_c=Decimal("37.3"))
    assert stored(patient)[0] is None
    clinic.fever_caution_c = Decimal("37.2")
    clinic.save()
    call_command("reevaluate_flags", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert stored(patient)[0] == GROUP_CAUTION
    assert stale() == []


def test_deleting_a_patients_data_clears_the_row(patient, clinician):
    save_entry(patient, temperature_c=Decimal("38.6"))
    patient_erase(patient=patient, by=clinician, mode="delete", reason="asked by the patient")
    assert stored(patient) == (None, None, None, True)  # and out of the triage (erased)
    assert stale() == []


def test_a_synthetic_clinic_is_stored_as_a_whole(frozen_now):
    clinic = synthetic_clinic(patients=30, days=20, today=TODAY)
    patients = User.objects.filter(clinic=clinic)
    assert PatientTriage.objects.filter(patient__in=patients).count() == 30
    assert PatientTriage.objects.filter(patient__in=patients, flag_group=GROUP_URGENT).exists()
    assert stale() == []


def test_the_check_itself_sees_a_row_left_behind(patient):
    save_entry(patient, temperature_c=Decimal("38.6"))
    PatientTriage.objects.filter(patient=patient).update(flag_group=None)
    assert [pk for pk, _stored, _live in stale()] == [patient.pk]


def test_the_migration_fills_the_rows_of_an_existing_clinic(patient, other_patient, clinician):
    urgent_and_caution(patient)
    save_entry(other_patient)
    flag_acknowledge(
        flag=Flag.objects.get(patient=patient, severity="caution"), by=clinician, action="called"
    )
    expected = {p.pk: stored(p) for p in (patient, other_patient)}
    PatientTriage.objects.all().delete()

    migration = import_module("diary.migrations.0009_patient_triage")
    migration.fill(apps, schema_editor=None)

    assert {p.pk: stored(p) for p in (patient, other_patient)} == expected
    assert stale() == []
