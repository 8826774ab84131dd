"""A mail server that is down is not an error page: registering a patient, sending a new link
and asking for erasure save their work, say that the e-mail could not be sent, and show the
invitation link where staff need it (a patient who has no password yet)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client

from accounts.models import AccessLog, Invitation, User
from accounts.services import invitation_find, patient_register
from diary.models import ErasureRequest

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Aiko Tanaka",
    "email": "aiko@example.jp",
    "patient_number": "P-100",
    "birth_date": "1958-04-01",
    "language": "en",
}
COULD_NOT = "The e-mail could not be sent"
LINK = re.compile(r"http://testserver(/accounts/invitation/[\w-]+/)")


class MailServerDown(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


@pytest.fixture(autouse=True)
def mail_down(settings):
    settings.EMAIL_BACKEND = "tests.reliability.test_mail_outage.MailServerDown"


@pytest.fixture(autouse=True)
def english(clinician, patient):
    User.objects.filter(pk__in=[clinician.pk, patient.pk]).update(language="en")


def test_registering_a_patient_saves_and_shows_the_link(clinician_client, client):
    response = clinician_client.post("/clinic/patients/new/", FORM, follow=True)
    assert response.status_code == 200
    content = response.content.decode()
    assert COULD_NOT in content
    assert "Invitation sent" not in content
    aiko = User.objects.get(email="aiko@example.jp")
    assert Invitation.objects.filter(user=aiko).count() == 1
    # The link on the page works: the patient at the desk can open it.
    path = LINK.search(content).group(1)
    assert invitation_find(path.rstrip("/").rsplit("/", 1)[-1]).user == aiko
    assert 'src="data:image/svg+xml;base64,' in content  # and its QR code for the phone
    clinician_client.logout()
    assert client.get(path).status_code == 200


def test_a_new_invitation_for_a_patient_without_a_password_shows_the_link(clinician_client, clinic):
    aiko = patient_register(clinic=clinic, email="aiko@example.jp", name="Aiko", language="en")
    response = clinician_client.post(f"/clinic/patients/{aiko.public_id}/invite/", follow=True)
    assert response.status_code == 200
    content = response.content.decode()
    assert COULD_NOT in content
    assert LINK.search(content)
    assert AccessLog.objects.filter(action=AccessLog.Action.SEND_LINK, patient=aiko).exists()


def test_a_new_link_for_a_patient_with_a_password_is_still_not_shown(clinician_client, patient):
    response = clinician_client.post(f"/clinic/patients/{patient.public_id}/invite/", follow=True)
    assert response.status_code == 200
    content = response.content.decode()
    assert COULD_NOT in content
    assert "/accounts/invitation/" not in content
    assert "try again later" in content
    assert AccessLog.objects.filter(action=AccessLog.Action.SEND_LINK, patient=patient).exists()


def test_asking_for_erasure_is_saved_and_says_the_clinic_was_not_emailed(patient, clinic_admin):
    browser = Client()
    browser.force_login(patient)
    response = browser.post("/diary/my-data/erasure/", {"confirm": "yes"}, follow=True)
    assert response.status_code == 200
    assert ErasureRequest.objects.filter(
        patient=patient, status=ErasureRequest.Status.REQUESTED
    ).exists()
    content = response.content.decode()
    assert "could not be sent" in content
    assert "Your clinic will still see it in their list of requests" in content
    assert not mail.outbox


def test_with_mail_working_again_the_usual_pages_come_back(settings, clinician_client):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    content = clinician_client.post("/clinic/patients/new/", FORM, follow=True).content.decode()
    assert "Invitation sent" in content
    assert COULD_NOT not in content
    assert len(mail.outbox) == 1
