"""What the visit report says (the print view, as the clinician opens it): who and when, the
injections, the summary and its verdicts, the red flags with the action taken, the daily table,
the patient's notes, and the options to discuss only when the course did not go as agreed.

Today is 2026-11-26. The course: an injection on 2026-10-22 (day 35 today), a week of diary
before it (the baseline week), a review on 2026-11-19 (four weeks later, a week ago).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from diary.models import DiaryEntry, FlagOccurrence
from tests.factories import (
    TODAY,
    days_ago,
    make_daily_pain,
    make_flag,
    make_goal,
    make_injection,
    make_patient,
    rate_goal,
    rate_overall,
)
from tests.report import marked
from tests.views.html import html_lang

pytestmark = pytest.mark.django_db

INJECTED = days_ago(35)  # 2026-10-22
REVIEW = INJECTED + timedelta(days=28)  # 2026-11-19
BASELINE_START = INJECTED - timedelta(days=7)  # 2026-10-15, where the default period starts
FOLLOW_UP_START = REVIEW - timedelta(days=6)  # 2026-11-13, the 7 days ending on the review
BETWEEN_DAYS = (FOLLOW_UP_START - INJECTED).days  # 22 days from the injection to that week
AFTER_DAYS = (TODAY - REVIEW).days  # 7 days after the review, up to today
DEFAULT_PERIOD_DAYS = (TODAY - BASELINE_START).days + 1  # 43

BASELINE_PAIN = (8, 8, 9, 9, 8, 8, 9)  # mean 8.43 -> "8.4"
FOLLOW_UP_PAIN = (2, 3, 2, 2, 3, 2, 2)  # mean 2.29 -> "2.3"
BETWEEN_PAIN = 4
AFTER_PAIN = 1  # after the review: must not count as the follow-up (that would read "1.0")

PATIENT_NAME = "佐藤 花子"
WALK = "Walk the whole shopping trip"  # make_goal's ability goal, 3 -> 7
NIGHT = "Night pain at most 3"  # make_goal's symptom goal (night pain), 6 -> 3

INVALID_PERIOD_JA = "指定された期間が正しくないため"
INVALID_PERIOD_EN = "The requested period was not valid"


@pytest.fixture(autouse=True)
def quick_chart(monkeypatch):
    """Drawing the chart takes most of a second and is tested on its own (tests/charts, and
    in the PDF tests); here a blank picture stands in for it."""
    monkeypatch.setattr(
        "diary.charts.symptom_chart",
        lambda **args: b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>',
    )


@pytest.fixture
def hanako(clinic, frozen_now):
    return make_patient(
        "hanako.sato@example.jp", clinic=clinic, name=PATIENT_NAME, patient_number="P-7"
    )


@pytest.fixture
def injection(hanako):
    return make_injection(
        hanako,
        day=INJECTED,
        joint="knee",
        side="left",
        agent="hyaluronic_acid",
        course_number=1,
        course_total=3,
        given_by="Dr. Yamada",
    )


def diary(patient, *, baseline=BASELINE_PAIN, follow_up=FOLLOW_UP_PAIN, night_pain=2):
    """43 days of diary: the baseline week, the weeks after the injection, the follow-up week
    ending on the review date, and the week since."""
    make_daily_pain(patient, first=BASELINE_START, pains=baseline, night_pain=6)
    make_daily_pain(patient, first=INJECTED, pains=[BETWEEN_PAIN] * BETWEEN_DAYS, night_pain=4)
    if follow_up:
        make_daily_pain(patient, first=FOLLOW_UP_START, pains=follow_up, night_pain=night_pain)
    make_daily_pain(
        patient, first=REVIEW + timedelta(days=1), pains=[AFTER_PAIN] * AFTER_DAYS, night_pain=1
    )


def note(patient, day, text: str) -> None:
    DiaryEntry.objects.filter(patient=patient, day=day).update(notes=text)


def report_url(patient, query: str = "") -> str:
    return f"/clinic/patients/{patient.public_id}/report/" + (f"?{query}" if query else "")


def in_language(user, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])


def get_report(client, patient, query: str = "") -> str:
    response = client.get(report_url(patient, query))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


def summary(content: str, name: str) -> str:
    [element] = marked(content, "data-summary", name)
    return element.text


def goal_statuses(content: str) -> dict[str, str]:
    """Each goal's title and its verdict (the `data-goal-status`)."""
    return {
        item.text.split(":")[0]: item.attrs["data-goal-status"]
        for item in marked(content, "data-goal-status")
    }


