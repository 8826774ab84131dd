"""The passkey pages: the sign-in button, the offer after a password sign-in, the list of one's
passkeys (rename, remove) and who may touch which passkey (someone else's: 404).

Passkeys work at http://localhost in the test settings, so these clients send `Host: localhost`.
"""

from __future__ import annotations

import html
import json
import re
import time

import pytest
from django.test import Client
from django_otp_webauthn.models import WebAuthnCredential

from accounts.passkeys import OFFER_DISMISSED_COOKIE, SIGN_IN_HINT_COOKIE, passkey_name_clean
from accounts.reauth import RECENT_AUTH_AT
from accounts.templatetags.passkeys import SCRIPT_WORDS, SCRIPTS
from tests.factories import make_passkey
from tests.views.html import element_text

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PASSKEYS = "/accounts/passkeys/"
RENAME = "/accounts/passkeys/rename/"
REMOVE = "/accounts/passkeys/remove/"
DISMISS = "/accounts/passkeys/offer/no/"
BUTTON = b'id="passkey-verification-button"'
OFFER = b"data-passkey-offer"


def browser(**headers) -> Client:
    return Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="en", **headers)


def signed_in(user) -> Client:
    type(user).objects.filter(pk=user.pk).update(language="en")
    client = browser()
    client.force_login(user)
    return client


def password_given_long_ago(client) -> None:
    session = client.session
    session[RECENT_AUTH_AT] = time.time() - 25 * 3600
    session.save()


def inline_scripts(content: bytes) -> list[str]:
    return re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", content.decode())


# --- the sign-in page ------------------------------------------------------------------------


def test_the_sign_in_page_offers_a_passkey_below_the_password_form():
    content = browser().get(LOGIN).content

    assert content.count(BUTTON) == 1
    assert content.index(b'name="password"') < content.index(BUTTON)
    assert b"Sign in with a passkey" in content
    assert b"django_otp_webauthn/otp_webauthn_auth.js" in content
    assert b"js/passkeys.js" in content


def test_on_a_browser_that_used_a_passkey_the_button_comes_first():
    client = browser()
    client.cookies[SIGN_IN_HINT_COOKIE] = "1"
    content = client.get(LOGIN).content

    assert content.count(BUTTON) == 1
    assert content.index(BUTTON) < content.index(b'name="password"')
    assert b"Or sign in with your e-mail address and password:" in content


def test_the_passkey_button_needs_javascript_and_sits_in_a_template():
    """Without JavaScript nothing about passkeys shows: the button is inside <template>."""
    content = browser().get(LOGIN).content.decode()
    template = re.search(
        r'<template id="passkey-verification-available-template">(.*?)</template>', content, re.S
    )
    assert template and 'id="passkey-verification-button"' in template.group(1)
    outside = content.replace(template.group(0), "")
    assert "passkey-verification-button" not in outside
    assert 'id="passkey-verification-placeholder"' in outside


def test_the_sign_in_page_has_no_inline_script_and_its_settings_in_data_attributes():
    response = browser().get(LOGIN)

    assert inline_scripts(response.content) == []
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    match = re.search(rb'data-config="([^"]+)"', response.content)
    config = json.loads(html.unescape(match.group(1).decode()))
    assert config["beginAuthenticationUrl"] == "/accounts/passkeys/sign-in/begin/"
    assert config["completeAuthenticationUrl"] == "/accounts/passkeys/sign-in/complete/"
    assert config["autocompleteLoginFieldSelector"] is None
    # Where to go on comes from the sign-in form, not the header's language switch.
    assert config["nextFieldSelector"] == "main form input[name='next']"
    assert config["csrfToken"]


def test_no_passkey_button_at_an_address_where_passkeys_cannot_work():
    """127.0.0.1 is not a domain: browsers refuse passkeys there. The password still works."""
    response = Client(HTTP_HOST="127.0.0.1").get(LOGIN)

    assert response.status_code == 200
    assert BUTTON not in response.content
    assert b"passkeys.js" not in response.content
    assert b'name="password"' in response.content


def test_every_script_comes_from_our_static_files_never_a_cdn(patient):
    from django.contrib.staticfiles import finders

    pages = [browser().get(LOGIN).content, signed_in(patient).get(PASSKEYS).content]
    sources = {src for page in pages for src in re.findall(rb'<script[^>]*src="([^"]+)"', page)}
    assert {
        b"/static/js/passkeys.js",
        b"/static/django_otp_webauthn/otp_webauthn_auth.js",
        b"/static/django_otp_webauthn/otp_webauthn_register.js",
    } <= sources
    assert all(src.startswith(b"/static/") for src in sources), sources
    for path in SCRIPTS.values():
        with open(finders.find(path), encoding="utf-8") as script:
            assert "otp_webauthn_config" in script.read()


def test_every_message_of_the_package_scripts_has_our_words():
    """An upgrade of django-otp-webauthn that adds a message fails here, not in front of a
    patient in English."""
    from django.contrib.staticfiles import finders

    found = set()
    for path in SCRIPTS.values():
        with open(finders.find(path), encoding="utf-8") as script:
            found |= set(re.findall(r'gettext\("([^"]+)"\)', script.read()))
    assert found and found == set(SCRIPT_WORDS)


