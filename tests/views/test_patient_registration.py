"""A clinician registers a patient, who receives a one-time link; and sends a new link later."""

import re

import pytest
from django.core import mail

from accounts.models import Invitation, User
from accounts.services import invitation_find
from tests.factories import TODAY, make_entry
from tests.views.html import field_error

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Aiko Tanaka",
    "email": "Aiko@Example.jp",
    "patient_number": "P-100",
    "birth_date": "1958-04-01",
    "language": "en",
}


@pytest.fixture(autouse=True)
def english(clinician):
    clinician.language = "en"
    clinician.save(update_fields=["language"])


def link_in(text: str) -> str:
    return re.search(r"http://testserver/accounts/invitation/[\w-]+/", text).group(0)


def test_it_registers_the_patient_in_the_clinicians_own_clinic(clinician_client, clinic):
    response = clinician_client.post("/clinic/patients/new/", FORM)
    aiko = User.objects.get(email="aiko@example.jp")
    assert response.status_code == 302
    assert response["Location"] == f"/clinic/patients/{aiko.public_id}/invited/"
    assert aiko.clinic == clinic
    assert aiko.role == User.Role.PATIENT
    assert aiko.patient_number == "P-100"
    assert aiko.language == "en"
    assert not aiko.has_usable_password()


def test_a_clinic_sent_with_the_form_is_ignored(clinician_client, clinic, other_clinic):
    clinician_client.post("/clinic/patients/new/", {**FORM, "clinic": other_clinic.pk})
    assert User.objects.get(email="aiko@example.jp").clinic == clinic
    assert not other_clinic.users.exists()


def test_it_emails_the_link_and_no_health_data(clinician_client):
    clinician_client.post("/clinic/patients/new/", {**FORM, "birth_date": "1958-04-01"})
    (message,) = mail.outbox
    assert message.to == ["aiko@example.jp"]
    link = link_in(message.body)
    assert invitation_find(link.rstrip("/").rsplit("/", 1)[-1]).user.email == "aiko@example.jp"
    for private in ("P-100", "1958"):
        assert private not in message.body


def test_it_shows_the_same_link_to_the_clinician(clinician_client):
    response = clinician_client.post("/clinic/patients/new/", FORM, follow=True)
    content = response.content.decode()
    assert "Invitation sent" in content
    assert link_in(content) == link_in(mail.outbox[0].body)
    aiko = User.objects.get(email="aiko@example.jp")
    assert f"/clinic/patients/{aiko.public_id}/" in content


def test_the_link_works_for_the_new_patient(clinician_client, client):
    clinician_client.post("/clinic/patients/new/", FORM)
    link = link_in(mail.outbox[0].body).replace("http://testserver", "")
    clinician_client.logout()
    response = client.get(link)
    assert response.status_code == 200
    assert b"aiko@example.jp" in response.content


def test_only_the_hash_of_the_link_is_stored(clinician_client):
    clinician_client.post("/clinic/patients/new/", FORM)
    token = link_in(mail.outbox[0].body).rstrip("/").rsplit("/", 1)[-1]
    invitation = Invitation.objects.get()
    assert invitation.token_hash != token
    assert len(invitation.token_hash) == 64


def test_an_email_already_registered_is_a_form_error(clinician_client, patient):
    response = clinician_client.post(
        "/clinic/patients/new/", {**FORM, "email": "HANAKO@example.jp"}
    )
    assert response.status_code == 200
    assert "cannot be used for a new patient" in field_error(response.content, "email")
    assert not mail.outbox
    assert User.objects.filter(email__iexact="hanako@example.jp").count() == 1


def test_a_patient_number_already_in_use_is_a_form_error(clinician_client, patient):
    response = clinician_client.post("/clinic/patients/new/", {**FORM, "patient_number": "P-1"})
    assert response.status_code == 200
    assert "already in use at your clinic" in field_error(response.content, "patient_number")
    assert not User.objects.filter(email="aiko@example.jp").exists()
    assert not mail.outbox


def test_a_patient_number_used_by_another_clinic_is_fine(other_clinician_client, patient):
    response = other_clinician_client.post(
        "/clinic/patients/new/", {**FORM, "patient_number": "P-1"}
    )
    assert response.status_code == 302
    assert User.objects.filter(patient_number="P-1").count() == 2


def test_missing_answers_are_form_errors_and_nothing_is_created(clinician_client):
    response = clinician_client.post("/clinic/patients/new/", {**FORM, "name": "", "email": ""})
    assert response.status_code == 200
    assert "required" in field_error(response.content, "name")
    assert "required" in field_error(response.content, "email")
    assert not User.objects.filter(role=User.Role.PATIENT).exists()


def test_a_new_invitation_replaces_the_old_link(clinician_client, clinic):
    clinician_client.post("/clinic/patients/new/", FORM)
    aiko = User.objects.get(email="aiko@example.jp")
    first = link_in(mail.outbox[0].body).replace("http://testserver", "")
    response = clinician_client.post(f"/clinic/patients/{aiko.public_id}/invite/", follow=True)
    assert response.status_code == 200
    second = link_in(mail.outbox[1].body).replace("http://testserver", "")
    assert first != second
    assert link_in(response.content.decode()).endswith(second)
    clinician_client.logout()
    assert clinician_client.get(first).status_code == 410
    assert clinician_client.get(second).status_code == 200


def test_a_new_invitation_must_be_posted(clinician_client, patient):
    response = clinician_client.get(f"/clinic/patients/{patient.public_id}/invite/")
    assert response.status_code == 405
    assert not mail.outbox


def test_another_clinic_cannot_send_an_invitation_to_our_patient(other_clinician_client, patient):
    response = other_clinician_client.post(f"/clinic/patients/{patient.public_id}/invite/")
    assert response.status_code == 404
    assert not mail.outbox
    assert not Invitation.objects.exists()


def test_the_invitation_email_carries_no_diary_content(clinician_client, patient):
    make_entry(patient, day=TODAY, notes="secret knee note")
    clinician_client.post(f"/clinic/patients/{patient.public_id}/invite/")
    (message,) = mail.outbox
    assert "secret knee note" not in message.body
    assert "/accounts/invitation/" in message.body
