import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from diary.models import Injection
from tests.factories import TODAY, make_injection

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_number_beyond_the_course_length(patient):
    with (
        pytest.raises(IntegrityError, match="injection_number_within_course"),
        transaction.atomic(),
    ):
        make_injection(patient, day=TODAY, course_number=3, course_total=2)
    assert patient.injections.count() == 1  # only the fixture's injection


def test_the_last_injection_of_a_course_is_fine(patient):
    injection = make_injection(patient, day=TODAY, course_number=5, course_total=5)
    assert injection.pk is not None


def test_a_course_number_without_a_course_length_is_fine(patient):
    injection = make_injection(patient, day=TODAY, course_number=4, course_total=None)
    assert injection.pk is not None


def test_clean_explains_the_course_number_next_to_the_field(patient, clinician):
    injection = Injection(
        patient=patient,
        created_by=clinician,
        day=TODAY,
        joint="knee",
        side="left",
        agent="prp",
        course_number=3,
        course_total=2,
    )
    with pytest.raises(ValidationError) as caught:
        injection.full_clean()
    assert list(caught.value.message_dict) == ["course_number"]


def test_latest_injection_comes_first(patient):
    later = make_injection(patient, day=TODAY)
    assert list(patient.injections.all())[0] == later
