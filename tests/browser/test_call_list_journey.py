"""Reaching the patient in real Chromium (issue 19), in Japanese and English: the clinician
finds a patient by kana typed in hiragana on the dashboard, opens the call list from the
clinic's menu, sees why to call and the numbers as tel: links, records "reached" with a note in
one step, finds the call in the patient's timeline, and acknowledges both of the patient's open
flags in one step with one action and one note. axe-core checks every page."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from accounts.models import AccessLog, Clinic, User
from diary.models import CallOutcome, Flag, Injection
from diary.selectors import clinic_today
from diary.services import entry_save
from tests.browser.people import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-Staff-Password-2026"
DESKTOP = {"width": 1366, "height": 900}
TEXT = {
    "ja": {
        "locale": "ja-JP",
        "search": "検索",
        "apply": "適用",
        "calls": "電話リスト",
        "reached": "つながった",
        "recorded": "電話の結果を記録しました",
        "timeline": "電話の記録",
        "several": "未対応の警告サイン2件をまとめて対応済みにする",
        "called": "患者に電話した",
        "acknowledge_chosen": "選んだ警告サインを対応済みにする",
        "acknowledged": "警告サイン2件を対応済みにしました。",
    },
    "en": {
        "locale": "en-GB",
        "search": "Search",
        "apply": "Apply",
        "calls": "Call list",
        "reached": "Reached",
        "recorded": "Call recorded",
        "timeline": "Calls",
        "several": "Acknowledge the 2 open flags in one step",
        "called": "Called the patient",
        "acknowledge_chosen": "Acknowledge the chosen flags",
        "acknowledged": "2 flags were acknowledged.",
    },
}
ENTRY = {
    "pain": 4, "swelling": 1, "warmth": 0, "redness": "none", "weight_bearing": "full",
    "temperature_c": Decimal("37.6"), "feverish": False, "unwell": False, "night_pain": None,
    "exercise_minutes": None, "painkiller": False, "notes": "",
}  # fmt: skip


def patients(clinic: Clinic) -> User:
    """Ichiro Suzuki, day 3 after a knee injection, unwell yesterday and 37.6 °C today: two
    cautions nobody has acknowledged. A second patient who must not match the search."""
    suzuki = User.objects.create_user(
        "suzuki@example.jp", None, name="鈴木 一郎", name_kana="スズキ\u3000イチロウ",
        role="patient", clinic=clinic, patient_number="P-0031", phone="090-1234-5678",
        phone2="03-5555-0000", phone2_label="長女",
    )  # fmt: skip
    User.objects.create_user(
        "sato@example.jp", None, name="佐藤 花子", name_kana="サトウ\u3000ハナコ", role="patient",
        clinic=clinic, patient_number="P-0032",
    )  # fmt: skip
    today = clinic_today(clinic)
    Injection.objects.create(
        patient=suzuki, day=today - timedelta(days=3),
        joint="knee", side="right", agent="hyaluronic_acid",
    )  # fmt: skip
    unwell = {**ENTRY, "temperature_c": None, "unwell": True}
    entry_save(patient=suzuki, day=today - timedelta(days=1), values=unwell, saved_by=suzuki)
    entry_save(patient=suzuki, day=today, values=ENTRY, saved_by=suzuki)
    flags = Flag.objects.filter(patient=suzuki, status="open").order_by("code")
    assert [(f.code, f.severity) for f in flags] == [("fever", "caution"), ("unwell", "caution")]
    return suzuki


@pytest.mark.parametrize("language", ["ja", "en"])
def test_find_by_kana_then_record_reached_from_the_call_list(
    live_server, new_page, assert_accessible, language
):
    text = TEXT[language]
    clinic = Clinic.objects.create(name="Journey Clinic", phone="03-1234-5678")
    doctor = User.objects.create_user(
        "doctor-calls@example.jp", PASSWORD, name="Dr. Calls", role="clinician", clinic=clinic,
        language=language,
    )  # fmt: skip
    suzuki = patients(clinic)
    page = new_page(locale=text["locale"], viewport=DESKTOP)
    sign_in(page, live_server.url, doctor.email, PASSWORD)

    # The dashboard: 「すずき」 in hiragana finds スズキ, and only him.
    page.get_by_label(text["search"], exact=False).fill("すずき")
    page.get_by_role("button", name=text["apply"]).click()
    page.wait_for_load_state()
    rows = page.locator("tr.dashboard-row")
    assert rows.count() == 1
    assert rows.first.get_by_role("link", name="鈴木 一郎").is_visible()
    assert "スズキ" in rows.first.inner_text()
    assert_accessible(page)

    # The call list, from the clinic's menu: why to call, day N and the numbers.
    page.get_by_role("navigation").get_by_role("link", name=text["calls"], exact=True).click()
    page.wait_for_load_state()
    row = page.locator(f"#to-call #call-{suzuki.public_id}")
    assert row.get_attribute("data-reason") == "caution"
    assert row.locator('a[href="tel:09012345678"]').is_visible()
    assert row.locator('a[href="tel:0355550000"]').is_visible()
    assert_accessible(page)

    # One step: a note, then the button that says how it went.
    row.locator("input[name=note]").fill("Will measure again tonight")
    row.get_by_role("button", name=text["reached"], exact=True).click()
    page.wait_for_load_state()
    assert text["recorded"] in page.locator("main").inner_text()
    assert page.locator(f"#to-call #call-{suzuki.public_id}").count() == 0
    called = page.locator(f"#called #call-{suzuki.public_id}")
    assert "Will measure again tonight" in called.inner_text()
    assert_accessible(page)

    outcome = CallOutcome.objects.get()
    assert (outcome.patient, outcome.by, outcome.result, outcome.reason) == (
        suzuki, doctor, "reached", "caution"
    )  # fmt: skip
    assert AccessLog.objects.filter(user=doctor, patient=suzuki, action="call_outcome").count() == 1

    # The patient page shows the call in its timeline.
    called.get_by_role("link", name="鈴木 一郎").click()
    page.wait_for_load_state()
    timeline = page.locator("#calls")
    assert text["timeline"] in timeline.inner_text()
    assert "Will measure again tonight" in timeline.inner_text()
    assert timeline.locator("[data-result=reached]").count() == 1
    assert_accessible(page)

    # Both open flags in one step: the form opens from its one line, both flags ticked.
    page.get_by_text(text["several"]).click()
    several = page.locator("#acknowledge-several form")
    boxes = several.locator("input[name=flags]")
    assert boxes.count() == 2
    assert all(boxes.nth(i).is_checked() for i in range(2))
    several.get_by_label(text["called"]).check()
    several.locator("textarea[name=note]").fill("Reached: both signs discussed, re-check tonight")
    several.get_by_role("button", name=text["acknowledge_chosen"]).click()
    page.wait_for_load_state()
    assert text["acknowledged"] in page.locator("main").inner_text()
    assert page.locator(".flag-card[data-status=acknowledged]").count() == 2
    assert page.locator(".flag-card[data-status=open]").count() == 0
    assert page.locator("#acknowledge-several").count() == 0
    assert_accessible(page)

    acknowledged = Flag.objects.filter(patient=suzuki).order_by("code")
    assert [(f.code, f.status, f.action, f.acknowledged_by, f.note) for f in acknowledged] == [
        (code, "acknowledged", "called", doctor, "Reached: both signs discussed, re-check tonight")
        for code in ("fever", "unwell")
    ]
    assert len({f.acknowledged_at for f in acknowledged}) == 1  # one step, one time
