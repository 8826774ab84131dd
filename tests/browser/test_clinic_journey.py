"""Clinic journeys in Japanese and English, checked by axe-core on every page.

A clinician triages, acknowledges a fever, agrees a goal, opens the report and downloads the
PDF; the clinic admin then finds each of those looks in the access log. A clinician registers a
patient, who opens the invitation on a phone and chooses a first password.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from accounts.models import AccessLog, Clinic, User
from diary.models import Flag, Goal, Injection
from diary.selectors import clinic_today
from diary.services import entry_save
from tests.browser.people import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-Staff-Password-2026"
DESKTOP = {"width": 1280, "height": 900}

TEXT = {
    "ja": {
        "locale": "ja-JP",
        "sign_in": "ログイン",
        "called": "患者に電話した",
        "acknowledge": "対応済みにする",
        "agree_goal": "目標を設定",
        "ability": "動作（患者さんが 0–10 で評価）",
        "save": "保存",
        "report": "診察用レポート",
        "pdf": "PDF をダウンロード",
        "access_log": "アクセス記録",
        "apply": "適用",
        "register": "患者を登録",
        "register_send": "登録して招待を送る",
        "invitation_sent": "招待を送りました",
        "choose_password": "パスワードの設定",
        "start": "パスワードを保存して始める",
        "sign_out": "ログアウト",
    },
    "en": {
        "locale": "en-GB",
        "sign_in": "Sign in",
        "called": "Called the patient",
        "acknowledge": "Acknowledge",
        "agree_goal": "Agree a goal",
        "ability": "Ability (rated 0–10 by the patient)",
        "save": "Save",
        "report": "Visit report",
        "pdf": "Download PDF",
        "access_log": "Access log",
        "apply": "Apply",
        "register": "Register a patient",
        "register_send": "Register and send invitation",
        "invitation_sent": "Invitation sent",
        "choose_password": "Choose your password",
        "start": "Save password and start",
        "sign_out": "Sign out",
    },
}


def staff(clinic: Clinic, email: str, role: str, language: str) -> User:
    return User.objects.create_user(
        email, PASSWORD, name=email.split("@")[0].title(), role=role, clinic=clinic,
        language=language,
    )  # fmt: skip


def feverish_patient(clinic: Clinic) -> User:
    """Two days after a knee injection, today at 38.6 °C: an open urgent fever flag."""
    patient = User.objects.create_user(
        "fever@example.jp", None, name="Fever Patient", role="patient", clinic=clinic,
        patient_number="P-0042",
    )  # fmt: skip
    today = clinic_today(clinic)
    Injection.objects.create(
        patient=patient, day=today - timedelta(days=2), joint="knee", side="left", agent="prp"
    )
    values = {
        "pain": 6, "swelling": 2, "warmth": 2, "redness": "none", "weight_bearing": "full",
        "temperature_c": "38.6", "feverish": True, "unwell": False, "night_pain": None,
        "exercise_minutes": None, "painkiller": False, "notes": "",
    }  # fmt: skip
    entry_save(patient=patient, day=today, values=values, saved_by=patient)
    assert Flag.objects.get(patient=patient, code="fever").status == Flag.Status.OPEN
    return patient


@pytest.mark.parametrize("language", ["ja", "en"])
def test_clinician_journey_then_the_admin_reads_the_access_log(
    live_server, new_page, assert_accessible, language
):
    text = TEXT[language]
    clinic = Clinic.objects.create(name="Journey Clinic", phone="03-1234-5678")
    doctor = staff(clinic, "doctor-journey@example.jp", "clinician", language)
    admin = staff(clinic, "admin-journey@example.jp", "clinic_admin", language)
    patient = feverish_patient(clinic)
    page = new_page(locale=text["locale"], viewport=DESKTOP)

    # Triage: the feverish patient is first, in the urgent group.
    sign_in(page, live_server.url, doctor.email, PASSWORD, button=text["sign_in"])
    assert page.locator("html").get_attribute("lang") == language
    first = page.locator("tr.dashboard-row").first
    assert first.get_attribute("data-group") == "urgent"
    assert_accessible(page)

    # The patient page; acknowledge the fever with an action and a note.
    first.get_by_role("link", name=patient.name).click()
    assert_accessible(page)
    card = page.locator("[data-flag=fever][data-status=open]")
    card.locator("summary.flag-summary").click()  # the form is collapsed until used
    card.get_by_label(text["called"]).check()
    card.locator("textarea[name=note]").fill("Told to come in today")
    card.get_by_role("button", name=text["acknowledge"]).click()
    page.locator("[data-flag=fever][data-status=acknowledged]").wait_for()
    assert_accessible(page)
    fever = Flag.objects.get(patient=patient, code="fever")
    assert (fever.status, fever.action, fever.acknowledged_by) == ("acknowledged", "called", doctor)

    # Agree a goal with the patient.
    page.get_by_role("link", name=text["agree_goal"]).click()
    assert_accessible(page)
    page.get_by_label(text["ability"]).check()
    page.locator("#id_title").fill("Climb the stairs at home without a rail")
    page.locator("#id_baseline").fill("2")
    page.locator("#id_target").fill("7")
    page.get_by_role("button", name=text["save"], exact=True).click()
    page.get_by_text("Climb the stairs at home without a rail").first.wait_for()
    assert_accessible(page)
    goal = Goal.objects.get(patient=patient)
    assert (goal.kind, goal.baseline, goal.target, goal.created_by) == ("ability", 2, 7, doctor)
    assert goal.review_date > clinic_today(clinic)  # four weeks after the injection by default

    # The visit report and its PDF.
    page.get_by_role("link", name=text["report"], exact=True).click()
    assert_accessible(page)
    assert patient.name in page.locator("header.meta").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name=text["pdf"]).click()
    pdf = download.value
    assert pdf.suggested_filename.endswith(".pdf")
    with open(pdf.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    # The clinic admin finds each of those looks in the access log, and can filter it.
    admin_page = new_page(locale=text["locale"], viewport=DESKTOP)
    sign_in(admin_page, live_server.url, admin.email, PASSWORD, button=text["sign_in"])
    admin_page.get_by_role("link", name=text["access_log"]).click()
    assert_accessible(admin_page)
    logged = {
        row.get_attribute("data-action")
        for row in admin_page.locator("tr[data-action]").all()
        if doctor.name in row.inner_text()
    }
    assert {"view_patient", "view_report", "download_report"} <= logged
    admin_page.locator("#id_action").select_option("download_report")
    admin_page.get_by_role("button", name=text["apply"], exact=True).click()
    rows = admin_page.locator("tr[data-action]")
    assert rows.count() == 1 and rows.first.get_attribute("data-action") == "download_report"
    assert_accessible(admin_page)
    assert AccessLog.objects.filter(user=doctor, patient=patient).count() >= 3

    assert len(assert_accessible.paths) == 8


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_registered_patient_opens_the_invitation_and_chooses_a_password(
    live_server, new_page, assert_accessible, settings, language
):
    text = TEXT[language]
    settings.SITE_URL = live_server.url  # the address the invitation e-mail links to
    clinic = Clinic.objects.create(name="Journey Clinic", phone="03-1234-5678")
    doctor = staff(clinic, "doctor-invites@example.jp", "clinician", language)
    page = new_page(locale=text["locale"], viewport=DESKTOP)
    sign_in(page, live_server.url, doctor.email, PASSWORD, button=text["sign_in"])

    page.get_by_role("navigation").get_by_role("link", name=text["register"]).click()
    assert_accessible(page)
    page.locator("#id_name").fill("新井 花子")
    page.locator("#id_email").fill("hanako@example.jp")
    page.locator("#id_patient_number").fill("P-7001")
    page.locator("#id_birth_date").fill("1958-04-02")
    page.locator("#id_language").select_option(language)
    page.get_by_role("button", name=text["register_send"]).click()
    page.get_by_role("heading", name=text["invitation_sent"]).wait_for()
    assert_accessible(page)
    link = page.locator("input[readonly]").input_value()
    hanako = User.objects.get(email="hanako@example.jp")
    assert (hanako.clinic, hanako.role, hanako.has_usable_password()) == (clinic, "patient", False)

    # The patient opens the link on a phone and chooses a password.
    phone = new_page(locale=text["locale"])
    phone.goto(link)
    phone.get_by_role("heading", name=text["choose_password"]).wait_for()
    assert_accessible(phone)
    phone.locator("#id_new_password1").fill("hanako-Knee-2026!")
    phone.locator("#id_new_password2").fill("hanako-Knee-2026!")
    phone.get_by_role("button", name=text["start"]).click()
    phone.wait_for_url(f"{live_server.url}/diary/")
    assert phone.locator("html").get_attribute("lang") == language
    assert_accessible(phone)

    # The link worked once; the new password signs in.
    phone.get_by_role("button", name=text["sign_out"]).click()
    phone.goto(link)
    assert phone.get_by_role("heading", name=text["choose_password"]).count() == 0
    sign_in(
        phone, live_server.url, "hanako@example.jp", "hanako-Knee-2026!", button=text["sign_in"]
    )
    assert phone.url == f"{live_server.url}/diary/"