def test_the_words_reach_the_page_in_japanese(patient):
    client = browser()
    client.cookies["django_language"] = "ja"
    content = client.get(LOGIN, headers={"accept-language": "ja"}).content.decode()
    words = json.loads(re.search(r'data-words="([^"]+)"', content).group(1).replace("&quot;", '"'))
    assert words["Verification canceled or not allowed."].startswith("中止しました。")
    assert "パスキーでログイン" in content


# --- the offer after a password sign-in -------------------------------------------------------


def test_after_a_password_sign_in_a_patient_is_offered_a_passkey(patient):
    content = signed_in(patient).get("/diary/").content
    assert OFFER in content
    assert b'href="/accounts/passkeys/"' in content
    # Hidden until passkeys.js finds a fingerprint or face on this device; never without it.
    assert re.search(rb"<section[^>]*data-passkey-offer[^>]*\bhidden\b", content)


def test_no_offer_once_the_patient_has_a_passkey(patient):
    make_passkey(patient)
    assert OFFER not in signed_in(patient).get("/diary/").content


def test_no_offer_long_after_the_password_was_given(patient):
    client = signed_in(patient)
    password_given_long_ago(client)
    assert OFFER not in client.get("/diary/").content


def test_no_thanks_hides_the_offer_on_this_browser(patient):
    client = signed_in(patient)

    response = client.post(DISMISS, {"next": "/diary/"})

    assert response.status_code == 302
    assert response["Location"] == "/diary/"
    assert response.cookies[OFFER_DISMISSED_COOKIE].value == "no"
    assert OFFER not in client.get("/diary/").content
    assert signed_in(patient).get("/diary/").status_code == 200  # another browser: offered
    assert OFFER in signed_in(patient).get("/diary/").content