def responder(content: str) -> str:
    [element] = marked(content, "data-responder")
    return element.attrs["data-responder"]


def options_shown(content: str) -> bool:
    return bool(marked(content, "data-section", "options"))


# --- The course scenarios: goals, responder verdict, and whether to discuss other options ---


def responder_goals_met(patient, injection):
    diary(patient)
    walk = make_goal(patient, injection=injection)
    rate_goal(walk, day=REVIEW - timedelta(days=2), value=8)
    make_goal(patient, injection=injection, kind="symptom")


def no_response_goals_not_met(patient, injection):
    diary(patient, baseline=[5] * 7, follow_up=[5] * 7, night_pain=4)
    walk = make_goal(patient, injection=injection)
    rate_goal(walk, day=REVIEW - timedelta(days=2), value=3)
    make_goal(patient, injection=injection, kind="symptom")  # 6 -> 4: two points better


def no_response_goals_met(patient, injection):
    """Both goals reached, yet pain, function and the overall rating barely moved."""
    diary(patient, baseline=[5] * 7, follow_up=[5] * 7)
    walk = make_goal(patient, injection=injection, target=4)
    rate_goal(walk, day=REVIEW - timedelta(days=2), value=4)
    make_goal(patient, injection=injection, kind="symptom")
    rate_overall(patient, day=INJECTED - timedelta(days=3), value=5)
    rate_overall(patient, day=REVIEW - timedelta(days=1), value=5)


def responder_goal_only_improved(patient, injection):
    diary(patient)
    walk = make_goal(patient, injection=injection)
    rate_goal(walk, day=REVIEW - timedelta(days=2), value=5)  # 3 -> 5 of 7: improved
    make_goal(patient, injection=injection, kind="symptom")


def no_follow_up_week(patient, injection):
    diary(patient, follow_up=None)
    make_goal(patient, injection=injection, kind="symptom")


def before_the_review(patient, injection):
    diary(patient, baseline=[5] * 7, follow_up=[5] * 7, night_pain=6)
    walk = make_goal(patient, injection=injection, review_date=TODAY + timedelta(days=7))
    rate_goal(walk, day=days_ago(3), value=4)
    make_goal(patient, injection=injection, kind="symptom", review_date=TODAY + timedelta(days=7))


def no_goals(patient, injection):
    diary(patient, baseline=[5] * 7, follow_up=[5] * 7)


@pytest.mark.parametrize(
    ("scenario", "verdict", "goals", "options"),
    [
        (responder_goals_met, "yes", {WALK: "met", NIGHT: "met"}, False),
        (no_response_goals_not_met, "no", {WALK: "not_met", NIGHT: "improved"}, True),
        (no_response_goals_met, "no", {WALK: "met", NIGHT: "met"}, True),
        (responder_goal_only_improved, "yes", {WALK: "improved", NIGHT: "met"}, True),
        (no_follow_up_week, "unknown", {NIGHT: "no_data"}, False),
        (before_the_review, "none", {WALK: "in_progress", NIGHT: "in_progress"}, False),
        (no_goals, "none", {}, False),
    ],
    ids=lambda value: value.__name__ if callable(value) else None,
)
def test_the_verdicts_and_the_options_follow_the_course(
    clinician_client, hanako, injection, scenario, verdict, goals, options
):
    scenario(hanako, injection)
    content = get_report(clinician_client, hanako)
    assert responder(content) == verdict
    assert goal_statuses(content) == goals
    assert options_shown(content) is options


def test_the_header_names_the_patient_the_clinic_and_the_default_period(
    clinician_client, hanako, injection
):
    responder_goals_met(hanako, injection)
    content = get_report(clinician_client, hanako)
    assert f"{PATIENT_NAME}</bdi></strong> (P-7)" in content
    assert "Sakura Clinic" in content
    assert "電話 03-1111-2222" in content
    # The default period: the week before the latest injection until today.
    assert "期間：2026-10-15 〜 2026-11-26" in content
    assert "作成日 2026-11-26" in content
    assert INVALID_PERIOD_JA not in content
    assert 'value="2026-10-15"' in content and 'value="2026-11-26"' in content


