"""Reaching the patient (issue 19): phone numbers and the name in kana, asked at registration
and edited by the clinic on an access-logged page of their own."""

from __future__ import annotations

import html

import pytest
from django.utils import translation

from accounts.forms import PatientRegisterForm
from accounts.models import AccessLog, User
from tests.factories import make_patient
from tests.views.html import field_error

pytestmark = pytest.mark.django_db

REGISTER = {
    "name": "鈴木 花子",
    "name_kana": "すずき はなこ",
    "email": "hanako.suzuki@example.jp",
    "patient_number": "P-200",
    "birth_date": "1950-04-01",
    "phone": "０９０－１２３４－５６７８",
    "phone2": "03 1111 9999",
    "phone2_label": "長女",
    "language": "ja",
}
PHONE_MESSAGE = (
    "Enter the phone number with its area code in digits, e.g. 090-1234-5678. Hyphens, "
    "spaces, brackets and a + in front are fine."
)
KANA_MESSAGE = (
    "Enter the name in kana only (hiragana or katakana, e.g. すずき はなこ). It is saved in "
    "katakana."
)


@pytest.fixture
def english(clinician, clinic_admin):
    for user in (clinician, clinic_admin):
        user.language = "en"
        user.save(update_fields=["language"])


def contact_url(patient) -> str:
    return f"/clinic/patients/{patient.public_id}/contact/"


# --- Registration ---------------------------------------------------------------------------


def test_registration_stores_the_numbers_and_the_kana_normalised(clinician_client, clinic):
    response = clinician_client.post("/clinic/patients/new/", REGISTER)

    assert response.status_code == 302
    hanako = User.objects.get(email="hanako.suzuki@example.jp")
    assert hanako.name_kana == "スズキ\u3000ハナコ"
    assert hanako.phone == "090-1234-5678"
    assert (hanako.phone2, hanako.phone2_label) == ("03 1111 9999", "長女")
    assert hanako.search_key == "鈴木花子\nスズキハナコ"
    assert hanako.phone_search_key == "09012345678\n0311119999"


def test_the_contact_fields_may_be_left_empty(clinician_client):
    empty = dict.fromkeys(["name_kana", "phone", "phone2", "phone2_label"], "")
    clinician_client.post("/clinic/patients/new/", {**REGISTER, **empty})
    hanako = User.objects.get(email="hanako.suzuki@example.jp")
    assert (hanako.phone, hanako.name_kana, hanako.phone_search_key) == ("", "", "")


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("phone", "090-1234", PHONE_MESSAGE),
        ("phone", "tel 090 1234 5678", PHONE_MESSAGE),
        ("phone2", "1234", PHONE_MESSAGE),
        ("name_kana", "鈴木 花子", KANA_MESSAGE),
        ("name_kana", "Suzuki", KANA_MESSAGE),
    ],
)
def test_bad_contact_input_gets_a_message_and_registers_nobody(
    clinician_client, english, field, typed, message
):
    response = clinician_client.post("/clinic/patients/new/", {**REGISTER, field: typed})

    assert response.status_code == 200
    assert field_error(response.content, field) == message
    assert not User.objects.filter(email="hanako.suzuki@example.jp").exists()


def test_a_second_number_needs_to_say_whose_it_is_and_a_label_needs_a_number(clinic):
    with translation.override("en"):
        bound = PatientRegisterForm({**REGISTER, "phone2_label": ""}, clinic=clinic)
        assert not bound.is_valid()
        assert bound.errors["phone2_label"] == ["Say whose number this is, e.g. daughter."]
        bound = PatientRegisterForm({**REGISTER, "phone2": ""}, clinic=clinic)
        assert not bound.is_valid()
        assert bound.errors["phone2"] == [
            "Enter the second number, or leave “whose is the second number” empty."
        ]


def test_the_japanese_page_says_it_in_japanese(clinician_client):
    response = clinician_client.post("/clinic/patients/new/", {**REGISTER, "phone": "0901"})
    error = field_error(response.content, "phone")
    assert "市外局番" in error and "Enter" not in error


