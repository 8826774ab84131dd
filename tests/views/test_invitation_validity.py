"""Every text that says how long an invitation link works follows INVITATION_VALID_DAYS, in
both languages, in the singular too."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import ngettext

from accounts.models import User
from accounts.services import invitation_create, invitation_send, patient_register
from tests.factories import FROZEN_NOW

pytestmark = pytest.mark.django_db

FORM = {"name": "Aiko", "email": "aiko@example.jp", "patient_number": "P-7", "language": "en"}


@pytest.fixture(autouse=True)
def three_days(settings):
    settings.INVITATION_VALID_DAYS = 3


@pytest.fixture(autouse=True)
def english(clinician):
    User.objects.filter(pk=clinician.pk).update(language="en")


def test_the_registration_page_says_three_days(clinician_client):
    content = clinician_client.get("/clinic/patients/new/").content.decode()
    assert "(valid 3 days)" in content
    assert "7 days" not in content


def test_the_invitation_page_and_email_say_three_days(clinician_client):
    content = clinician_client.post("/clinic/patients/new/", FORM, follow=True).content.decode()
    assert "The link is valid for 3 days" in content
    (message,) = mail.outbox
    assert "valid for 3 days" in message.body
    assert "7 days" not in message.body + content


def test_the_new_password_email_says_three_days(clinician_client, patient):
    User.objects.filter(pk=patient.pk).update(language="en")
    response = clinician_client.post(f"/clinic/patients/{patient.public_id}/invite/", follow=True)
    content = response.content
    assert b"It is valid for 3 days" in content
    assert "valid for 3 days" in mail.outbox[0].body


def test_a_link_of_three_days_expires_after_three_days(clinic, client, time_machine, frozen_now):
    aiko = patient_register(clinic=clinic, email="aiko@example.jp", name="Aiko")
    _invitation, token = invitation_create(user=aiko)
    time_machine.move_to(FROZEN_NOW + timedelta(days=3, minutes=1), tick=False)
    response = client.get(f"/accounts/invitation/{token}/", headers={"accept-language": "en"})
    assert response.status_code == 410
    assert "valid for 3 days" in response.content.decode()


def test_one_day_is_singular(settings, clinician_client):
    settings.INVITATION_VALID_DAYS = 1
    content = clinician_client.get("/clinic/patients/new/").content.decode()
    assert "(valid 1 day)" in content


def test_the_japanese_email_says_three_days(clinic, frozen_now):
    aiko = patient_register(clinic=clinic, email="aiko@example.jp", name="Aiko", language="ja")
    _invitation, token = invitation_create(user=aiko)
    invitation_send(user=aiko, token=token)
    body = mail.outbox[0].body
    assert "3日間" in body
    assert "7日間" not in body


GONE_ONE = (
    "Links from your clinic can be used once and are valid for %(days)s day. Please ask your "
    "clinic for a new link."
)
GONE_MANY = GONE_ONE.replace("day.", "days.")


def test_the_japanese_texts_have_their_plural_form():
    with translation.override("ja"):
        text = ngettext(GONE_ONE, GONE_MANY, 3) % {"days": 3}
    assert "3日間" in text
