"""Sign-in lockout (django-axes) through the real sign-in form: 5 wrong passwords for one
account from one address lock that account, from that address, for 15 minutes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from tests.factories import FROZEN_NOW, PASSWORD
from tests.views.html import html_lang

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
HOME_ADDRESS = "203.0.113.10"
OTHER_ADDRESS = "198.51.100.20"
EMAIL = "hanako@example.jp"
WRONG = "not-the-password-1"
LOCKED_TITLE = "Too many attempts"
LOCKED_TEXT = "locked for 15 minutes after 5 wrong passwords"


def sign_in(client, password, *, email=EMAIL, address=HOME_ADDRESS, language="en"):
    headers = {"accept-language": language} if language else {}
    return client.post(
        LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address, headers=headers
    )


def fail(client, times, **kwargs):
    return [sign_in(client, WRONG, **kwargs) for _ in range(times)]


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def assert_locked(response):
    assert response.status_code == 429
    content = response.content.decode()
    assert LOCKED_TITLE in content
    assert LOCKED_TEXT in content
    assert 'name="password"' not in content


def test_four_wrong_passwords_only_show_the_form_error(client, patient):
    for response in fail(client, 4):
        assert response.status_code == 200
        assert b"Please enter a correct" in response.content
        assert LOCKED_TITLE.encode() not in response.content


def test_the_fifth_wrong_password_locks_the_account(client, patient):
    *_, fifth = fail(client, 5)
    assert_locked(fifth)


def test_the_right_password_is_refused_while_locked(client, patient, time_machine):
    fail(client, 5)
    assert_locked(sign_in(client, PASSWORD))
    time_machine.move_to(FROZEN_NOW + timedelta(minutes=14, seconds=59), tick=False)
    assert_locked(sign_in(client, PASSWORD))
    assert not signed_in(client)


def test_the_right_password_works_again_after_15_minutes(client, patient, time_machine):
    fail(client, 5)
    time_machine.move_to(FROZEN_NOW + timedelta(minutes=10), tick=False)
    assert_locked(sign_in(client, PASSWORD))  # trying again does not restart the 15 minutes
    time_machine.move_to(FROZEN_NOW + timedelta(minutes=15, seconds=1), tick=False)
    response = sign_in(client, PASSWORD)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == patient.pk


def test_the_same_account_from_another_address_is_not_locked(client, patient):
    fail(client, 5)
    elsewhere = Client()
    response = sign_in(elsewhere, PASSWORD, address=OTHER_ADDRESS)
    assert response.status_code == 302
    assert int(elsewhere.session["_auth_user_id"]) == patient.pk
    assert_locked(sign_in(client, PASSWORD))


def test_another_account_from_the_same_address_is_not_locked(client, patient, other_patient):
    fail(client, 5)
    response = sign_in(client, PASSWORD, email="ichiro@example.jp")
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == other_patient.pk


def test_changing_the_case_of_the_email_does_not_escape_the_lockout(client, patient):
    """Sign-in matches e-mail addresses in any case, so the count must too: otherwise every
    spelling ("Hanako@…", "HANAKO@…") would give an attacker five more guesses."""
    fail(client, 3, email="hanako@example.jp")
    fail(client, 1, email="Hanako@Example.jp")
    assert_locked(sign_in(client, WRONG, email="HANAKO@EXAMPLE.JP"))
    assert_locked(sign_in(client, PASSWORD, email="Hanako@example.JP"))


def test_a_successful_sign_in_resets_the_count(client, patient):
    fail(client, 4)
    assert sign_in(client, PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for response in fail(client, 4):
        assert response.status_code == 200
    assert sign_in(client, PASSWORD).status_code == 302
    assert int(client.session["_auth_user_id"]) == patient.pk


def test_the_lockout_page_is_in_japanese_by_default(client, patient):
    *_, locked = fail(client, 5, language=None)
    assert locked.status_code == 429
    with translation.override("ja"):
        title = gettext(LOCKED_TITLE)
    assert title != LOCKED_TITLE, "the lockout title has no Japanese translation"
    content = locked.content.decode()
    assert title in content
    assert LOCKED_TITLE not in content
    assert html_lang(content) == "ja"


def test_the_lockout_page_is_in_english_when_the_browser_asks(client, patient):
    *_, locked = fail(client, 5, language="en")
    assert_locked(locked)
    assert html_lang(locked.content) == "en"