def test_the_registration_form_asks_for_them_with_phone_keyboards(clinician_client):
    content = clinician_client.get("/clinic/patients/new/").content.decode()
    for name in ("name_kana", "phone", "phone2", "phone2_label"):
        assert f'name="{name}"' in content
    assert 'type="tel" name="phone"' in content


# --- The clinic's page to edit them ---------------------------------------------------------


def test_the_clinician_edits_the_contact_details_and_the_search_keys_follow(
    clinician_client, patient
):
    response = clinician_client.post(
        contact_url(patient),
        {"name_kana": "ｻﾄｳ ﾊﾅｺ", "phone": "080ー9999ー0000", "phone2": "", "phone2_label": ""},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/clinic/patients/{patient.public_id}/"
    patient.refresh_from_db()
    assert (patient.name_kana, patient.phone) == ("サトウ\u3000ハナコ", "080-9999-0000")
    assert patient.search_key == "hanakosato\nサトウハナコ"
    assert patient.phone_search_key == "08099990000"
    assert patient.email == "hanako@example.jp"  # nothing else changed


def test_each_opening_and_saving_is_access_logged(clinician_client, clinician, patient):
    clinician_client.get(contact_url(patient))
    clinician_client.post(contact_url(patient), {"phone": "03-1111-0000"})
    rows = AccessLog.objects.filter(patient=patient, action="contact_form")
    assert [(row.user, row.path) for row in rows] == [(clinician, contact_url(patient))] * 2


def test_bad_input_on_the_edit_page_gets_a_message_and_changes_nothing(
    clinician_client, english, patient
):
    patient.phone = "03-1111-0000"
    patient.save(update_fields=["phone"])

    response = clinician_client.post(
        contact_url(patient), {"phone": "03-1111", "name_kana": "すずき"}
    )

    assert response.status_code == 200
    assert field_error(response.content, "phone") == PHONE_MESSAGE
    patient.refresh_from_db()
    assert (patient.phone, patient.name_kana) == ("03-1111-0000", "")


def test_the_clinic_admin_may_edit_them_too(clinic_admin_client, patient):
    assert clinic_admin_client.get(contact_url(patient)).status_code == 200


def test_a_clinician_of_another_clinic_gets_404_and_changes_nothing(
    other_clinician_client, patient
):
    assert other_clinician_client.get(contact_url(patient)).status_code == 404
    response = other_clinician_client.post(contact_url(patient), {"phone": "090-0000-0000"})
    assert response.status_code == 404
    patient.refresh_from_db()
    assert patient.phone == ""
    assert not AccessLog.objects.filter(patient=patient).exists()


def test_a_patient_gets_404_even_for_their_own(patient_client, patient):
    assert patient_client.get(contact_url(patient)).status_code == 404
    assert patient_client.post(contact_url(patient), {"phone": "090-0000-0000"}).status_code == 404


def test_an_erased_patient_has_no_contact_details_to_edit(clinician_client, english, clinic):
    gone = make_patient("gone@example.jp", clinic=clinic, is_active=False)
    response = clinician_client.post(contact_url(gone), {"phone": "090-0000-0000"}, follow=True)
    assert "This patient's data was erased" in html.unescape(response.content.decode())
    gone.refresh_from_db()
    assert gone.phone == ""


def test_the_patient_page_shows_the_numbers_as_tel_links_and_the_kana(clinician_client, patient):
    patient.name_kana, patient.phone = "サトウ\u3000ハナコ", "090-1234-5678"
    patient.phone2, patient.phone2_label = "+81 3-1111-2222", "長男"
    patient.save()

    content = clinician_client.get(f"/clinic/patients/{patient.public_id}/").content.decode()

    assert 'href="tel:09012345678"' in content
    assert 'href="tel:+81311112222"' in content
    assert "長男" in content
    assert "サトウ\u3000ハナコ" in content
    assert f'href="{contact_url(patient)}"' in content
