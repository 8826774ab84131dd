from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError

from diary.models import Injection
from diary.services import injection_save
from tests.factories import TODAY, days_ago, make_injection

pytestmark = pytest.mark.django_db

VALUES = {
    "day": TODAY,
    "time": time(9, 30),
    "joint": "hip",
    "side": "right",
    "agent": "prp",
    "course_number": 2,
    "course_total": 3,
    "given_by": "Dr. Yamada",
    "notes": "ultrasound guided",
}


def test_it_records_a_new_injection_with_who_recorded_it(patient, clinician):
    injection = injection_save(patient=patient, values=VALUES, recorded_by=clinician)
    injection.refresh_from_db()
    assert injection.patient == patient
    assert injection.created_by == clinician
    assert (injection.joint, injection.side, injection.agent) == ("hip", "right", "prp")
    assert (injection.course_number, injection.course_total) == (2, 3)
    assert patient.injections.count() == 2


def test_it_corrects_an_existing_injection_in_place(patient, clinician):
    injection = make_injection(patient, day=days_ago(2), created_by=clinician)
    saved = injection_save(
        patient=patient,
        values={**VALUES, "day": days_ago(3)},
        recorded_by=clinician,
        injection=injection,
    )
    assert saved.pk == injection.pk
    injection.refresh_from_db()
    assert injection.day == days_ago(3)
    assert injection.agent == "prp"
    assert patient.injections.count() == 2


def test_an_injection_whose_recorder_is_gone_can_still_be_corrected(patient, clinician):
    """`recorded by` becomes empty when that account is removed; the record stays editable."""
    injection = make_injection(patient, day=days_ago(2), created_by=None)
    injection_save(
        patient=patient,
        values={**VALUES, "notes": "corrected"},
        recorded_by=clinician,
        injection=injection,
    )
    injection.refresh_from_db()
    assert injection.notes == "corrected"
    assert injection.created_by is None


def test_it_refuses_to_move_an_injection_to_another_patient(patient, other_patient, clinician):
    injection = make_injection(patient, day=days_ago(2), notes="original")
    with pytest.raises(ValueError):
        injection_save(
            patient=other_patient, values=VALUES, recorded_by=clinician, injection=injection
        )
    injection.refresh_from_db()
    assert (injection.patient, injection.notes) == (patient, "original")


def test_a_number_beyond_the_course_length_is_refused_and_nothing_is_saved(patient, clinician):
    with pytest.raises(ValidationError) as caught:
        injection_save(
            patient=patient,
            values={**VALUES, "course_number": 4, "course_total": 3},
            recorded_by=clinician,
        )
    assert "course_number" in caught.value.message_dict
    assert not Injection.objects.filter(agent="prp").exists()


def test_an_unknown_joint_is_refused(patient, clinician):
    with pytest.raises(ValidationError):
        injection_save(patient=patient, values={**VALUES, "joint": "elbow"}, recorded_by=clinician)
    assert patient.injections.count() == 1


def test_the_day_number_counts_from_the_new_injection(patient, clinician):
    from diary.selectors import patient_status

    assert patient_status(patient).day_number == 5
    injection_save(
        patient=patient, values={**VALUES, "day": TODAY - timedelta(days=1)}, recorded_by=clinician
    )
    assert patient_status(patient).day_number == 1
