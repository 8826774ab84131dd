"""A clinician or the clinic's administrator signs a patient out on every browser (a lost or
shared phone): POST only, written to the access log, 404 for anyone else's patient."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import AccessLog, User, UserSession
from tests.factories import PASSWORD, make_patient

pytestmark = pytest.mark.django_db


def url(patient) -> str:
    return f"/clinic/patients/{patient.public_id}/sign-out/"


@pytest.fixture
def phones(patient):
    """Hanako signed in on two browsers."""
    browsers = []
    for agent in ("iPhone", "Android"):
        client = Client(headers={"user-agent": agent})
        client.post(
            "/accounts/login/", {"username": patient.email, "password": PASSWORD, "remember": "on"}
        )
        assert client.get("/diary/").status_code == 200
        browsers.append(client)
    return browsers


@pytest.mark.parametrize("staff", ["clinician", "clinic_admin"])
def test_staff_of_her_clinic_sign_her_out_everywhere(request, client, patient, phones, staff):
    user = request.getfixturevalue(staff)
    User.objects.filter(pk=user.pk).update(language="en")
    client.force_login(user)
    response = client.post(url(patient), follow=True)
    assert response.redirect_chain == [(f"/clinic/patients/{patient.public_id}/", 302)]
    assert "Hanako Sato was signed out on 2 browsers." in response.content.decode()
    for phone in phones:
        assert phone.get("/diary/")["Location"].startswith("/accounts/login/")
    assert not UserSession.objects.filter(user=patient).exists()
    row = AccessLog.objects.get(action=AccessLog.Action.SIGN_OUT)
    assert (row.user, row.patient, row.clinic) == (user, patient, patient.clinic)
    patient.refresh_from_db()
    assert patient.check_password(PASSWORD)  # the password stays


def test_a_patient_signed_in_nowhere_is_said_so(clinician_client, patient):
    response = clinician_client.post(url(patient), follow=True)
    assert response.status_code == 200
    assert AccessLog.objects.filter(action=AccessLog.Action.SIGN_OUT).count() == 1


def test_a_clinician_of_another_clinic_gets_404(other_clinician_client, patient, phones):
    assert other_clinician_client.post(url(patient)).status_code == 404
    assert all(phone.get("/diary/").status_code == 200 for phone in phones)
    assert not AccessLog.objects.filter(action=AccessLog.Action.SIGN_OUT).exists()


def test_a_patient_of_another_clinic_gets_404(client, other_clinic, patient, phones):
    stranger = make_patient("kenta@momiji.example.jp", clinic=other_clinic, patient_number="M-1")
    client.force_login(stranger)
    assert client.post(url(patient)).status_code == 404
    assert all(phone.get("/diary/").status_code == 200 for phone in phones)


def test_the_patient_herself_gets_404(patient, phones):
    assert phones[0].post(url(patient)).status_code == 404
    assert phones[1].get("/diary/").status_code == 200


def test_get_does_nothing(clinician_client, patient, phones):
    assert clinician_client.get(url(patient)).status_code == 405
    assert all(phone.get("/diary/").status_code == 200 for phone in phones)


def test_the_patient_page_has_the_button(clinician_client, patient):
    content = clinician_client.get(f"/clinic/patients/{patient.public_id}/").content.decode()
    assert f'action="{url(patient)}"' in content
