"""A patient logs in on a phone, logs today, edits it and finds it in the history."""

from __future__ import annotations

from datetime import timedelta

import pytest

from accounts.models import Clinic, User
from diary.models import DiaryEntry, Injection
from diary.selectors import clinic_today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-Test-2026"

TEXT = {
    "ja": {
        "locale": "ja-JP",
        "sign_in": "ログイン",
        "fill_in": "今日の日記をつける",
        "save": "保存",
        "saved": "保存しました",
        "history": "履歴",
        "edit": "修正",
    },
    "en": {
        "locale": "en-GB",
        "sign_in": "Sign in",
        "fill_in": "Fill in today's diary",
        "save": "Save",
        "saved": "Saved",
        "history": "History",
        "edit": "Edit",
    },
}


def make_patient(language: str) -> User:
    clinic = Clinic.objects.create(name="Browser Clinic", phone="03-0000-0000")
    patient = User.objects.create_user(
        f"browser-{language}@example.jp",
        PASSWORD,
        name="Browser Patient",
        role=User.Role.PATIENT,
        clinic=clinic,
        language=language,
    )
    Injection.objects.create(
        patient=patient,
        day=clinic_today(clinic) - timedelta(days=4),
        joint="knee",
        side="left",
        agent="hyaluronic_acid",
    )
    return patient


@pytest.mark.parametrize("language", ["ja", "en"])
def test_patient_logs_today_edits_it_and_sees_it_in_history(live_server, new_page, language):
    text = TEXT[language]
    patient = make_patient(language)
    today = clinic_today(patient.clinic)
    page = new_page(locale=text["locale"])

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("メールアドレス" if language == "ja" else "E-mail address").fill(
        patient.email
    )
    page.get_by_label("パスワード" if language == "ja" else "Password").fill(PASSWORD)
    page.get_by_role("button", name=text["sign_in"], exact=True).click()
    assert page.locator("html").get_attribute("lang") == language

    page.get_by_role("link", name=text["fill_in"]).click()
    form = page.locator("form.entry-form")
    # Radio groups are labelled buttons: tap "4" for pain, then the segmented choices.
    form.locator("#div_id_pain").get_by_text("4", exact=True).click()
    form.locator("label[for=id_swelling_1]").click()
    form.locator("label[for=id_warmth_0]").click()
    form.locator("label[for=id_redness_0]").click()
    form.locator("label[for=id_weight_bearing_0]").click()
    form.locator("#id_temperature_c").fill("36.8")
    form.get_by_role("button", name=text["save"], exact=True).click()

    page.get_by_role("heading", name=text["saved"]).wait_for()
    entry = DiaryEntry.objects.get(patient=patient, day=today)
    assert (entry.pain, entry.swelling, str(entry.temperature_c)) == (4, 1, "36.8")

    # Edit the same day: pain goes down to 2; still one entry, the old values kept.
    page.goto(f"{live_server.url}/diary/entry/")
    page.locator("#div_id_pain").get_by_text("2", exact=True).click()
    page.locator("form.entry-form").get_by_role("button", name=text["save"], exact=True).click()
    page.get_by_role("heading", name=text["saved"]).wait_for()
    assert DiaryEntry.objects.filter(patient=patient).count() == 1
    assert DiaryEntry.objects.get(patient=patient, day=today).pain == 2
    assert DiaryEntry.objects.get(patient=patient, day=today).versions.count() == 1

    page.get_by_role("link", name=text["history"], exact=True).first.click()
    row = page.locator(f"li[data-day='{today.isoformat()}']")
    assert row.locator("[data-field=pain]").inner_text() == "2"
    assert row.get_by_role("link", name=text["edit"]).is_visible()
