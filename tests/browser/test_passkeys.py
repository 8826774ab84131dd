"""Passkeys in real Chromium with a virtual authenticator (Chrome DevTools Protocol), as a
patient would use them on a phone: sign in with the password, take up the offer, add a passkey,
sign out, and sign in again with the passkey without typing anything.

The live server runs at http://localhost:<port>; browsers refuse passkeys on 127.0.0.1, and the
server accepts answers only from the origins in OTP_WEBAUTHN_ALLOWED_ORIGINS, so each test adds
the live server's origin there.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts.models import Clinic, User
from tests.browser.conftest import PHONE
from tests.browser.people import PASSWORD, patient_injected

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = {
    "ja": {
        "locale": "ja-JP",
        "email": "メールアドレス",
        "password": "パスワード",
        "sign_in": "ログイン",
        "offer": "次回から、もっと簡単にログイン",
        "set_up": "パスキーを設定する",
        "add": "この端末にパスキーを追加",
        "ready": "パスキーを設定しました。",
        "not_used": "まだ使っていません",
        "sign_out": "ログアウト",
        "passkey": "パスキーでログイン",
        "unavailable": "このブラウザではパスキーを使えません。",
    },
    "en": {
        "locale": "en-GB",
        "email": "E-mail address",
        "password": "Password",
        "sign_in": "Sign in",
        "offer": "Sign in faster next time",
        "set_up": "Set up a passkey",
        "add": "Add a passkey on this device",
        "ready": "Your passkey is ready.",
        "not_used": "Not used yet",
        "sign_out": "Sign out",
        "passkey": "Sign in with a passkey",
        "unavailable": "This browser cannot use passkeys.",
    },
}

# A phone's built-in authenticator: it keeps the passkey (a discoverable credential) and checks
# the fingerprint or face (user verification), which always succeeds here.
PHONE_AUTHENTICATOR = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
}


@pytest.fixture
def passkey_origin(live_server, settings):
    assert urlsplit(live_server.url).hostname == "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    return live_server.url


def with_phone_authenticator(page) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": PHONE_AUTHENTICATOR})


def console_errors(page) -> list[str]:
    """Errors the page reports, such as a script the Content-Security-Policy refused."""
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_patient_adds_a_passkey_and_signs_in_with_it_without_typing(
    passkey_origin, new_page, assert_accessible, language
):
    text = TEXT[language]
    injection = patient_injected(f"passkey-{language}@example.jp", language=language, days_ago=3)
    patient = injection.patient
    page = new_page(locale=text["locale"], viewport=PHONE)
    errors = console_errors(page)
    with_phone_authenticator(page)

    # A password sign-in, as today; the diary offers a passkey.
    page.goto(f"{passkey_origin}/accounts/login/")
    page.get_by_label(text["email"]).fill(patient.email)
    page.get_by_label(text["password"]).fill(PASSWORD)
    page.get_by_role("button", name=text["sign_in"], exact=True).click()
    offer = page.get_by_role("region", name=text["offer"])
    offer.wait_for()  # shown by passkeys.js: this "phone" unlocks with a fingerprint
    assert page.locator("[data-day-number]").get_attribute("data-day-number") == "3"
    assert_accessible(page)

    # Take it up: the passkeys page, one tap, the fingerprint.
    offer.get_by_role("link", name=text["set_up"]).click()
    assert_accessible(page)
    page.get_by_role("button", name=text["add"]).click()
    page.locator(".alert-success").wait_for()
    assert page.locator(".alert-success").inner_text().startswith(text["ready"])
    assert page.get_by_text(text["not_used"]).is_visible()
    credential = WebAuthnCredential.objects.get(user=patient)
    assert credential.discoverable is True
    assert credential.last_used_at is None
    assert_accessible(page)

    # Sign out; the sign-in page of this browser now puts the passkey first.
    page.get_by_role("button", name=text["sign_out"]).click()
    page.wait_for_url("**/accounts/login/")
    button = page.get_by_role("button", name=text["passkey"])
    button.wait_for()
    assert button.bounding_box()["y"] < page.get_by_label(text["email"]).bounding_box()["y"]
    assert_accessible(page)

    # Signing in with it: nothing typed, straight to the diary.
    button.click()
    page.wait_for_url(f"{passkey_origin}/diary/")
    assert page.locator("[data-day-number]").get_attribute("data-day-number") == "3"
    assert page.get_by_label(text["email"]).count() == 0
    credential.refresh_from_db()
    assert credential.last_used_at is not None
    assert errors == []


def test_without_javascript_the_password_still_signs_in_and_no_passkey_shows(
    passkey_origin, browser
):
    injection = patient_injected("no-js@example.jp", language="en", days_ago=1)
    context = browser.new_context(locale="en-GB", viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{passkey_origin}/accounts/login/")
        assert page.get_by_role("button", name=TEXT["en"]["passkey"]).count() == 0
        page.get_by_label("E-mail address").fill(injection.patient.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.wait_for_url(f"{passkey_origin}/diary/")
        assert page.get_by_role("region", name=TEXT["en"]["offer"]).count() == 0
    finally:
        context.close()


def test_a_browser_without_passkeys_shows_no_button_and_says_so_where_one_is_added(
    passkey_origin, new_page
):
    injection = patient_injected("old-browser@example.jp", language="en", days_ago=1)
    page = new_page(locale="en-GB")
    page.add_init_script("delete window.PublicKeyCredential;")  # an old browser

    page.goto(f"{passkey_origin}/accounts/login/")
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("button", name=TEXT["en"]["passkey"]).count() == 0
    page.get_by_label("E-mail address").fill(injection.patient.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(f"{passkey_origin}/diary/")
    page.wait_for_load_state("networkidle")
    assert not page.get_by_role("region", name=TEXT["en"]["offer"]).is_visible()

    page.goto(f"{passkey_origin}/accounts/passkeys/")
    page.get_by_text(TEXT["en"]["unavailable"]).wait_for()
    assert page.get_by_role("button", name=TEXT["en"]["add"]).count() == 0


def code_for(device: TOTPDevice) -> str:
    number = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{number:0{device.digits}d}"


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_clinician_uses_a_passkey_instead_of_the_code(
    passkey_origin, settings, new_page, assert_accessible, language
):
    settings.MFA_REQUIRED = True
    clinic = Clinic.objects.create(name="Browser Clinic", phone="03-0000-0000")
    doctor = User.objects.create_user(
        f"doctor-{language}@example.jp", PASSWORD, name="Dr. Browser", role=User.Role.CLINICIAN,
        clinic=clinic, language=language,
    )  # fmt: skip
    device = TOTPDevice.objects.create(user=doctor, name="authenticator", confirmed=True)
    page = new_page(locale=TEXT[language]["locale"], viewport={"width": 1366, "height": 900})
    errors = console_errors(page)
    with_phone_authenticator(page)

    # After the password and the code, the doctor adds a passkey (from the clinic's menu).
    page.goto(f"{passkey_origin}/accounts/login/")
    page.get_by_label(TEXT[language]["email"]).fill(doctor.email)
    page.get_by_label(TEXT[language]["password"]).fill(PASSWORD)
    page.get_by_role("button", name=TEXT[language]["sign_in"], exact=True).click()
    page.locator("input[name=token]").fill(code_for(device))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{passkey_origin}/clinic/")
    page.locator("header").get_by_role("link", name=PASSKEYS_LINK[language]).click()
    page.get_by_role("button", name=TEXT[language]["add"]).click()
    page.locator(".alert-success").wait_for()
    page.get_by_role("button", name=TEXT[language]["sign_out"]).click()

    # Next time: the password, then the passkey instead of the code, to the dashboard.
    page.goto(f"{passkey_origin}/clinic/")
    page.get_by_label(TEXT[language]["email"]).fill(doctor.email)
    page.get_by_label(TEXT[language]["password"]).fill(PASSWORD)
    page.get_by_role("button", name=TEXT[language]["sign_in"], exact=True).click()
    page.wait_for_url("**/accounts/mfa/**")
    button = page.get_by_role("button", name=USE_PASSKEY[language])
    button.wait_for()
    assert_accessible(page)
    button.click()
    page.wait_for_url(f"{passkey_origin}/clinic/")
    assert WebAuthnCredential.objects.get(user=doctor).last_used_at is not None
    assert errors == []


PASSKEYS_LINK = {"ja": "パスキー", "en": "Passkeys"}
USE_PASSKEY = {"ja": "パスキーを使う", "en": "Use a passkey"}
