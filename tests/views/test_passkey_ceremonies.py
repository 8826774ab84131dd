"""Adding a passkey and signing in with it, through the JSON steps the browser script calls.

A software authenticator (tests/soft_passkey.py) answers for the phone, so the server's side of
WebAuthn runs for real: challenge, origin, relying party, signature, counter. Passkeys work at
http://localhost in the test settings, so these clients send `Host: localhost`.
"""

from __future__ import annotations

import json
import time

import pytest
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts.passkeys import SIGN_IN_HINT_COOKIE, STAY_SIGNED_IN_COOKIE
from accounts.reauth import RECENT_AUTH_AT, recent_auth_is_fresh
from accounts.sessions import STAY_SIGNED_IN
from tests.factories import PASSWORD
from tests.soft_passkey import SoftPasskey, b64url

pytestmark = pytest.mark.django_db

REGISTER_BEGIN = "/accounts/passkeys/register/begin/"
REGISTER_COMPLETE = "/accounts/passkeys/register/complete/"
SIGN_IN_BEGIN = "/accounts/passkeys/sign-in/begin/"
SIGN_IN_COMPLETE = "/accounts/passkeys/sign-in/complete/"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)


def browser(**headers) -> Client:
    """A browser at the address passkeys work at, with pages in English."""
    return Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="en", **headers)


def signed_in(user, **headers) -> Client:
    """Just signed in with the password (force_login marks it as just given, as a sign-in does)."""
    type(user).objects.filter(pk=user.pk).update(language="en")
    client = browser(**headers)
    client.force_login(user)
    return client


def post_json(client, url, data=None, **query):
    path = url + (f"?{'&'.join(f'{k}={v}' for k, v in query.items())}" if query else "")
    body = json.dumps(data) if data is not None else ""
    return client.post(path, body, content_type="application/json")


def register(client, passkey: SoftPasskey):
    options = post_json(client, REGISTER_BEGIN)
    assert options.status_code == 200, options.content
    return post_json(client, REGISTER_COMPLETE, passkey.register(options.json()))


def sign_in(client, passkey: SoftPasskey, *, verified: bool = True, **query):
    options = post_json(client, SIGN_IN_BEGIN)
    assert options.status_code == 200, options.content
    return post_json(
        client, SIGN_IN_COMPLETE, passkey.sign_in(options.json(), verified=verified), **query
    )


@pytest.fixture
def hanakos_passkey(patient) -> SoftPasskey:
    """Hanako added a passkey on her iPhone in an earlier session."""
    passkey = SoftPasskey()
    response = register(signed_in(patient, HTTP_USER_AGENT=IPHONE), passkey)
    assert response.status_code == 200, response.content
    return passkey


# --- adding a passkey ------------------------------------------------------------------------


def test_a_patient_adds_a_passkey_named_after_the_phone(patient):
    client = signed_in(patient, HTTP_USER_AGENT=IPHONE)

    response = register(client, SoftPasskey())

    assert response.status_code == 200
    credential = WebAuthnCredential.objects.get(user=patient)
    assert response.json()["id"] == credential.pk
    assert credential.name == "iPhone"
    assert credential.discoverable is True
    # The sign-in page of this browser now puts the passkey first.
    assert response.cookies[SIGN_IN_HINT_COOKIE].value == "1"
    assert response.cookies[SIGN_IN_HINT_COOKIE]["httponly"]


def test_the_options_ask_for_a_passkey_of_this_site_that_signs_in_without_a_name(patient):
    options = post_json(signed_in(patient), REGISTER_BEGIN).json()

    assert options["rp"] == {"name": "Injection diary", "id": "localhost"}
    assert options["authenticatorSelection"]["residentKey"] == "required"
    assert options["user"]["name"] == patient.email
    assert options["excludeCredentials"] == []


def test_a_second_passkey_on_the_same_phone_is_excluded(patient, hanakos_passkey):
    options = post_json(signed_in(patient), REGISTER_BEGIN).json()
    excluded = [c["id"] for c in options["excludeCredentials"]]
    assert excluded == [b64url(hanakos_passkey.credential_id)]


def test_adding_a_passkey_asks_for_the_password_again_after_a_day(patient):
    client = signed_in(patient)
    session = client.session
    session[RECENT_AUTH_AT] = time.time() - 25 * 3600
    session.save()

    response = post_json(client, REGISTER_BEGIN)

    assert response.status_code == 403
    assert response.json()["code"] == "reauth_needed"
    assert "enter your password again" in response.json()["detail"]
    assert not WebAuthnCredential.objects.exists()


def test_nobody_signed_in_cannot_add_a_passkey():
    response = post_json(browser(), REGISTER_BEGIN)
    assert response.status_code == 403
    assert response.json() == {"detail": "Please sign in first.", "code": "not_authenticated"}