def test_the_pages_security_policy_lets_the_print_view_show_its_chart_and_font(
    clinician_client, hanako, injection
):
    response = clinician_client.get(report_url(hanako))
    policy = {
        directive.split()[0]: directive.split()[1:]
        for directive in response["Content-Security-Policy"].split(";")
        if directive.strip()
    }
    assert "data:" in policy["img-src"]  # the chart is a data: URI
    assert "'self'" in policy["font-src"]  # /fonts/ipaexg.ttf
    assert "'self'" in policy["style-src"]  # /static/css/report.css
    assert 'style="' not in response.content.decode()  # no inline style the policy would block


def test_the_default_period_starts_a_week_before_the_latest_injection(
    clinician_client, hanako, injection
):
    diary(hanako)
    make_injection(hanako, day=days_ago(10), agent="corticosteroid")
    content = get_report(clinician_client, hanako)
    assert "期間：2026-11-09 〜 2026-11-26" in content
    assert marked(content, "data-day")[0].attrs["data-day"] == "2026-11-09"


def test_the_summary_shows_the_7_day_means_before_the_injection_and_at_the_review(
    clinician_client, hanako, injection
):
    responder_goals_met(hanako, injection)
    content = get_report(clinician_client, hanako)
    assert summary(content, "pain-baseline") == "8.4 / 10 (7日間平均)"
    assert summary(content, "pain-follow-up") == "2.3 / 10 (7日間平均)"
    assert summary(content, "responder") == "はい"


def test_a_summary_before_the_review_says_when_it_will_be_judged(
    clinician_client, hanako, injection
):
    before_the_review(hanako, injection)
    content = get_report(clinician_client, hanako)
    # Before the review: the latest 7-day mean, and the day the course will be judged.
    assert summary(content, "pain-follow-up") == "1.0 / 10 (7日間平均) · 評価予定日 2026-12-03"
    assert summary(content, "responder") == "評価日前のため未判定"


def test_each_goal_shows_its_verdict_its_target_and_where_it_stands(
    clinician_client, hanako, injection
):
    no_response_goals_not_met(hanako, injection)
    content = get_report(clinician_client, hanako)
    [walk] = marked(content, "data-goal-status", "not_met")
    [night] = marked(content, "data-goal-status", "improved")
    assert walk.text == f"{WALK}: × 未達成 (3 → 7; 現在 3.0)"
    assert night.text == f"{NIGHT}: ↗ 改善 (6 → 3; 現在 4.0)"
    assert summary(content, "responder") == "いいえ"


def test_the_injections_of_the_period_are_listed(clinician_client, hanako, injection):
    make_injection(hanako, day=days_ago(120), agent="corticosteroid", joint="hip")
    diary(hanako)
    content = get_report(clinician_client, hanako)
    assert "2026-10-22 · 膝 (左) · ヒアルロン酸 · 3 回中 1 回目 · Dr. Yamada" in content
    assert "ステロイド" not in content  # the injection four months ago is outside the period


def test_each_red_flag_shows_its_severity_status_and_the_action_taken(
    clinician_client, clinician, hanako, injection
):
    diary(hanako)
    fever = make_flag(
        hanako,
        code="fever",
        severity="urgent",
        first_day=INJECTED + timedelta(days=5),
        last_day=INJECTED + timedelta(days=6),
        acknowledged_by=clinician,
        action="called",
        note="CRP normal; re-check on Monday",
    )
    FlagOccurrence.objects.create(flag=fever, day=INJECTED + timedelta(days=5), severity="urgent")
    make_flag(hanako, code="not_easing", severity="caution", first_day=INJECTED + timedelta(days=9))
    make_flag(hanako, code="unwell", severity="caution", first_day=days_ago(2), status="withdrawn")
    make_flag(hanako, code="redness_spreading", severity="urgent", first_day=days_ago(90))

    content = get_report(clinician_client, hanako)

    rows = marked(content, "data-flag")
    assert [(r.attrs["data-flag"], r.attrs["data-severity"]) for r in rows] == [
        ("fever", "urgent"),
        ("not_easing", "caution"),
    ]
    fever_row, open_row = rows
    assert fever_row.cells == [
        "10/27–10/28",
        "▲ 至急 発熱",
        "対応済み",
        "患者に電話した · Dr. Taro Yamada · 2026-11-26 10:00 CRP normal; re-check on Monday",
    ]
    assert open_row.cells == ["10/31", "◆ 注意 改善しない", "未対応", "—"]
    # The day the fever fired carries the urgent marker in the daily table.
    [day_row] = marked(content, "data-day", "2026-10-27")
    assert day_row.cells[-1] == "▲"


