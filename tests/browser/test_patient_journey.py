"""A patient's whole journey on a phone, in Japanese and in English, checked by axe-core.

Sign in, rate this week's goal, log today and read the answer, see the history and the chart,
correct an earlier day, download their own data and open their report.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from decimal import Decimal

import pytest

from accounts.models import User
from diary.models import DiaryEntry, GlobalRating, Goal, GoalRating
from diary.selectors import clinic_today
from tests.browser.people import PASSWORD, patient_injected

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


TEXT = {
    "ja": {
        "locale": "ja-JP",
        "email": "メールアドレス",
        "password": "パスワード",
        "sign_in": "ログイン",
        "fill_in": "今日の日記をつける",
        "save": "保存",
        "save_ratings": "評価を保存",
        "saved": "保存しました",
        "nothing": "今日の回答では、すぐに連絡が必要なサインは見つかりませんでした。",
        "all_entries": "これまでの記録をすべて見る",
        "edit": "修正",
        "settings": "設定",
        "my_data": "わたしのデータ",
        "csv": "日記の記録（Excel用）",
        "json": "すべてのデータ（完全なコピー）",
        "report": "医師に見せるレポート",
    },
    "en": {
        "locale": "en-GB",
        "email": "E-mail address",
        "password": "Password",
        "sign_in": "Sign in",
        "fill_in": "Fill in today's diary",
        "save": "Save",
        "save_ratings": "Save ratings",
        "saved": "Saved",
        "nothing": "In today's answers we found no sign that needs a call right away.",
        "all_entries": "See all my entries",
        "edit": "Edit",
        "settings": "Settings",
        "my_data": "My data",
        "csv": "My diary entries, for Excel",
        "json": "Everything, as a complete copy",
        "report": "My report for the doctor",
    },
}


def patient_ten_days_after_an_injection(language: str) -> tuple[User, Goal]:
    """Nine logged days since a knee injection ten days ago, and an ability goal due a rating."""
    injection = patient_injected(f"journey-{language}@example.jp", language=language, days_ago=10)
    patient = injection.patient
    today = clinic_today(patient.clinic)
    for days_ago in range(9, 0, -1):
        DiaryEntry.objects.create(
            patient=patient,
            day=today - timedelta(days=days_ago),
            pain=min(7, 2 + days_ago // 2),
            swelling=1,
            warmth=0,
            redness="none",
            weight_bearing="full",
            temperature_c=Decimal("36.6"),
        )
    goal = Goal.objects.create(
        patient=patient,
        injection=injection,
        kind="ability",
        title="Walk to the station" if language == "en" else "駅まで歩く",
        baseline=Decimal("3"),
        target=Decimal("7"),
        review_date=injection.day + timedelta(days=28),
    )
    return patient, goal


@pytest.mark.parametrize("language", ["ja", "en"])
def test_patient_journey_on_a_phone(live_server, new_page, assert_accessible, language):
    text = TEXT[language]
    patient, goal = patient_ten_days_after_an_injection(language)
    today = clinic_today(patient.clinic)
    yesterday = today - timedelta(days=1)
    page = new_page(locale=text["locale"])

    # Sign in.
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page)
    page.get_by_label(text["email"]).fill(patient.email)
    page.get_by_label(text["password"]).fill(PASSWORD)
    page.get_by_role("button", name=text["sign_in"], exact=True).click()
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("[data-day-number]").get_attribute("data-day-number") == "10"
    assert_accessible(page)

    # This week's ratings, on the home page: the goal in the patient's words, and overall.
    ratings = page.locator("form.ratings-form")
    ratings.get_by_role("group", name=goal.title).get_by_text("5", exact=True).click()
    ratings.locator("label[for=id_overall_4]").click()
    ratings.get_by_role("button", name=text["save_ratings"]).click()
    page.locator(".alert-success").wait_for()
    assert GoalRating.objects.get(goal=goal, day=today).value == 5
    assert GlobalRating.objects.get(patient=patient, day=today).value == 4
    assert page.locator("form.ratings-form").count() == 0  # asked once a week, not again today

    # Log today and read the answer.
    page.get_by_role("link", name=text["fill_in"]).click()
    assert_accessible(page)
    form = page.locator("form.entry-form")
    form.locator("#div_id_pain").get_by_text("3", exact=True).click()
    form.locator("label[for=id_swelling_1]").click()
    form.locator("label[for=id_warmth_0]").click()
    form.locator("label[for=id_redness_0]").click()
    form.locator("label[for=id_weight_bearing_0]").click()
    form.locator("#id_temperature_c").fill("36.7")
    form.get_by_role("button", name=text["save"], exact=True).click()
    page.get_by_role("heading", name=text["saved"]).wait_for()
    assert text["nothing"] in page.locator("[data-flag=none]").inner_text()
    assert_accessible(page)
    entry = DiaryEntry.objects.get(patient=patient, day=today)
    assert (entry.pain, entry.swelling, str(entry.temperature_c)) == (3, 1, "36.7")

    # History with the chart and its data table.
    page.goto(f"{live_server.url}/diary/")
    page.get_by_role("link", name=text["all_entries"]).click()
    assert_accessible(page)
    charts = page.locator("figure.chart img")
    assert charts.count() == 2  # symptoms, and the goal's ratings
    for chart in charts.all():
        chart.scroll_into_view_if_needed()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=chart.element_handle()
        )
    page.locator("details.chart-table summary").click()
    assert page.locator("details.chart-table tbody tr").count() == 10
    assert page.locator(f"li[data-day='{today.isoformat()}'] [data-field=pain]").inner_text() == "3"

    # Correct yesterday: the day keeps one entry and its earlier version.
    before = DiaryEntry.objects.get(patient=patient, day=yesterday).pain
    page.locator(f"li[data-day='{yesterday.isoformat()}']").get_by_role(
        "link", name=text["edit"]
    ).click()
    assert_accessible(page)
    assert page.locator(f"#id_pain_{before}").is_checked()
    page.locator("#div_id_pain").get_by_text("1", exact=True).click()
    page.locator("form.entry-form").get_by_role("button", name=text["save"], exact=True).click()
    page.get_by_role("heading", name=text["saved"]).wait_for()
    corrected = DiaryEntry.objects.get(patient=patient, day=yesterday)
    assert corrected.pain == 1
    assert [version.data["pain"] for version in corrected.versions.all()] == [before]

    # Download their own data (on the settings page): the spreadsheet and everything as JSON.
    page.goto(f"{live_server.url}/diary/")
    page.get_by_role("link", name=text["settings"], exact=True).click()
    page.get_by_role("link", name=text["my_data"]).first.click()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=text["csv"]).click()
    rows = list(csv.reader(io.StringIO(download_text(download.value))))
    days = [row[0] for row in rows[1:]]
    assert today.isoformat() in days and yesterday.isoformat() in days
    with page.expect_download() as download:
        page.get_by_role("link", name=text["json"]).click()
    exported = json.loads(download_text(download.value))
    assert exported["patient"]["email"] == patient.email
    assert len(exported["diary_entries"]) == 10
    assert exported["goals"][0]["ratings"] == [{"day": today.isoformat(), "value": 5}]

    # Their report for the doctor.
    page.goto(f"{live_server.url}/diary/")
    page.get_by_role("link", name=text["report"]).click()
    assert page.get_by_role("heading", level=1).inner_text()
    assert_accessible(page)

    assert len(assert_accessible.paths) == 8


def download_text(download) -> str:
    with open(download.path(), encoding="utf-8-sig") as handle:
        return handle.read()
