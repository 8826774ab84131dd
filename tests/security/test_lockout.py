"""Sign-in lockout (django-axes) through the real sign-in form, with two counts: 5 wrong
passwords for one account, from any mix of addresses, lock that account for 15 minutes; 20 from
one address, across any accounts, lock that address. Signed-in sessions are left alone."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client, override_settings
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
ACCOUNT_TEXT = "Too many wrong passwords were entered for this e-mail address"
ADDRESS_TEXT = "Too many wrong passwords were entered from this network"
CALL_TEXT = "please call your clinic"


def sign_in(client, password, *, email=EMAIL, address=HOME_ADDRESS, language="en"):
    headers = {"accept-language": language} if language else {}
    return client.post(
        LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address, headers=headers
    )


def fail(client, times, **kwargs):
    return [sign_in(client, WRONG, **kwargs) for _ in range(times)]


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def assert_locked(response, reason=ACCOUNT_TEXT):
    assert response.status_code == 429
    content = response.content.decode()
    assert LOCKED_TITLE in content
    assert reason in content
    assert CALL_TEXT in content
    assert 'name="password"' not in content


def test_four_wrong_passwords_only_show_the_form_error(client, patient):
    for response in fail(client, 4):
        assert response.status_code == 200
        assert b"The e-mail address or the password is not right." in response.content
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


def test_the_locked_account_is_locked_from_another_address_too(client, patient):
    fail(client, 5)
    elsewhere = Client()
    assert_locked(sign_in(elsewhere, PASSWORD, address=OTHER_ADDRESS))
    assert not signed_in(elsewhere)


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


# --- one account, many addresses -------------------------------------------------------------


def addresses(n: int, prefix: str = "198.51.100.") -> list[str]:
    return [f"{prefix}{i}" for i in range(1, n + 1)]


def test_four_tries_from_each_of_five_addresses_lock_the_account(patient):
    """The probe's case: 5 addresses x 4 tries stayed under a per-pair limit of 5, and then the
    right password from a sixth address signed in."""
    first, *others = [fail(Client(), 4, address=address) for address in addresses(5)]
    assert [r.status_code for r in first] == [200, 200, 200, 200]
    assert all(r.status_code == 429 for tries in others for r in tries)
    sixth = Client()
    assert_locked(sign_in(sixth, PASSWORD, address="192.0.2.66"))
    assert not signed_in(sixth)


def test_one_wrong_password_from_each_of_five_addresses_locks_the_account(patient):
    for address in addresses(5):
        fail(Client(), 1, address=address)
    assert_locked(sign_in(Client(), PASSWORD, address="192.0.2.66"))


def test_four_wrong_passwords_from_four_addresses_leave_the_account_open(patient):
    for address in addresses(4):
        fail(Client(), 1, address=address)
    fifth = Client()
    assert sign_in(fifth, PASSWORD, address="192.0.2.66").status_code == 302
    assert int(fifth.session["_auth_user_id"]) == patient.pk


def test_an_email_without_an_account_locks_the_same_way(client, patient):
    """The page must not tell an attacker which e-mail addresses have an account."""
    *_, unknown = fail(Client(), 5, email="nobody@example.jp", address=OTHER_ADDRESS)
    *_, known = fail(client, 5)

    def without_tokens(response):
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())

    assert_locked(unknown)
    assert without_tokens(unknown) == without_tokens(known)


# --- one address, many accounts --------------------------------------------------------------


@pytest.fixture
def six_patients(clinic, frozen_now):
    from tests.factories import make_patient

    return [
        make_patient(f"p{i}@example.jp", clinic=clinic, patient_number=f"Q-{i}")
        for i in range(1, 7)
    ]


def test_wrong_passwords_spread_over_accounts_lock_the_address(client, six_patients, patient):
    """The probe's case: 24 failures over 6 accounts, 4 each, never locked anything."""
    responses = [
        response for account in six_patients for response in fail(client, 4, email=account.email)
    ]
    assert all(r.status_code == 200 for r in responses[:19])
    assert_locked(responses[19], reason=ADDRESS_TEXT)
    # Locked from this address for every account, also one never tried and the right password.
    assert_locked(sign_in(client, PASSWORD), reason=ADDRESS_TEXT)
    assert not signed_in(client)


def test_the_address_count_includes_emails_without_an_account(client, patient):
    for n in range(20):
        sign_in(client, WRONG, email=f"guess{n}@example.jp")
    assert_locked(sign_in(client, PASSWORD), reason=ADDRESS_TEXT)


def test_nineteen_failures_from_one_address_leave_it_open(client, six_patients, patient):
    for account in six_patients[:4]:
        fail(client, 4, email=account.email)
    fail(client, 3, email=six_patients[4].email)
    assert sign_in(client, PASSWORD).status_code == 302
    assert int(client.session["_auth_user_id"]) == patient.pk


def test_a_locked_address_does_not_lock_other_addresses(client, six_patients, patient):
    for account in six_patients[:5]:
        fail(client, 4, email=account.email)
    elsewhere = Client()
    assert sign_in(elsewhere, PASSWORD, address=OTHER_ADDRESS).status_code == 302
    assert int(elsewhere.session["_auth_user_id"]) == patient.pk


