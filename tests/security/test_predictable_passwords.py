"""Passwords that guessing tools try first are refused, however long (issue 16): one character
or piece repeated, a sequence, or a common word with digits or such a pattern beside it."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from accounts.models import User
from accounts.services import invitation_create, patient_register
from accounts.validators import PatternPasswordValidator, is_pattern
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

MESSAGE_EN = "This password is too easy to guess"
MESSAGE_JA = "推測されやすいパスワードです"

PREDICTABLE = [
    "aaaaaaaaaaaaa",  # one character
    "password1234567",  # a common word and a sequence
    "1234567890123",  # digits along the keyboard row, then again
    "abcdefghijklmn",  # the alphabet
    "zyxwvutsrqponm",  # backwards
    "qwertyuiop123",  # a keyboard row
    "abcabcabcabcabc",  # one piece repeated
    "passwordpassword",
    "iloveyou2026",  # a common word and a year
    "2026iloveyou!!!",  # digits before it, a repeated character after it
    "PASSWORD1234567",  # in any case
    "ああああああああああああああ",
]
FINE = [
    PASSWORD,
    "Knee-Diary-2026!",
    "sakura-no-hana-2026",
    "kyouhaiitenkidesu",
    "correct horse battery",
    "ひざのちゅうしゃにっき",
]


@pytest.mark.parametrize("password", PREDICTABLE)
def test_a_predictable_password_is_refused(password):
    with pytest.raises(ValidationError) as refused:
        PatternPasswordValidator().validate(password)
    assert refused.value.code == "password_predictable"


@pytest.mark.parametrize("password", FINE)
def test_an_ordinary_password_passes(password):
    PatternPasswordValidator().validate(password)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("abc", True), ("ab", False), ("aaa111bbb", True), ("abd", False), ("0987", True)],
)
def test_what_a_pattern_is(text, expected):
    assert is_pattern(text) is expected


def test_it_is_one_of_the_projects_validators():
    patient = User(role=User.Role.PATIENT, email="aiko@example.jp", name="Aiko Tanaka")
    with pytest.raises(ValidationError) as refused:
        validate_password("aaaaaaaaaaaaa", patient)
    assert "password_predictable" in [error.code for error in refused.value.error_list]


@pytest.fixture
def invitation_link(clinic, frozen_now):
    invited = patient_register(clinic=clinic, email="aiko@example.jp", name="Aiko Tanaka")
    _invitation, token = invitation_create(user=invited)
    return f"/accounts/invitation/{token}/"


@pytest.mark.parametrize(("language", "message"), [("en", MESSAGE_EN), ("ja", MESSAGE_JA)])
@pytest.mark.parametrize("password", ["aaaaaaaaaaaaa", "password1234567", "1234567890123"])
def test_an_invited_patient_cannot_choose_one(invitation_link, language, message, password):
    client = Client(headers={"accept-language": language})
    response = client.post(invitation_link, {"new_password1": password, "new_password2": password})
    assert response.status_code == 200
    if password != "1234567890123":  # all digits: Django's own message says why
        assert message in response.content.decode()
    assert not User.objects.get(email="aiko@example.jp").has_usable_password()


def test_a_patient_cannot_change_to_one(patient_client, patient):
    response = patient_client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "password1234567",
            "new_password2": "password1234567",
        },
    )
    assert response.status_code == 200
    assert MESSAGE_JA in response.content.decode()
    patient.refresh_from_db()
    assert patient.check_password(PASSWORD)