def test_a_refusal_reads_in_the_users_language(patient):
    client = signed_in(patient)
    type(patient).objects.filter(pk=patient.pk).update(language="ja")
    session = client.session
    session[RECENT_AUTH_AT] = 0
    session.save()

    detail = post_json(client, REGISTER_BEGIN).json()["detail"]

    assert "password" not in detail and "パスワード" in detail


def test_no_passkey_is_added_at_an_address_the_relying_party_does_not_accept(patient):
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(patient)
    response = post_json(client, REGISTER_BEGIN)
    assert response.status_code == 403
    assert response.json()["code"] == "passkeys_not_here"


def test_an_answer_from_another_origin_is_not_accepted(patient):
    client = signed_in(patient)
    response = register(client, SoftPasskey(origin="https://evil.example"))
    assert response.status_code == 422
    assert not WebAuthnCredential.objects.exists()


def test_the_same_challenge_cannot_be_answered_twice(patient):
    client = signed_in(patient)
    passkey = SoftPasskey()
    answer = passkey.register(post_json(client, REGISTER_BEGIN).json())
    assert post_json(client, REGISTER_COMPLETE, answer).status_code == 200

    again = post_json(client, REGISTER_COMPLETE, answer)

    assert again.status_code == 400
    assert again.json()["code"] == "invalid_state"
    assert WebAuthnCredential.objects.count() == 1


def test_the_json_steps_take_only_post(patient):
    client = signed_in(patient)
    for url in (REGISTER_BEGIN, REGISTER_COMPLETE, SIGN_IN_BEGIN, SIGN_IN_COMPLETE):
        assert client.get(url).status_code == 405


# --- signing in with it ----------------------------------------------------------------------


def test_a_passkey_signs_in_without_typing_and_opens_the_diary(patient, hanakos_passkey):
    client = browser()
    anonymous_key = client.session.session_key  # the ceremony's own session

    response = sign_in(client, hanakos_passkey)

    assert response.status_code == 200
    assert response.json()["redirect_url"] == "/"
    session = client.session
    assert session["_auth_user_id"] == str(patient.pk)
    assert session.session_key != anonymous_key  # a new session id at sign-in
    assert session.get(RECENT_AUTH_AT)
    assert client.get("/diary/").status_code == 200
    credential = WebAuthnCredential.objects.get(user=patient)
    assert credential.last_used_at is not None
    assert credential.sign_count == 1


def test_signing_in_without_a_name_asks_for_the_fingerprint_or_face(hanakos_passkey):
    client = browser()
    options = post_json(client, SIGN_IN_BEGIN).json()
    assert options["userVerification"] == "required"
    assert options["allowCredentials"] == []  # the phone offers its passkey, nobody is named

    response = post_json(client, SIGN_IN_COMPLETE, hanakos_passkey.sign_in(options, verified=False))

    assert response.status_code == 422
    assert "_auth_user_id" not in client.session


def test_a_passkey_sign_in_goes_on_to_the_page_asked_for(patient, hanakos_passkey):
    response = sign_in(browser(), hanakos_passkey, next="/diary/history/")
    assert response.json()["redirect_url"] == "/diary/history/"


def test_a_passkey_sign_in_does_not_go_on_to_another_site(patient, hanakos_passkey):
    response = sign_in(browser(), hanakos_passkey, next="https://evil.example/")
    assert response.json()["redirect_url"] == "/"


def test_a_passkey_sign_in_stays_signed_in_as_the_box_on_the_sign_in_page_says(
    patient, hanakos_passkey
):
    ticked = browser()
    assert sign_in(ticked, hanakos_passkey).status_code == 200
    assert ticked.session.get(STAY_SIGNED_IN) is True

    unticked = browser()
    unticked.cookies[STAY_SIGNED_IN_COOKIE] = "0"
    response = sign_in(unticked, hanakos_passkey)
    assert response.status_code == 200
    assert STAY_SIGNED_IN not in unticked.session
    assert response.cookies[STAY_SIGNED_IN_COOKIE].value == ""  # used once, then removed


def test_a_removed_passkey_says_so_and_signs_nobody_in(patient, hanakos_passkey):
    WebAuthnCredential.objects.filter(user=patient).delete()
    client = browser()

    response = sign_in(client, hanakos_passkey)

    assert response.status_code == 404
    assert "no longer registered here" in response.json()["detail"]
    assert "_auth_user_id" not in client.session