def test_no_thanks_does_not_send_the_browser_to_another_site(patient):
    response = signed_in(patient).post(DISMISS, {"next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_staff_are_not_offered_a_passkey_on_the_home_page(clinician):
    assert OFFER not in signed_in(clinician).get("/", follow=True).content


# --- the list of passkeys ---------------------------------------------------------------------


def test_the_page_lists_the_users_own_passkeys_with_name_added_and_last_used(
    patient, other_patient, frozen_now
):
    make_passkey(patient, name="Hanako's iPhone", last_used_at=frozen_now)
    make_passkey(patient, name="")
    make_passkey(other_patient, name="Ichiro's Android")

    response = signed_in(patient).get(PASSKEYS)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Hanako&#x27;s iPhone" in content
    assert "Ichiro" not in content
    assert content.count('<li class="card') == 2
    assert "2026-11-26 10:00" in content  # added and last used, in the clinic's time zone
    assert "Not used yet" in content
    assert "Add a passkey on this device" in content
    assert inline_scripts(response.content) == []


def test_the_page_says_when_there_is_no_passkey_yet(patient):
    content = signed_in(patient).get(PASSKEYS).content
    assert b"You have no passkey yet." in content
    assert b'id="passkey-register-button"' in content


def test_the_page_needs_a_sign_in():
    response = browser().get(PASSKEYS)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={PASSKEYS}"


def test_the_page_asks_for_the_password_again_after_a_day(patient):
    client = signed_in(patient)
    password_given_long_ago(client)

    response = client.get(PASSKEYS)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauth/?next=")


def test_at_an_address_without_passkeys_the_page_says_so(patient):
    type(patient).objects.filter(pk=patient.pk).update(language="en")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(patient)
    content = client.get(PASSKEYS).content
    assert b"Passkeys cannot be added at this address." in content
    assert b"passkey-register-button" not in content


def test_staff_see_the_page_in_the_clinic_layout(clinician):
    make_passkey(clinician, name="Clinic PC")
    response = signed_in(clinician).get(PASSKEYS)
    assert response.status_code == 200
    assert "clinic_base.html" in [t.name for t in response.templates]
    assert b"Your password and your authenticator app keep working." in response.content


# --- renaming ---------------------------------------------------------------------------------


def rename(client, passkey, name):
    return client.post(RENAME, {"passkey": passkey.pk, f"passkey-{passkey.pk}-name": name})


def test_a_patient_renames_their_passkey(patient):
    passkey = make_passkey(patient, name="iPhone")
    client = signed_in(patient)

    response = rename(client, passkey, "  My   phone \u202e ")

    assert response.status_code == 302
    assert response["Location"] == PASSKEYS
    passkey.refresh_from_db()
    assert passkey.name == "My phone"
    assert "The name is saved." in client.get(PASSKEYS).content.decode()


def test_an_empty_name_is_refused_with_a_message(patient):
    passkey = make_passkey(patient, name="iPhone")

    response = rename(signed_in(patient), passkey, "   ")

    assert response.status_code == 400
    assert element_text(response.content, f"id_passkey-{passkey.pk}-name_error")
    passkey.refresh_from_db()
    assert passkey.name == "iPhone"


def test_a_name_longer_than_64_characters_is_refused(patient):
    passkey = make_passkey(patient, name="iPhone")
    response = rename(signed_in(patient), passkey, "x" * 65)
    assert response.status_code == 400
    passkey.refresh_from_db()
    assert passkey.name == "iPhone"


def test_another_users_passkey_cannot_be_renamed(patient, other_patient):
    theirs = make_passkey(other_patient, name="Ichiro's Android")

    response = rename(signed_in(patient), theirs, "Mine now")

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Ichiro's Android"


def test_a_clinician_cannot_rename_a_patients_passkey(clinician, patient):
    hers = make_passkey(patient, name="iPhone")
    assert rename(signed_in(clinician), hers, "Renamed").status_code == 404
    hers.refresh_from_db()
    assert hers.name == "iPhone"


@pytest.mark.parametrize("passkey_id", ["", "abc", "99999", "1 OR 1=1"])
def test_a_missing_or_odd_passkey_id_is_not_found(patient, passkey_id):
    response = signed_in(patient).post(RENAME, {"passkey": passkey_id})
    assert response.status_code == 404


def test_renaming_after_a_day_asks_for_the_password_first(patient):
    passkey = make_passkey(patient, name="iPhone")
    client = signed_in(patient)
    password_given_long_ago(client)

    response = rename(client, passkey, "Renamed")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauth/")
    passkey.refresh_from_db()
    assert passkey.name == "iPhone"


def test_the_name_is_cleaned_of_direction_controls_and_extra_spaces():
    assert passkey_name_clean(" a\u202eb \n c ") == "ab c"


# --- removing ---------------------------------------------------------------------------------


def test_removing_asks_first_then_removes(patient):
    passkey = make_passkey(patient, name="iPhone")
    client = signed_in(patient)

    asked = client.post(REMOVE, {"passkey": passkey.pk})

    assert asked.status_code == 200
    assert b"Remove this passkey?" in asked.content
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()

    removed = client.post(REMOVE, {"passkey": passkey.pk, "confirm": "yes"})

    assert removed.status_code == 302
    assert not WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    # The last one gone: the sign-in page no longer puts a passkey first on this browser.
    assert removed.cookies[SIGN_IN_HINT_COOKIE].value == ""


def test_removing_one_of_two_keeps_the_other_and_the_hint(patient):
    first = make_passkey(patient, name="iPhone")
    second = make_passkey(patient, name="iPad")

    response = signed_in(patient).post(REMOVE, {"passkey": first.pk, "confirm": "yes"})

    assert SIGN_IN_HINT_COOKIE not in response.cookies
    assert list(WebAuthnCredential.objects.filter(user=patient)) == [second]


def test_another_users_passkey_cannot_be_removed(patient, other_patient):
    theirs = make_passkey(other_patient, name="Ichiro's Android")
    client = signed_in(patient)

    assert client.post(REMOVE, {"passkey": theirs.pk}).status_code == 404
    assert client.post(REMOVE, {"passkey": theirs.pk, "confirm": "yes"}).status_code == 404
    assert WebAuthnCredential.objects.filter(pk=theirs.pk).exists()


def test_a_clinician_of_another_clinic_cannot_remove_a_passkey(other_clinician, clinician):
    theirs = make_passkey(clinician, name="Clinic PC")
    response = signed_in(other_clinician).post(REMOVE, {"passkey": theirs.pk, "confirm": "yes"})
    assert response.status_code == 404
    assert WebAuthnCredential.objects.filter(pk=theirs.pk).exists()


def test_removing_and_renaming_take_only_post(patient):
    client = signed_in(patient)
    assert client.get(REMOVE).status_code == 405
    assert client.get(RENAME).status_code == 405


# --- proving again who one is ------------------------------------------------------------------


def test_the_password_page_before_a_sensitive_step_also_offers_the_passkey(patient):
    make_passkey(patient)
    client = signed_in(patient)
    password_given_long_ago(client)

    content = client.get("/accounts/reauth/?next=/diary/my-data/").content

    assert content.count(BUTTON) == 1
    assert b"Or enter your password:" in content
    assert b'name="next" value="/diary/my-data/"' in content  # where the passkey goes on to


def test_without_a_passkey_that_page_asks_for_the_password_only(patient):
    client = signed_in(patient)
    password_given_long_ago(client)
    assert BUTTON not in client.get("/accounts/reauth/").content


def test_erasing_a_patient_forgets_their_passkeys(patient, other_patient, clinic_admin):
    from django_otp_webauthn.models import WebAuthnUserHandle

    from diary.privacy import patient_erase

    make_passkey(patient)
    WebAuthnUserHandle.get_handle_for_user(patient)
    theirs = make_passkey(other_patient)

    patient_erase(patient=patient, by=clinic_admin, mode="anonymise", reason="The patient asked.")

    assert not WebAuthnCredential.objects.filter(user=patient).exists()
    assert not WebAuthnUserHandle.objects.filter(user=patient).exists()
    assert WebAuthnCredential.objects.filter(pk=theirs.pk).exists()
