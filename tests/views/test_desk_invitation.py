"""The invitation at the desk (issue 17, item 4): after registering a patient the clinician is
redirected to a page that shows the link as a QR code, with a copy button and a printable A4
sheet in the patient's language. The link reaches those pages in a short-lived cookie of the
clinician's browser, never in a URL or the database, and only while staff may see it: the
patient has never chosen a password, and the link is unused, unexpired and the newest."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.contrib.staticfiles import finders
from django.core import mail
from django.test import Client

from accounts.models import Invitation, User
from accounts.services import invitation_create, patient_register
from diary.desk_link import DESK_LINK_MINUTES
from tests.factories import FROZEN_NOW, PASSWORD, make_clinician
from tests.qr_image import decode_data_uri

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Aiko Tanaka",
    "email": "aiko@example.jp",
    "patient_number": "P-100",
    "birth_date": "1958-04-01",
    "language": "en",
}
LINK = re.compile(r"http://testserver/accounts/invitation/[\w-]+/")
QR_IMG = re.compile(r'<img[^>]+src="(data:image/svg\+xml;base64,[^"]+)"')


@pytest.fixture(autouse=True)
def english(clinician, clinic):
    clinician.language = "en"
    clinician.save(update_fields=["language"])
    clinic.after_hours_phone = "03-9999-0000"
    clinic.save(update_fields=["after_hours_phone"])


def register(client, **answers):
    response = client.post("/clinic/patients/new/", {**FORM, **answers})
    assert response.status_code == 302, response.content[:300]
    return User.objects.get(email=(answers.get("email") or FORM["email"]).lower()), response


def emailed_link() -> str:
    return LINK.search(mail.outbox[-1].body).group(0)


def result_page(patient) -> str:
    return f"/clinic/patients/{patient.public_id}/invited/"


def sheet(patient) -> str:
    return f"/clinic/patients/{patient.public_id}/invitation-sheet/"


def qr_codes(content: str) -> list[str]:
    return [text for uri in QR_IMG.findall(content) for text in decode_data_uri(unescape(uri))]


# --- POST, then redirect --------------------------------------------------------------------------


def test_registering_redirects_to_the_result_page_without_the_link_in_the_address(
    clinician_client,
):
    aiko, response = register(clinician_client)
    assert response["Location"] == result_page(aiko)
    token = emailed_link().rstrip("/").rsplit("/", 1)[-1]
    assert token not in response["Location"]
    page = clinician_client.get(response["Location"])
    assert page.status_code == 200
    assert LINK.search(page.content.decode()).group(0) == emailed_link()


def test_reloading_the_result_page_registers_nobody_twice(clinician_client):
    aiko, response = register(clinician_client)
    first = clinician_client.get(response["Location"]).content.decode()
    second = clinician_client.get(response["Location"]).content.decode()
    assert LINK.search(first).group(0) == LINK.search(second).group(0) == emailed_link()
    assert User.objects.filter(email="aiko@example.jp").count() == 1
    assert Invitation.objects.filter(user=aiko).count() == 1
    assert len(mail.outbox) == 1


def test_the_link_is_kept_in_a_cookie_for_this_patients_pages_only(clinician_client):
    aiko, response = register(clinician_client)
    (cookie,) = [c for name, c in response.cookies.items() if name.startswith("desk_link_")]
    assert cookie["path"] == f"/clinic/patients/{aiko.public_id}/"
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Strict"
    assert int(cookie["max-age"]) == DESK_LINK_MINUTES * 60


def test_the_link_is_stored_nowhere_in_the_database(clinician_client):
    register(clinician_client)
    clinician_client.get(result_page(User.objects.get(email="aiko@example.jp")))
    token = emailed_link().rstrip("/").rsplit("/", 1)[-1]
    for session in Session.objects.all():
        assert token not in session.session_data
        assert token not in str(session.get_decoded())
    assert not Invitation.objects.filter(token_hash=token).exists()


@pytest.mark.parametrize("page", [result_page, sheet])
def test_the_pages_with_the_link_are_not_cached(clinician_client, page):
    aiko, _response = register(clinician_client)
    response = clinician_client.get(page(aiko))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_result_page_without_a_link_to_show_goes_to_the_patient(clinician_client, patient):
    response = clinician_client.get(result_page(patient))
    assert response.status_code == 302
    assert response["Location"] == f"/clinic/patients/{patient.public_id}/"


# --- the QR code and the copy button -------------------------------------------------------------


def test_the_qr_code_on_the_result_page_decodes_to_the_invitation_link(clinician_client):
    _aiko, response = register(clinician_client)
    content = clinician_client.get(response["Location"]).content.decode()
    assert qr_codes(content) == [emailed_link()]


def test_the_link_is_selectable_text_and_the_copy_button_needs_javascript(clinician_client):
    _aiko, response = register(clinician_client)
    content = clinician_client.get(response["Location"]).content.decode()
    box = re.search(r'<input[^>]+id="invitation-link"[^>]*>', content).group(0)
    assert "readonly" in box and f'value="{emailed_link()}"' in box
    button = re.search(r"<button[^>]+data-copy-link=[^>]*>", content).group(0)
    assert " hidden" in button  # shown by static/js/copy-link.js
    assert '<script src="/static/js/copy-link.js" defer></script>' in content
    assert "<script>" not in content


def test_the_result_page_links_to_the_sheet_in_the_patients_language(clinician_client):
    aiko, response = register(clinician_client, language="ja")
    content = clinician_client.get(response["Location"]).content.decode()
    assert f'href="{sheet(aiko)}"' in content
    assert "Sheet to print for the patient (Japanese)" in content


# --- the printable sheet --------------------------------------------------------------------------


def test_the_sheet_is_in_the_patients_language_with_all_she_needs(clinician_client, clinic):
    aiko, _response = register(clinician_client, language="ja")
    response = clinician_client.get(sheet(aiko))
    assert response.status_code == 200
    assert response["Content-Language"] == "ja"
    content = response.content.decode()
    assert '<html lang="ja">' in content
    for text in (
        "Sakura Clinic",
        "Aiko Tanaka",
        "03-1111-2222",  # the clinic's phone
        "03-9999-0000",  # its after-hours number
        emailed_link(),
        "aiko@example.jp",
        "2026年12月3日10:00",  # seven days from now, in the clinic's time zone
        "QRコード",
        "13 文字以上",
    ):
        assert text in content, text
    assert qr_codes(content) == [emailed_link()]
    # The toolbar is for the clinician, in the clinician's language; it is not printed.
    assert 'class="sheet-toolbar no-print" lang="en"' in content
    assert ">Print</button>" in content


def test_the_sheet_in_english(clinician_client):
    aiko, _response = register(clinician_client, language="en")
    content = clinician_client.get(sheet(aiko)).content.decode()
    assert '<html lang="en">' in content
    assert "Your injection diary: how to start" in content
    assert "For <bdi>Aiko Tanaka</bdi>" in content
    assert "at least 13 characters" in content
    assert "At night and on holidays:" in content
    assert "Dec. 3, 2026, 10 a.m." in content


def test_the_sheet_says_the_length_the_settings_require(clinician_client, settings):
    settings.PASSWORD_MIN_LENGTH_PATIENT = 15
    aiko, _response = register(clinician_client)
    assert "at least 15 characters" in clinician_client.get(sheet(aiko)).content.decode()


def test_the_sheet_is_print_styled_for_a4(clinician_client):
    aiko, _response = register(clinician_client)
    content = clinician_client.get(sheet(aiko)).content.decode()
    assert '<link rel="stylesheet" href="/static/css/sheet.css">' in content
    assert "<style" not in content and "<script>" not in content
    css = Path(finders.find("css/sheet.css")).read_text(encoding="utf-8")
    assert "size: A4" in css and "@media print" in css


# --- who may open the sheet, and when ------------------------------------------------------------


def copy_desk_cookie(source: Client, target: Client) -> None:
    """Give `target` the desk cookie of `source` (not its session: `target` stays who it is)."""
    copied = 0
    for name, morsel in source.cookies.items():
        if name.startswith("desk_link_"):
            target.cookies[name] = morsel.value
            copied += 1
    assert copied == 1


def test_the_sheet_is_not_found_for_another_clinics_staff(clinician_client, other_clinician):
    aiko, _response = register(clinician_client)
    stranger = Client()
    stranger.force_login(other_clinician)
    copy_desk_cookie(clinician_client, stranger)  # even with the cookie from the desk's browser
    assert stranger.get(sheet(aiko)).status_code == 404
    assert stranger.get(result_page(aiko)).status_code == 404


def test_the_cookie_works_only_for_the_clinician_who_made_the_link(clinician_client, clinic):
    aiko, _response = register(clinician_client)
    colleague = Client()
    colleague.force_login(make_clinician("nurse@example.jp", clinic=clinic))
    copy_desk_cookie(clinician_client, colleague)
    assert colleague.get(sheet(aiko)).status_code == 404
    assert colleague.get(result_page(aiko)).status_code == 302


def test_the_sheet_is_not_found_for_a_patient(clinician_client, patient):
    aiko, _response = register(clinician_client)
    browser = Client()
    browser.force_login(patient)
    copy_desk_cookie(clinician_client, browser)
    assert browser.get(sheet(aiko)).status_code == 404


def test_the_sheet_is_not_found_without_the_cookie(clinician_client, clinician):
    aiko, _response = register(clinician_client)
    other_browser = Client()
    other_browser.force_login(clinician)
    assert other_browser.get(sheet(aiko)).status_code == 404


def test_a_tampered_cookie_shows_nothing(clinician_client):
    aiko, _response = register(clinician_client)
    name = f"desk_link_{aiko.public_id.hex}"
    clinician_client.cookies[name] = clinician_client.cookies[name].value[:-2] + "xx"
    assert clinician_client.get(sheet(aiko)).status_code == 404
    assert clinician_client.get(result_page(aiko)).status_code == 302


def test_after_the_link_was_used_the_sheet_is_gone_and_the_page_says_why(clinician_client):
    aiko, response = register(clinician_client)
    phone = Client()
    password = "Aiko-knee-diary-2026"
    phone.post(emailed_link(), {"new_password1": password, "new_password2": password})
    aiko.refresh_from_db()
    assert aiko.has_usable_password()
    assert clinician_client.get(sheet(aiko)).status_code == 404
    page = clinician_client.get(response["Location"], follow=True)
    assert page.redirect_chain == [(f"/clinic/patients/{aiko.public_id}/", 302)]
    assert "The invitation link is no longer shown here" in page.content.decode()
    assert "/accounts/invitation/" not in page.content.decode()


def test_the_sheet_is_gone_once_the_patient_has_a_password(clinician_client):
    """Even with the link unused: staff may see a link only while there is no password."""
    aiko, _response = register(clinician_client)
    aiko.set_password(PASSWORD)
    aiko.save(update_fields=["password"])
    assert clinician_client.get(sheet(aiko)).status_code == 404
    assert clinician_client.get(result_page(aiko)).status_code == 302


def test_no_sheet_for_a_new_link_to_a_patient_with_a_password(clinician_client, patient):
    response = clinician_client.post(f"/clinic/patients/{patient.public_id}/invite/")
    assert response["Location"] == result_page(patient)
    page = clinician_client.get(result_page(patient)).content.decode()
    assert "Link sent" in page and "not shown here" in page
    assert "/accounts/invitation/" not in page and "data:image/svg" not in page
    assert sheet(patient) not in page
    assert clinician_client.get(sheet(patient)).status_code == 404


def test_a_new_link_for_a_patient_without_a_password_has_a_sheet(clinician_client, clinic):
    aiko = patient_register(clinic=clinic, email="aiko@example.jp", name="Aiko", language="en")
    response = clinician_client.post(f"/clinic/patients/{aiko.public_id}/invite/")
    assert response["Location"] == result_page(aiko)
    content = clinician_client.get(sheet(aiko)).content.decode()
    assert qr_codes(content) == [emailed_link()]


def test_the_sheet_is_gone_when_a_newer_link_replaced_it(clinician_client):
    aiko, _response = register(clinician_client)
    invitation_create(user=aiko)
    assert clinician_client.get(sheet(aiko)).status_code == 404


def test_the_sheet_is_gone_when_the_link_expired(clinician_client, time_machine):
    aiko, _response = register(clinician_client)
    # The cookie lasts an hour; the link seven days. Here the link has expired early (an
    # administrator can shorten it), with the cookie still fresh.
    Invitation.objects.filter(user=aiko).update(expires_at=FROZEN_NOW + timedelta(minutes=5))
    time_machine.move_to(FROZEN_NOW + timedelta(minutes=6), tick=False)
    assert clinician_client.get(sheet(aiko)).status_code == 404


def test_the_desk_keeps_the_link_for_an_hour(clinician_client, time_machine):
    aiko, _response = register(clinician_client)
    # Every ten minutes at the desk (the staff session ends after 15 idle minutes).
    for minutes in range(10, DESK_LINK_MINUTES, 10):
        time_machine.move_to(FROZEN_NOW + timedelta(minutes=minutes), tick=False)
        assert clinician_client.get(sheet(aiko)).status_code == 200
    time_machine.move_to(FROZEN_NOW + timedelta(minutes=DESK_LINK_MINUTES - 1), tick=False)
    assert clinician_client.get(sheet(aiko)).status_code == 200
    time_machine.move_to(FROZEN_NOW + timedelta(minutes=DESK_LINK_MINUTES + 1), tick=False)
    assert clinician_client.get(sheet(aiko)).status_code == 404


def test_the_sheet_is_gone_when_the_account_was_switched_off(clinician_client):
    aiko, _response = register(clinician_client)
    User.objects.filter(pk=aiko.pk).update(is_active=False)
    assert clinician_client.get(sheet(aiko)).status_code == 404