def test_signing_in_to_an_own_account_does_not_reset_the_address(client, six_patients, patient):
    """Otherwise an attacker with one account of their own could sign in between guesses."""
    for account in six_patients[:4]:
        fail(client, 4, email=account.email)
    assert sign_in(client, PASSWORD).status_code == 302  # Hanako: the attacker's own account
    client.post("/accounts/logout/")
    fail(client, 3, email=six_patients[4].email)
    assert_locked(sign_in(client, WRONG, email=six_patients[5].email), reason=ADDRESS_TEXT)


def test_the_address_works_again_after_15_minutes(client, six_patients, patient, time_machine):
    for account in six_patients[:5]:
        fail(client, 4, email=account.email)
    time_machine.move_to(FROZEN_NOW + timedelta(minutes=15, seconds=1), tick=False)
    assert sign_in(client, PASSWORD).status_code == 302


# --- behind a proxy --------------------------------------------------------------------------

PROXY = "10.0.0.2"


def through_proxy(client, password, *, client_address, email=EMAIL, claimed=None):
    """A request as the clinic's reverse proxy passes it on: the proxy appends the address it
    was reached from to whatever X-Forwarded-For the client sent."""
    forwarded = f"{claimed}, {client_address}" if claimed else client_address
    return client.post(
        LOGIN,
        {"username": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
        headers={"accept-language": "en"},
    )


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_address_count_is_per_client(six_patients, patient):
    attacker = Client()
    for account in six_patients[:5]:
        for _ in range(4):
            through_proxy(attacker, WRONG, client_address="203.0.113.99", email=account.email)
    assert_locked(
        through_proxy(attacker, PASSWORD, client_address="203.0.113.99"), reason=ADDRESS_TEXT
    )
    neighbour = Client()
    assert through_proxy(neighbour, PASSWORD, client_address="198.51.100.5").status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_a_forged_forwarded_for_does_not_escape(six_patients, patient):
    attacker = Client()
    for n, account in enumerate(six_patients[:5]):
        for m in range(4):
            through_proxy(
                attacker,
                WRONG,
                client_address="203.0.113.99",
                email=account.email,
                claimed=f"192.0.2.{n * 4 + m}",
            )
    response = through_proxy(
        attacker, PASSWORD, client_address="203.0.113.99", claimed="192.0.2.200"
    )
    assert_locked(response, reason=ADDRESS_TEXT)


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_account_count_spans_clients(patient):
    for n in range(5):
        through_proxy(Client(), WRONG, client_address=f"198.51.100.{n + 1}")
    assert_locked(through_proxy(Client(), PASSWORD, client_address="192.0.2.66"))


# --- signed-in sessions and the page ---------------------------------------------------------


def test_a_locked_account_keeps_its_signed_in_sessions(patient):
    phone = Client()
    assert sign_in(phone, PASSWORD, address="192.0.2.50").status_code == 302
    for address in addresses(5):
        fail(Client(), 1, address=address)
    assert_locked(sign_in(Client(), PASSWORD, address="192.0.2.66"))  # locked for new sign-ins
    assert phone.get("/diary/").status_code == 200
    assert phone.get("/diary/history/").status_code == 200
    assert signed_in(phone)


def test_the_page_says_when_to_try_again(client, patient, time_machine):
    fail(client, 4)
    time_machine.move_to(FROZEN_NOW + timedelta(minutes=3), tick=False)
    locked = sign_in(client, WRONG)  # the fifth, at 10:03: all five count until 10:18
    assert_locked(locked)
    content = locked.content.decode()
    assert "You can try again after 10:19 (in about 16 minutes)." in content


def test_the_time_does_not_move_when_trying_again_while_locked(client, patient, time_machine):
    fail(client, 5)
    time_machine.move_to(FROZEN_NOW + timedelta(minutes=10), tick=False)
    content = sign_in(client, PASSWORD).content.decode()
    assert "You can try again after 10:16 (in about 6 minutes)." in content


CALL_CLINIC = (
    "If you have forgotten your password, please call your clinic. They can send you an e-mail "
    "with a link to choose a new one."
)


def test_the_page_tells_the_time_in_japanese(client, patient):
    *_, locked = fail(client, 5, language=None)
    with translation.override("ja"):
        call_clinic = gettext(CALL_CLINIC)
    assert call_clinic != CALL_CLINIC, "no Japanese translation"
    content = locked.content.decode()
    assert call_clinic in content
    assert "10:16" in content
    assert "try again" not in content


def test_the_lock_ends_when_the_counted_failures_fall_below_the_limit():
    from accounts.lockout import lock_ends_at

    t = FROZEN_NOW
    cool_off = timedelta(minutes=15)
    assert lock_ends_at([], 5, cool_off) is None
    assert lock_ends_at([(t, 4)], 5, cool_off) is None
    assert lock_ends_at([(t, 5)], 5, cool_off) == t + cool_off
    rows = [(t + timedelta(minutes=5), 1), (t, 2), (t + timedelta(minutes=1), 3)]
    assert lock_ends_at(rows, 5, cool_off) == t + cool_off  # 4 left once the oldest row ends
    assert lock_ends_at(rows, 4, cool_off) == t + timedelta(minutes=1) + cool_off
    assert lock_ends_at(rows, 3, cool_off) == t + timedelta(minutes=1) + cool_off
    assert lock_ends_at(rows, 1, cool_off) == t + timedelta(minutes=5) + cool_off