def test_a_period_without_flags_says_so(clinician_client, hanako, injection):
    diary(hanako)
    content = get_report(clinician_client, hanako)
    assert not marked(content, "data-flag")
    assert "この期間に警告サインはありません。" in content


def test_the_daily_table_has_one_row_per_diary_day_with_its_values(
    clinician_client, hanako, injection
):
    responder_goals_met(hanako, injection)
    DiaryEntry.objects.filter(patient=hanako, day=INJECTED + timedelta(days=2)).update(
        swelling=2, warmth=1, redness="present", weight_bearing="painful", temperature_c=None
    )
    content = get_report(clinician_client, hanako)
    rows = marked(content, "data-day")
    days = [row.attrs["data-day"] for row in rows]
    assert len(rows) == DEFAULT_PERIOD_DAYS
    assert days == sorted(days)  # oldest first
    assert days[0] == "2026-10-15" and days[-1] == "2026-11-26"
    first, injection_day, day_two = rows[0], rows[7], rows[9]
    assert first.cells == ["10/15", "8", "1", "0", "なし", "はい、普通にかけられる", "36.8", ""]
    assert injection_day.cells[:2] == ["10/22 (注射当日)", str(BETWEEN_PAIN)]
    assert day_two.cells[0] == "10/24 (注射後2日目)"
    assert day_two.cells[2:7] == ["2", "1", "あり", "かけられるが痛い", "—"]


def test_the_patients_notes_are_listed_by_day(clinician_client, hanako, injection):
    diary(hanako)
    note(hanako, INJECTED + timedelta(days=1), "膝が少し熱い。夜は眠れた。")
    note(hanako, INJECTED + timedelta(days=4), "Walked to the station today")
    content = get_report(clinician_client, hanako)
    notes = marked(content, "class", "notes-list")
    assert len(notes) == 1
    assert notes[0].text == "10/23 膝が少し熱い。夜は眠れた。 10/26 Walked to the station today"


def test_without_notes_the_report_says_so(clinician_client, hanako, injection):
    diary(hanako)
    content = get_report(clinician_client, hanako)
    assert "この期間のメモはありません。" in content


def test_a_requested_period_is_shown_with_only_its_days_notes_and_flags(
    clinician_client, hanako, injection
):
    diary(hanako)
    note(hanako, days_ago(20), "inside the period")
    note(hanako, days_ago(5), "after the period")
    make_flag(hanako, code="not_easing", severity="caution", first_day=days_ago(25))
    make_flag(hanako, code="fever", severity="caution", first_day=days_ago(3))

    content = get_report(clinician_client, hanako, "from=2026-11-01&to=2026-11-10")

    assert "期間：2026-11-01 〜 2026-11-10" in content
    assert INVALID_PERIOD_JA not in content
    days = [row.attrs["data-day"] for row in marked(content, "data-day")]
    assert days == [f"2026-11-{n:02d}" for n in range(1, 11)]
    assert "inside the period" in content and "after the period" not in content
    assert [row.attrs["data-flag"] for row in marked(content, "data-flag")] == ["not_easing"]
    assert "report.pdf?from=2026-11-01&amp;to=2026-11-10" in content


