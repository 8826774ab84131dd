"""Registering a patient and the one-time invitation link behind it."""

import hashlib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from accounts.models import Invitation, User
from accounts.services import (
    InvitationUsed,
    invitation_accept,
    invitation_create,
    invitation_find,
    invitation_send,
    invitation_url,
    patient_register,
)
from tests.factories import FROZEN_NOW, TODAY, make_entry

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Knee-Diary-2026!"


@pytest.fixture
def invited(clinic, frozen_now):
    return patient_register(clinic=clinic, email=" Aiko@Example.JP ", name="Aiko Tanaka")


def test_a_registered_patient_belongs_to_the_clinic_and_has_no_password_yet(invited, clinic):
    assert invited.role == User.Role.PATIENT
    assert invited.clinic == clinic
    assert invited.email == "aiko@example.jp"
    assert not invited.has_usable_password()


def test_registering_an_email_twice_is_refused(invited, clinic):
    with pytest.raises(ValidationError) as caught:
        patient_register(clinic=clinic, email="aiko@example.jp", name="Someone Else")
    assert "email" in caught.value.message_dict
    assert User.objects.filter(email="aiko@example.jp").count() == 1


def test_only_the_sha256_of_the_token_is_stored(invited):
    invitation, token = invitation_create(user=invited)
    assert len(token) >= 40
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = Invitation.objects.values_list("token_hash", flat=True)
    assert token not in list(stored)
    assert all(token not in str(value) for value in Invitation.objects.values().get().values())


def test_an_invitation_is_valid_for_seven_days(invited, clinician):
    invitation, _token = invitation_create(user=invited, created_by=clinician)
    assert invitation.created_at == FROZEN_NOW
    assert invitation.expires_at == FROZEN_NOW + timedelta(days=7)
    assert invitation.created_by == clinician


def test_the_token_finds_its_invitation(invited):
    invitation, token = invitation_create(user=invited)
    assert invitation_find(token) == invitation
    assert invitation_find(token).user == invited


def test_an_unknown_token_finds_nothing(invited):
    invitation_create(user=invited)
    assert invitation_find("not-a-token") is None


def test_an_invitation_just_before_expiry_still_works(invited, time_machine):
    _invitation, token = invitation_create(user=invited)
    time_machine.move_to(FROZEN_NOW + timedelta(days=7, seconds=-1), tick=False)
    assert invitation_find(token) is not None


def test_an_invitation_older_than_seven_days_no_longer_works(invited, time_machine):
    _invitation, token = invitation_create(user=invited)
    time_machine.move_to(FROZEN_NOW + timedelta(days=7), tick=False)
    assert invitation_find(token) is None


def test_a_newer_invitation_makes_the_older_one_stop_working(invited):
    _first, old_token = invitation_create(user=invited)
    _second, new_token = invitation_create(user=invited)
    assert invitation_find(old_token) is None
    assert invitation_find(new_token) is not None


def test_a_new_invitation_for_another_patient_leaves_the_first_alone(invited, clinic):
    _first, token = invitation_create(user=invited)
    other = patient_register(clinic=clinic, email="ken@example.jp", name="Ken")
    invitation_create(user=other)
    assert invitation_find(token) is not None


def test_accepting_sets_the_password_and_spends_the_link(invited):
    invitation, token = invitation_create(user=invited)
    user = invitation_accept(invitation=invitation, password=NEW_PASSWORD)
    assert user == invited
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    invitation.refresh_from_db()
    assert invitation.used_at == FROZEN_NOW
    assert invitation_find(token) is None


def test_a_link_cannot_be_accepted_twice(invited):
    invitation, _token = invitation_create(user=invited)
    invitation_accept(invitation=invitation, password=NEW_PASSWORD)
    with pytest.raises(InvitationUsed):
        invitation_accept(invitation=invitation, password="Another-Pass-2026!")
    invited.refresh_from_db()
    assert invited.check_password(NEW_PASSWORD)


def test_a_link_that_expired_while_the_form_was_open_is_refused(invited, time_machine):
    invitation, token = invitation_create(user=invited)
    found = invitation_find(token)
    time_machine.move_to(FROZEN_NOW + timedelta(days=8), tick=False)
    with pytest.raises(InvitationUsed):
        invitation_accept(invitation=found, password=NEW_PASSWORD)
    invited.refresh_from_db()
    assert not invited.has_usable_password()


def test_the_email_holds_the_link_and_no_health_data(patient, clinician):
    patient.language = "en"
    make_entry(patient, day=TODAY, pain=8, notes="my knee is hot and red")
    _invitation, token = invitation_create(user=patient, created_by=clinician)
    invitation_send(user=patient, token=token)
    (message,) = mail.outbox
    assert message.to == ["hanako@example.jp"]
    assert invitation_url(token) in message.body
    assert invitation_url(token).startswith("http://testserver/accounts/invitation/")
    assert "Sakura Clinic" in message.body
    assert "7 days" in message.body
    assert message.subject == "Your injection diary: choose a password"
    for health_data in ("knee", "Knee", "hot and red", "hyaluronic", "Hyaluronic", "P-1"):
        assert health_data not in message.subject + message.body.replace(token, "")


def test_the_email_is_written_in_the_patients_language(patient):
    _invitation, token = invitation_create(user=patient)
    invitation_send(user=patient, token=token)
    patient.language = "en"
    invitation_send(user=patient, token=token)
    japanese, english = mail.outbox
    assert english.subject == "Your injection diary: choose a password"
    assert japanese.subject != english.subject
    assert invitation_url(token) in japanese.body
