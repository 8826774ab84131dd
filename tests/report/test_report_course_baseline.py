"""The report's "pain before the injection": the week before the course's first injection or,
with fewer than 3 entries there, the pain the clinician recorded with it (issue 15)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.factories import days_ago, make_daily_pain, make_goal, make_injection, make_patient
from tests.report import marked

pytestmark = pytest.mark.django_db

FIRST = days_ago(35)  # 2026-10-22, the 1st of 3
THIRD = FIRST + timedelta(weeks=2)  # 2026-11-05
REVIEW = THIRD + timedelta(days=14)  # 2026-11-19


@pytest.fixture(autouse=True)
def quick_chart(monkeypatch):
    monkeypatch.setattr(
        "diary.charts.symptom_chart",
        lambda **args: b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>',
    )


@pytest.fixture
def hanako(clinic, frozen_now):
    return make_patient("hanako.sato@example.jp", clinic=clinic, name="佐藤 花子")


def course_of_three(patient, *, baseline_pain=None):
    first = make_injection(
        patient, day=FIRST, course_number=1, course_total=3, baseline_pain=baseline_pain
    )
    make_injection(patient, day=FIRST + timedelta(weeks=1), course_number=2, course_total=3)
    third = make_injection(patient, day=THIRD, course_number=3, course_total=3)
    return first, third


def summary_row(content: str) -> tuple[str, str]:
    """The summary's label for the baseline and its value."""
    [value] = marked(content, "data-summary", "pain-baseline")
    label = content.split('data-summary="pain-baseline"')[0].rsplit("<dt>", 1)[1]
    return label.split("</dt>")[0].strip(), value.text


def report(client, patient) -> str:
    response = client.get(f"/clinic/patients/{patient.public_id}/report/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_goal_of_the_3rd_injection_is_judged_against_the_week_before_the_1st(
    clinician_client, hanako
):
    _first, third = course_of_three(hanako)
    make_goal(hanako, injection=third, kind="symptom", review_date=REVIEW)
    make_daily_pain(hanako, first=FIRST - timedelta(days=7), pains=[8] * 7)
    make_daily_pain(hanako, first=THIRD - timedelta(days=7), pains=[3] * 7)  # before the 3rd
    make_daily_pain(hanako, first=REVIEW - timedelta(days=6), pains=[2] * 7)
    label, value = summary_row(report(clinician_client, hanako))
    assert label == "2026-10-22 の注射前の痛み"
    assert value == "8.0 / 10 (7日間平均)"


def test_with_too_few_diary_days_the_recorded_pain_is_the_baseline(clinician_client, hanako):
    _first, third = course_of_three(hanako, baseline_pain=6)
    make_goal(hanako, injection=third, kind="symptom", review_date=REVIEW)
    make_daily_pain(hanako, first=FIRST - timedelta(days=2), pains=[9, 9])  # two days only
    make_daily_pain(hanako, first=REVIEW - timedelta(days=6), pains=[2] * 7)
    assert summary_row(report(clinician_client, hanako))[1] == "6.0 / 10 (注射時に記録)"


def test_before_any_goal_the_recorded_pain_of_the_first_injection_is_shown(
    clinician_client, clinician, hanako
):
    clinician.language = "en"
    clinician.save(update_fields=["language"])
    course_of_three(hanako, baseline_pain=6)
    label, value = summary_row(report(clinician_client, hanako))
    assert label == "Pain before the injection of 2026-10-22"
    assert value == "6.0 / 10 (recorded with the injection)"


def test_a_course_of_one_keeps_the_plain_label(clinician_client, hanako):
    make_injection(hanako, day=FIRST, baseline_pain=5)
    make_daily_pain(hanako, first=FIRST - timedelta(days=7), pains=[7] * 7)
    label, value = summary_row(report(clinician_client, hanako))
    assert label == "注射前の痛み"
    assert value == "7.0 / 10 (7日間平均)"  # the diary's week, not the recorded 5
