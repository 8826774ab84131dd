"""`injection_save` stores the pain the clinician recorded before the injection (NRS 0–10,
optional) and refuses anything off the scale without writing (issue 15)."""

import pytest
from django.core.exceptions import ValidationError

from diary.models import Injection
from diary.services import injection_save
from tests.factories import TODAY, days_ago, make_injection

pytestmark = pytest.mark.django_db

VALUES = {
    "day": TODAY,
    "joint": "knee",
    "side": "left",
    "agent": "hyaluronic_acid",
    "course_number": 1,
    "course_total": 3,
}


@pytest.mark.parametrize("pain", [0, 6, 10, None])
def test_it_stores_the_pain_before_the_injection(patient, clinician, pain):
    injection = injection_save(
        patient=patient, values={**VALUES, "baseline_pain": pain}, recorded_by=clinician
    )
    injection.refresh_from_db()
    assert injection.baseline_pain == pain


@pytest.mark.parametrize("pain", [-1, 11, "abc"])
def test_a_pain_off_the_scale_is_refused_and_nothing_is_written(patient, clinician, pain):
    with pytest.raises(ValidationError) as caught:
        injection_save(
            patient=patient, values={**VALUES, "baseline_pain": pain}, recorded_by=clinician
        )
    assert "baseline_pain" in caught.value.message_dict
    assert not Injection.objects.filter(day=TODAY).exists()


def test_a_correction_that_leaves_it_out_keeps_it(patient, clinician):
    injection = make_injection(patient, day=days_ago(2), baseline_pain=7)
    injection_save(
        patient=patient,
        values={**VALUES, "day": days_ago(2), "notes": "corrected"},
        recorded_by=clinician,
        injection=injection,
    )
    injection.refresh_from_db()
    assert (injection.baseline_pain, injection.notes) == (7, "corrected")


def test_a_correction_off_the_scale_changes_nothing(patient, clinician):
    injection = make_injection(patient, day=days_ago(2), baseline_pain=7, notes="original")
    with pytest.raises(ValidationError):
        injection_save(
            patient=patient,
            values={**VALUES, "day": days_ago(2), "baseline_pain": 11, "notes": "changed"},
            recorded_by=clinician,
            injection=injection,
        )
    injection.refresh_from_db()
    assert (injection.baseline_pain, injection.notes) == (7, "original")