def test_an_erased_account_cannot_sign_in_with_its_passkey(patient, hanakos_passkey):
    type(patient).objects.filter(pk=patient.pk).update(is_active=False)
    client = browser()
    response = sign_in(client, hanakos_passkey)
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_a_passkey_still_signs_in_while_wrong_passwords_lock_the_account(patient, hanakos_passkey):
    """The lockout stops password guessing; a passkey cannot be guessed."""
    guesser = Client(HTTP_HOST="localhost")
    for _ in range(5):
        guesser.post("/accounts/login/", {"username": patient.email, "password": "wrong-1234567"})
    locked = guesser.post("/accounts/login/", {"username": patient.email, "password": PASSWORD})
    assert locked.status_code == 429

    client = browser()
    assert sign_in(client, hanakos_passkey).status_code == 200
    assert client.session["_auth_user_id"] == str(patient.pk)


# --- staff: a passkey instead of the code ----------------------------------------------------


def code_for(device: TOTPDevice) -> str:
    number = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{number:0{device.digits}d}"


@pytest.fixture
def staff_passkey(clinician) -> SoftPasskey:
    """The clinician set up the authenticator app, then added a passkey (after the code)."""
    TOTPDevice.objects.create(user=clinician, name="authenticator", confirmed=True)
    client = signed_in(clinician)
    with override_settings(MFA_REQUIRED=True):
        device = TOTPDevice.objects.get(user=clinician)
        assert client.post("/accounts/mfa/", {"token": code_for(device)}).status_code == 302
        passkey = SoftPasskey()
        assert register(client, passkey).status_code == 200
    return passkey


@override_settings(MFA_REQUIRED=True)
def test_staff_cannot_add_a_passkey_before_the_code(clinician):
    TOTPDevice.objects.create(user=clinician, name="authenticator", confirmed=True)
    response = post_json(signed_in(clinician), REGISTER_BEGIN)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/mfa/")


@override_settings(MFA_REQUIRED=True)
def test_the_code_page_offers_the_passkey_to_staff_who_have_one(clinician, staff_passkey):
    page = signed_in(clinician).get("/accounts/mfa/?next=/clinic/")
    assert b'id="passkey-verification-button"' in page.content
    assert b"Use a passkey" in page.content


@override_settings(MFA_REQUIRED=True)
def test_the_code_page_offers_no_passkey_to_staff_without_one(clinician):
    TOTPDevice.objects.create(user=clinician, name="authenticator", confirmed=True)
    page = signed_in(clinician).get("/accounts/mfa/")
    assert b"passkey-verification-button" not in page.content


@override_settings(MFA_REQUIRED=True)
def test_a_passkey_is_the_second_factor_with_a_new_session_id(clinician, staff_passkey):
    client = signed_in(clinician)
    assert client.get("/clinic/")["Location"] == "/accounts/mfa/?next=/clinic/"
    before = client.session.session_key
    options = post_json(client, SIGN_IN_BEGIN).json()
    assert options["userVerification"] == "discouraged"  # the password was the first factor
    assert len(options["allowCredentials"]) == 1

    response = post_json(client, SIGN_IN_COMPLETE, staff_passkey.sign_in(options), next="/clinic/")

    assert response.status_code == 200
    assert response.json()["redirect_url"] == "/clinic/"
    assert client.session.session_key != before
    assert client.session["otp_device_id"].startswith("django_otp_webauthn.webauthncredential/")
    assert client.get("/clinic/").status_code == 200


@override_settings(MFA_REQUIRED=True)
def test_someone_elses_passkey_is_not_a_second_factor(clinician, staff_passkey, clinic_admin):
    client = signed_in(clinic_admin)
    TOTPDevice.objects.create(user=clinic_admin, name="authenticator", confirmed=True)

    response = sign_in(client, staff_passkey)

    assert response.status_code == 403
    assert response.json()["code"] == "credential_user_mismatch"
    assert client.get("/clinic/")["Location"].startswith("/accounts/mfa/")


def test_a_signed_in_patient_proving_again_must_show_the_fingerprint(patient, hanakos_passkey):
    """Before a download after a day: the unlocked phone alone is not enough."""
    client = signed_in(patient)
    session = client.session
    session[RECENT_AUTH_AT] = 0
    session.save()
    options = post_json(client, SIGN_IN_BEGIN).json()
    assert options["userVerification"] == "required"

    response = post_json(client, SIGN_IN_COMPLETE, hanakos_passkey.sign_in(options))

    assert response.status_code == 200
    assert recent_auth_is_fresh(_request_with(client.session))


def _request_with(session):
    class Request:
        pass

    request = Request()
    request.session = session
    return request


@override_settings(MFA_REQUIRED=True)
def test_staff_signing_in_with_a_passkey_alone_are_verified(clinician, staff_passkey):
    """The passkey shows the fingerprint, face or screen lock: two factors in one."""
    client = browser()
    response = sign_in(client, staff_passkey, next="/clinic/")
    assert response.status_code == 200
    assert client.get("/clinic/").status_code == 200
    assert STAY_SIGNED_IN not in client.session  # staff never stay signed in
