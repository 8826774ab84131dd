from datetime import date

import pytest
from django.contrib.auth import authenticate
from django.db import IntegrityError, transaction

from accounts.models import User
from tests.factories import PASSWORD, make_patient, make_user

pytestmark = pytest.mark.django_db


def test_a_patient_number_is_unique_within_one_clinic(clinic):
    make_patient("a@example.jp", clinic=clinic, patient_number="P-7")
    with (
        pytest.raises(IntegrityError, match="user_unique_patient_number_per_clinic|UNIQUE"),
        transaction.atomic(),
    ):
        make_patient("b@example.jp", clinic=clinic, patient_number="P-7")
    assert User.objects.filter(patient_number="P-7").count() == 1


def test_two_clinics_may_use_the_same_patient_number(clinic, other_clinic):
    make_patient("a@example.jp", clinic=clinic, patient_number="P-7")
    make_patient("b@example.jp", clinic=other_clinic, patient_number="P-7")
    assert User.objects.filter(patient_number="P-7").count() == 2


def test_many_patients_of_one_clinic_may_have_no_number_yet(clinic):
    make_patient("a@example.jp", clinic=clinic, patient_number="")
    make_patient("b@example.jp", clinic=clinic, patient_number="")
    assert User.objects.filter(clinic=clinic, patient_number="").count() == 2


@pytest.mark.parametrize("role", [User.Role.PATIENT, User.Role.CLINICIAN])
def test_patients_and_clinicians_must_belong_to_a_clinic(role):
    with (
        pytest.raises(IntegrityError, match="user_patients_and_clinicians_belong_to_a_clinic"),
        transaction.atomic(),
    ):
        make_user("nobody@example.jp", clinic=None, role=role)


def test_a_clinic_administrator_may_exist_without_a_clinic():
    admin = make_user("root@example.jp", clinic=None, role=User.Role.CLINIC_ADMIN)
    assert admin.clinic is None
    assert not admin.is_clinic_staff


def test_the_email_is_stored_in_lower_case_and_matched_case_insensitively(clinic):
    make_patient("Hanako.Sato@Example.JP", clinic=clinic)
    assert User.objects.filter(email="hanako.sato@example.jp").exists()
    user = authenticate(username="HANAKO.SATO@example.jp", password=PASSWORD)
    assert user is not None
    assert user.email == "hanako.sato@example.jp"


def test_the_public_id_is_random_not_the_row_number(clinic):
    first = make_patient("a@example.jp", clinic=clinic)
    second = make_patient("b@example.jp", clinic=clinic)
    assert first.public_id != second.public_id
    assert str(first.pk) not in str(first.public_id).split("-")


@pytest.mark.parametrize(
    ("day", "age"),
    [(date(2026, 3, 31), 69), (date(2026, 4, 1), 70), (date(2026, 11, 26), 70)],
)
def test_age_counts_completed_years(clinic, day, age):
    patient = make_patient("a@example.jp", clinic=clinic, birth_date=date(1956, 4, 1))
    assert patient.age_on(day) == age


def test_age_is_unknown_without_a_birth_date(clinic):
    assert make_patient("a@example.jp", clinic=clinic).age_on(date(2026, 1, 1)) is None


def test_roles_say_who_looks_after_patients(patient, clinician, clinic_admin):
    assert patient.is_patient and not patient.is_clinic_staff
    assert clinician.is_clinic_staff and not clinician.is_patient
    assert clinic_admin.is_clinic_staff