@pytest.mark.parametrize(
    ("query", "period"),
    [
        ("from=2026-11-20", "2026-11-20 〜 2026-11-26"),  # until today
        (f"from={(TODAY - timedelta(days=179)).isoformat()}&to=2026-11-26", "2026-05-31 〜"),
    ],
    ids=["only-from", "180-days"],
)
def test_a_partial_or_a_180_day_period_is_accepted(
    clinician_client, hanako, injection, query, period
):
    diary(hanako)
    content = get_report(clinician_client, hanako, query)
    assert f"期間：{period}" in content
    assert INVALID_PERIOD_JA not in content


@pytest.mark.parametrize(
    "query",
    [
        "from=2026-11-31&to=2026-12-01",  # not a date
        "from=yesterday",
        "from=2026-11-20&to=2026-11-10",  # ends before it starts
        "from=2026-11-20&to=2026-11-27",  # tomorrow
        f"from={(TODAY - timedelta(days=180)).isoformat()}&to=2026-11-26",  # 181 days
    ],
)
def test_an_invalid_period_falls_back_to_the_default_with_a_warning(
    clinician_client, hanako, injection, query
):
    diary(hanako)
    content = get_report(clinician_client, hanako, query)
    assert "期間：2026-10-15 〜 2026-11-26" in content
    [warning] = marked(content, "role", "alert")
    assert warning.text.startswith(INVALID_PERIOD_JA)
    assert len(marked(content, "data-day")) == DEFAULT_PERIOD_DAYS


def test_the_period_warning_is_in_english_for_an_english_reader(
    clinician_client, clinician, hanako, injection
):
    diary(hanako)
    in_language(clinician, "en")
    content = get_report(clinician_client, hanako, "from=2026-11-20&to=2026-11-10")
    assert "Period: 2026-10-15 – 2026-11-26" in content
    [warning] = marked(content, "role", "alert")
    assert warning.text.startswith(INVALID_PERIOD_EN)


def test_the_options_to_discuss_name_each_alternative(
    clinician_client, clinician, hanako, injection
):
    no_response_goals_not_met(hanako, injection)
    in_language(clinician, "en")
    content = get_report(clinician_client, hanako)
    [options] = marked(content, "data-section", "options")
    text = options.text
    assert text.startswith("Options to discuss")
    for alternative in (
        "Re-check the cause",
        "Exercise therapy",
        "Weight control",
        "Bracing or insoles",
        "medication review",
        "referral to a specialist",
    ):
        assert alternative in text


# --- Both languages -------------------------------------------------------------------------

JAPANESE = {
    "headings": [
        "<h1>診察用レポート</h1>",
        "<h2>注射</h2>",
        ">概要</h2>",
        "<h2>症状のグラフ</h2>",
        "<h2>警告サインと対応</h2>",
        "<h2>検討する選択肢</h2>",
        "<h2>日ごとの記録</h2>",
        "<h2>患者さんのメモ</h2>",
    ],
    "words": ["注射前の痛み", "評価時の痛み", "いいえ", "未達成", "患者に電話した"],
}
ENGLISH = {
    "headings": [
        "<h1>Visit report</h1>",
        "<h2>Injections</h2>",
        ">Summary</h2>",
        "<h2>Symptom chart</h2>",
        "<h2>Red flags and action taken</h2>",
        "<h2>Options to discuss</h2>",
        "<h2>Daily entries</h2>",
        "<h2>The patient's notes</h2>",
    ],
    "words": [
        "Pain before the injection",
        "Pain at the review",
        "Not met",
        "Called the patient",
        "Knee (Left) · Hyaluronic acid",
    ],
}


@pytest.mark.parametrize(
    ("language", "expected", "other"),
    [("ja", JAPANESE, ENGLISH), ("en", ENGLISH, JAPANESE)],
    ids=["ja", "en"],
)
def test_the_report_is_in_the_clinicians_language(
    clinician_client, clinician, hanako, injection, language, expected, other
):
    no_response_goals_not_met(hanako, injection)
    make_flag(
        hanako,
        code="fever",
        severity="urgent",
        first_day=INJECTED + timedelta(days=5),
        acknowledged_by=clinician,
        action="called",
    )
    in_language(clinician, language)
    content = get_report(clinician_client, hanako)
    assert html_lang(content) == language
    for text in expected["headings"] + expected["words"]:
        assert text in content
    for text in other["headings"]:
        assert text not in content
