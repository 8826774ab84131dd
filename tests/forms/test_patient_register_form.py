import pytest
from django.utils import translation

from accounts.forms import PatientRegisterForm
from accounts.models import User

pytestmark = pytest.mark.django_db


def data(**overrides):
    values = {
        "name": "Aiko Tanaka",
        "email": "aiko@example.jp",
        "patient_number": "P-9",
        "birth_date": "1958-04-01",
        "language": "ja",
    }
    values.update(overrides)
    return values


def test_a_new_patient_is_valid_and_belongs_to_the_clinicians_clinic(clinic):
    bound = PatientRegisterForm(data(), clinic=clinic)
    assert bound.is_valid(), bound.errors
    assert bound.instance.clinic == clinic
    assert bound.instance.role == User.Role.PATIENT


def test_the_clinic_is_not_a_field_of_the_form(clinic, other_clinic):
    bound = PatientRegisterForm(data(clinic=str(other_clinic.pk)), clinic=clinic)
    assert "clinic" not in bound.fields
    assert bound.is_valid(), bound.errors
    assert bound.instance.clinic == clinic


UNAVAILABLE = (
    "This e-mail address cannot be used for a new patient. Please check it with the patient, "
    "or use another address."
)


def test_an_email_already_in_use_is_refused_whatever_its_case(clinic, patient):
    bound = PatientRegisterForm(data(email="HANAKO@Example.jp"), clinic=clinic)
    assert not bound.is_valid()
    with translation.override("en"):
        assert bound.errors["email"] == [UNAVAILABLE]


def test_an_email_of_another_clinic_gets_the_same_message(clinic, other_clinic, other_clinician):
    """Nothing may tell Sakura Clinic that a person is a patient (or staff) elsewhere."""
    from tests.factories import make_patient

    make_patient("kenji@example.jp", clinic=other_clinic, patient_number="M-1")
    with translation.override("en"):
        for email in ("kenji@example.jp", "doctor@momiji.example.jp"):
            bound = PatientRegisterForm(data(email=email), clinic=clinic)
            assert not bound.is_valid()
            assert bound.errors["email"] == [UNAVAILABLE]
            assert "Momiji" not in str(bound.errors)


def test_a_patient_number_already_in_use_at_the_clinic_is_refused(clinic, patient):
    bound = PatientRegisterForm(data(patient_number=" P-1 "), clinic=clinic)
    assert not bound.is_valid()
    with translation.override("en"):
        assert bound.errors["patient_number"] == [
            "This patient number is already in use at your clinic."
        ]


def test_another_clinic_may_use_the_same_patient_number(other_clinic, patient):
    bound = PatientRegisterForm(data(patient_number="P-1"), clinic=other_clinic)
    assert bound.is_valid(), bound.errors


@pytest.mark.parametrize("field", ["name", "email", "patient_number"])
def test_name_email_and_patient_number_are_required(clinic, field):
    bound = PatientRegisterForm(data(**{field: ""}), clinic=clinic)
    assert bound.has_error(field, "required")
