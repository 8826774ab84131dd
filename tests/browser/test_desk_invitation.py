"""The invitation at the desk in real Chromium, in Japanese and English: a clinician registers a
patient; the QR code on the screen, as Chromium draws it, decodes (zxing-cpp) to the link; the
copy button puts the link on the clipboard; the sheet prints on one A4 page in the patient's
language. On the phone the "show password" button shows and hides both password fields, and
without JavaScript every page still works."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from pypdf import PdfReader

from accounts.models import Clinic, Invitation, User
from accounts.services import invitation_create, patient_register
from tests.browser.conftest import PHONE
from tests.browser.people import sign_in
from tests.qr_image import decode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-Desk-Password-2026"
DESKTOP = {"width": 1366, "height": 900}
A4_POINTS = (595, 842)

TEXT = {
    "ja": {
        "locale": "ja-JP",
        "register_send": "登録して招待を送る",
        "invitation_sent": "招待を送りました",
        "qr": "招待リンクのQRコード",
        "copy": "リンクをコピー",
        "copied": "リンクをコピーしました。",
        "sheet": re.compile("患者さんに渡す印刷用の用紙"),
        "print": "印刷",
        "sheet_title": "注射後の症状日記の始め方",
        "show": "パスワードを表示",
        "hide": "パスワードを隠す",
        "shown": "パスワードが画面に表示されています。",
        "rule": "13 文字以上",
        "staff_rule": "認証アプリ",
        "start": "パスワードを保存して始める",
    },
    "en": {
        "locale": "en-GB",
        "register_send": "Register and send invitation",
        "invitation_sent": "Invitation sent",
        "qr": "QR code of the invitation link",
        "copy": "Copy link",
        "copied": "The link was copied.",
        "sheet": re.compile("Sheet to print for the patient"),
        "print": "Print",
        "sheet_title": "Your injection diary: how to start",
        "show": "Show password",
        "hide": "Hide password",
        "shown": "Your password is shown on the screen.",
        "rule": "At least 13 characters",
        "staff_rule": "authenticator",
        "start": "Save password and start",
    },
}
OTHER = {"ja": "en", "en": "ja"}
SHEET_QR = {"ja": "招待リンクのQRコード", "en": "QR code of your invitation link"}


def desk_clinic() -> Clinic:
    return Clinic.objects.create(
        name="Desk Clinic", phone="03-1234-5678", after_hours_phone="03-8765-4321"
    )


def clinician(clinic: Clinic, language: str) -> User:
    return User.objects.create_user(
        "desk-doctor@example.jp", PASSWORD, name="Dr. Desk", role="clinician", clinic=clinic,
        language=language,
    )  # fmt: skip


def qr_texts(locator) -> list[str]:
    """Decode the QR code as Chromium shows it: a screenshot of the element, read by zxing."""
    return decode(Image.open(io.BytesIO(locator.screenshot())))


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_desk_shows_a_qr_code_a_copy_button_and_a_printable_sheet(
    live_server, new_page, assert_accessible, settings, language
):
    text = TEXT[language]
    patient_language = OTHER[language]  # the sheet follows the patient, not the clinician
    settings.SITE_URL = live_server.url
    doctor = clinician(desk_clinic(), language)
    page = new_page(locale=text["locale"], viewport=DESKTOP)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    sign_in(page, live_server.url, doctor.email, PASSWORD)

    page.goto(f"{live_server.url}/clinic/patients/new/")
    page.locator("#id_name").fill("新井 花子")
    page.locator("#id_email").fill("hanako@example.jp")
    page.locator("#id_patient_number").fill("P-7001")
    page.locator("#id_language").select_option(patient_language)
    page.get_by_role("button", name=text["register_send"]).click()
    page.get_by_role("heading", name=text["invitation_sent"]).wait_for()
    assert_accessible(page)
    hanako = User.objects.get(email="hanako@example.jp")
    assert page.url == f"{live_server.url}/clinic/patients/{hanako.public_id}/invited/"

    link = page.get_by_label(re.compile("招待リンク|Invitation link")).input_value()
    assert link.startswith(f"{live_server.url}/accounts/invitation/")
    assert qr_texts(page.get_by_role("img", name=text["qr"])) == [link]

    page.get_by_role("button", name=text["copy"]).click()
    page.locator("[data-copy-status]").filter(has_text=text["copied"]).wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == link

    page.reload()  # registers nobody twice, shows the same link
    assert page.get_by_label(re.compile("招待リンク|Invitation link")).input_value() == link
    assert User.objects.filter(email="hanako@example.jp").count() == 1
    assert Invitation.objects.filter(user=hanako).count() == 1

    page.get_by_role("link", name=text["sheet"]).click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == patient_language
    assert (
        page.get_by_role("heading", level=1).inner_text() == TEXT[patient_language]["sheet_title"]
    )
    assert page.get_by_role("button", name=text["print"], exact=True).is_visible()
    assert_accessible(page)
    assert qr_texts(page.get_by_role("img", name=SHEET_QR[patient_language])) == [link]
    assert link in page.locator("main").inner_text()

    page.emulate_media(media="print")
    assert not page.locator(".sheet-toolbar").is_visible()
    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))
    assert len(pdf.pages) == 1  # one A4 page
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == A4_POINTS


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_show_password_button_shows_and_hides_both_fields(
    live_server, new_page, assert_accessible, language
):
    text = TEXT[language]
    clinic = desk_clinic()
    aiko = patient_register(
        clinic=clinic, email="aiko@example.jp", name="Aiko Tanaka", language=language
    )
    _invitation, token = invitation_create(user=aiko)
    phone = new_page(locale=text["locale"], viewport=PHONE)
    phone.goto(f"{live_server.url}/accounts/invitation/{token}/")
    assert_accessible(phone)
    rules = phone.locator("#id_new_password1_helptext").inner_text()
    assert text["rule"] in rules
    assert text["staff_rule"] not in phone.locator("main").inner_text()

    password = "sakura yama kawa 26"
    first, second = phone.locator("#id_new_password1"), phone.locator("#id_new_password2")
    first.fill(password)
    second.fill(password)
    assert first.get_attribute("type") == second.get_attribute("type") == "password"

    phone.get_by_role("button", name=text["show"]).click()
    assert first.get_attribute("type") == second.get_attribute("type") == "text"
    assert first.input_value() == second.input_value() == password
    assert phone.locator("[data-password-status]").inner_text() == text["shown"]
    hide = phone.get_by_role("button", name=text["hide"])
    assert hide.is_visible()
    assert_accessible(phone)

    hide.click()
    assert first.get_attribute("type") == second.get_attribute("type") == "password"
    phone.get_by_role("button", name=text["show"]).click()  # shown while saving: still works
    phone.get_by_role("button", name=text["start"]).click()
    phone.wait_for_url(f"{live_server.url}/diary/")
    aiko.refresh_from_db()
    assert aiko.check_password(password)


def test_without_javascript_the_desk_and_the_invitation_still_work(browser, live_server, settings):
    settings.SITE_URL = live_server.url
    doctor = clinician(desk_clinic(), "en")
    context = browser.new_context(java_script_enabled=False, locale="en-GB", viewport=DESKTOP)
    try:
        page = context.new_page()
        sign_in(page, live_server.url, doctor.email, PASSWORD)
        page.goto(f"{live_server.url}/clinic/patients/new/")
        page.locator("#id_name").fill("Aiko Tanaka")
        page.locator("#id_email").fill("aiko@example.jp")
        page.locator("#id_patient_number").fill("P-7002")
        page.locator("#id_language").select_option("en")
        page.get_by_role("button", name="Register and send invitation").click()
        page.get_by_role("heading", name="Invitation sent").wait_for()
        assert page.get_by_role("img", name="QR code of the invitation link").is_visible()
        assert not page.locator("button[data-copy-link]").is_visible()
        link = page.get_by_label("Invitation link").input_value()
        page.get_by_role("link", name=re.compile("Sheet to print")).click()
        assert not page.locator("button[data-print]").is_visible()
        assert "Ctrl+P" in page.locator("nav").inner_text()

        phone = context.new_page()
        phone.goto(link)
        assert not phone.locator("button[data-password-toggle]").is_visible()
        phone.locator("#id_new_password1").fill("sakura yama kawa 26")
        phone.locator("#id_new_password2").fill("sakura yama kawa 26")
        phone.get_by_role("button", name="Save password and start").click()
        phone.wait_for_url(f"{live_server.url}/diary/")
    finally:
        context.close()
