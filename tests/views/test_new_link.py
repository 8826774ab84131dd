"""A clinician sends a new sign-in link for an existing patient account ("send a new
invitation"). No silent takeover: a patient who has a password gets the link by e-mail only,
never on the clinician's screen; every such link is in the access log and e-mailed to the
patient; using it signs out the patient's other sessions; diary saves in the session it opens
are marked in the edit history; erased accounts get no link at all."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from accounts.models import AccessLog, Invitation, User
from accounts.services import (
    AccountInactive,
    InvitationUsed,
    invitation_accept,
    invitation_create,
    invitation_find,
    patient_register,
)
from diary.models import DiaryEntry, DiaryEntryVersion
from tests.factories import PASSWORD, TODAY, days_ago, entry_form_data

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Knee-Diary-New-2026!"
LINK = re.compile(r"/accounts/invitation/[\w-]+/")


@pytest.fixture(autouse=True)
def english(clinician, patient):
    User.objects.filter(pk__in=[clinician.pk, patient.pk]).update(language="en")
    clinician.refresh_from_db()
    patient.refresh_from_db()


@pytest.fixture
def never_signed_in(clinic, frozen_now):
    """Registered at the desk, has not chosen a password yet."""
    return patient_register(
        clinic=clinic, email="aiko@example.jp", name="Aiko Tanaka", language="en"
    )


def send_link(client, patient):
    """Send a new link and follow the redirect to the page that says what was sent."""
    return client.post(f"/clinic/patients/{patient.public_id}/invite/", follow=True)


def link_in(text: str) -> str | None:
    found = LINK.search(text)
    return found.group(0) if found else None


def choose_password(client, link, password=NEW_PASSWORD):
    return client.post(link, {"new_password1": password, "new_password2": password})


# --- a patient who has a password -----------------------------------------------------------------


def test_the_link_for_an_account_with_a_password_is_not_shown_to_staff(clinician_client, patient):
    response = send_link(clinician_client, patient)
    assert response.status_code == 200
    content = response.content.decode()
    assert link_in(content) is None
    assert "/accounts/invitation/" not in content
    assert "not shown here" in content
    (message,) = mail.outbox
    assert message.to == [patient.email]
    assert link_in(message.body) is not None


def test_the_patient_is_told_by_email_and_whom_to_call(clinician_client, patient):
    send_link(clinician_client, patient)
    (message,) = mail.outbox
    assert message.subject == "Your injection diary: a link to choose a new password"
    assert "Your current password keeps working" in message.body
    assert "If you did not ask for this" in message.body
    assert "03-1111-2222" in message.body  # the clinic's number
    assert "7 days" in message.body


def test_the_patients_password_keeps_working_until_the_link_is_used(clinician_client, patient):
    send_link(clinician_client, patient)
    patient.refresh_from_db()
    assert patient.check_password(PASSWORD)


def test_the_link_page_asks_for_a_new_password(clinician_client, patient):
    send_link(clinician_client, patient)
    link = link_in(mail.outbox[0].body)
    response = Client().get(link, headers={"accept-language": "en"})
    content = response.content.decode()
    assert "Choose a new password" in content
    assert "signed out on your other devices" in content


def test_using_the_link_signs_out_the_patients_other_sessions(clinician_client, patient):
    phone = Client()
    phone.force_login(patient)
    assert phone.get("/diary/").status_code == 200
    send_link(clinician_client, patient)
    desk = Client()
    assert choose_password(desk, link_in(mail.outbox[0].body)).status_code == 302
    assert desk.get("/diary/").status_code == 200
    response = phone.get("/diary/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    patient.refresh_from_db()
    assert patient.check_password(NEW_PASSWORD)
    assert not patient.check_password(PASSWORD)


# --- a patient who never chose a password ---------------------------------------------------------


def test_the_link_for_a_patient_without_a_password_is_shown_for_the_desk(
    clinician_client, never_signed_in
):
    response = send_link(clinician_client, never_signed_in)
    shown = link_in(response.content.decode())
    assert shown is not None
    assert shown == link_in(mail.outbox[0].body)
    assert mail.outbox[0].to == ["aiko@example.jp"]
    assert mail.outbox[0].subject == "Your injection diary: choose a password"


# --- the access log -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["patient", "never_signed_in"])
def test_every_new_link_is_in_the_access_log(request, clinician_client, clinician, who):
    account = request.getfixturevalue(who)
    send_link(clinician_client, account)
    (row,) = AccessLog.objects.filter(action=AccessLog.Action.SEND_LINK)
    assert row.user == clinician
    assert row.patient == account
    assert row.clinic == clinician.clinic
    assert row.path == f"/clinic/patients/{account.public_id}/invite/"


def test_the_invitation_records_who_sent_it_and_why(clinician_client, clinician, patient):
    send_link(clinician_client, patient)
    invitation = Invitation.objects.get(user=patient)
    assert invitation.created_by == clinician
    assert invitation.purpose == Invitation.Purpose.NEW_LINK


def test_the_registration_invitation_is_not_a_new_link(clinician_client):
    clinician_client.post(
        "/clinic/patients/new/",
        {"name": "Aiko", "email": "aiko@example.jp", "patient_number": "P-7", "language": "en"},
    )
    assert Invitation.objects.get().purpose == Invitation.Purpose.REGISTRATION
    assert not AccessLog.objects.filter(action=AccessLog.Action.SEND_LINK).exists()


# --- marked in the edit history -------------------------------------------------------------------


@pytest.fixture
def link_session(clinician_client, patient):
    """The patient (or whoever holds the link) signed in through a new link."""
    send_link(clinician_client, patient)
    browser = Client()
    choose_password(browser, link_in(mail.outbox[0].body))
    return browser


def save_entry(client, day=TODAY, **answers):
    return client.post(f"/diary/entry/{day}/", entry_form_data(day=day, **answers))


def test_an_entry_saved_in_a_link_session_is_marked(link_session, patient):
    assert save_entry(link_session)["Location"].endswith("/saved/")
    entry = DiaryEntry.objects.get(patient=patient, day=TODAY)
    assert entry.created_via_clinic_link


def test_an_edit_saved_in_a_link_session_is_marked(link_session, patient):
    patient.refresh_from_db()  # the new password: a session from before it has ended
    ordinary = Client()
    ordinary.force_login(patient)
    assert save_entry(ordinary, pain="3")["Location"].endswith("/saved/")
    assert save_entry(link_session, pain="6")["Location"].endswith("/saved/")
    (version,) = DiaryEntryVersion.objects.filter(entry__patient=patient)
    assert version.via_clinic_link
    assert version.changed_fields == ["pain"]
    assert not DiaryEntry.objects.get(patient=patient, day=TODAY).created_via_clinic_link


def test_saves_in_an_ordinary_session_are_not_marked(patient, link_session):
    ordinary = Client()
    ordinary.post("/accounts/login/", {"username": patient.email, "password": NEW_PASSWORD})
    assert save_entry(ordinary, day=days_ago(1), pain="3")["Location"].endswith("/saved/")
    assert save_entry(ordinary, day=days_ago(1), pain="5")["Location"].endswith("/saved/")
    assert not DiaryEntry.objects.get(day=days_ago(1)).created_via_clinic_link
    assert not DiaryEntryVersion.objects.get().via_clinic_link


def test_the_clinician_sees_the_mark_in_the_history(link_session, patient, clinician_client):
    assert save_entry(link_session, day=days_ago(1), pain="3")["Location"].endswith("/saved/")
    assert save_entry(link_session, day=days_ago(1), pain="5")["Location"].endswith("/saved/")
    content = clinician_client.get(f"/clinic/patients/{patient.public_id}/").content.decode()
    assert "saved in a session opened by a link from the clinic" in content
    assert "in a session opened by a link from the clinic" in content


def test_a_first_invitation_session_is_not_marked(clinic, frozen_now):
    aiko = patient_register(clinic=clinic, email="aiko@example.jp", name="Aiko")
    _invitation, token = invitation_create(user=aiko)
    browser = Client()
    choose_password(browser, f"/accounts/invitation/{token}/")
    assert save_entry(browser)["Location"].endswith("/saved/")
    assert not DiaryEntry.objects.get(patient=aiko).created_via_clinic_link


# --- erased and switched-off accounts -------------------------------------------------------------


@pytest.fixture
def erased(patient):
    User.objects.filter(pk=patient.pk).update(is_active=False)
    patient.refresh_from_db()
    return patient


def test_no_link_is_sent_for_an_erased_account(clinician_client, erased):
    response = clinician_client.post(f"/clinic/patients/{erased.public_id}/invite/")
    assert response.status_code == 302
    assert response["Location"] == f"/clinic/patients/{erased.public_id}/"
    assert not Invitation.objects.exists()
    assert not mail.outbox
    assert not AccessLog.objects.filter(action=AccessLog.Action.SEND_LINK).exists()
    page = clinician_client.get(response["Location"]).content.decode()
    assert "no link was sent" in page


def test_the_service_refuses_an_inactive_account(erased):
    with pytest.raises(AccountInactive):
        invitation_create(user=erased)


def test_a_link_made_before_the_account_was_switched_off_stops_working(patient, client):
    invitation, token = invitation_create(user=patient)
    User.objects.filter(pk=patient.pk).update(is_active=False)
    assert invitation_find(token) is None
    assert client.get(f"/accounts/invitation/{token}/").status_code == 410
    with pytest.raises(InvitationUsed):
        invitation_accept(invitation=invitation, password=NEW_PASSWORD)
    patient.refresh_from_db()
    assert patient.check_password(PASSWORD)


def test_the_patient_page_offers_no_link_for_an_erased_account(clinician_client, erased):
    content = clinician_client.get(f"/clinic/patients/{erased.public_id}/").content.decode()
    assert f"/clinic/patients/{erased.public_id}/invite/" not in content


def test_the_patient_page_offers_the_right_kind_of_link(clinician_client, patient, never_signed_in):
    with_password = clinician_client.get(f"/clinic/patients/{patient.public_id}/")
    assert b"E-mail a link to choose a new password" in with_password.content
    without = clinician_client.get(f"/clinic/patients/{never_signed_in.public_id}/")
    assert b"Send a new invitation" in without.content
