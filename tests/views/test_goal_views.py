"""Goals: the clinician agrees and edits them; patient and clinician see their progress and, from
the review date on, the verdict in plain words (English and Japanese)."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest

from diary.models import Goal
from tests.factories import (
    clinic_morning,
    days_ago,
    goal_form_data,
    make_entries,
    make_goal,
    make_injection,
    rate_goal,
    rate_overall,
)
from tests.views.html import element_text, field_error, input_value

pytestmark = pytest.mark.django_db

INJECTED = date(2026, 11, 21)  # Hanako's injection, 5 days before today (2026-11-26)
REVIEW = date(2026, 12, 19)  # four weeks later
TITLE = "Walk to the station without stopping"


def in_language(user, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])


@pytest.fixture(autouse=True)
def english(patient, clinician):
    in_language(patient, "en")
    in_language(clinician, "en")


@pytest.fixture
def injection(patient):
    injection = patient.injections.get()
    assert injection.day == INJECTED
    return injection


def goals_url(patient, goal=None) -> str:
    base = f"/clinic/patients/{patient.public_id}/goals/"
    return f"{base}{goal.pk}/edit/" if goal else f"{base}new/"


def selected_options(content: bytes, name: str) -> list[str]:
    """The values of the selected options of the <select> named `name`."""
    text = content.decode()
    select = re.search(rf'<select name="{name}".*?</select>', text, re.S).group(0)
    return re.findall(r'<option value="([^"]*)" selected>', select)


# --- The clinician agrees a goal ------------------------------------------------------------


def test_a_new_goal_is_for_the_latest_injection_and_reviewed_four_weeks_after_it(
    clinician_client, patient, injection
):
    older = make_injection(patient, day=days_ago(60), agent="corticosteroid")
    response = clinician_client.get(goals_url(patient))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Agree a goal" in content
    assert "Hanako Sato" in content
    assert input_value(response.content, "review_date") == "2026-12-19"
    assert selected_options(response.content, "injection") == [str(injection.pk)]
    assert f'<option value="{older.pk}">' in content


def test_without_an_injection_the_review_is_four_weeks_from_today(clinician_client, other_patient):
    response = clinician_client.get(goals_url(other_patient))
    assert input_value(response.content, "review_date") == "2026-12-24"
    assert selected_options(response.content, "injection") == [""]


def test_the_clinician_agrees_an_ability_goal(clinician_client, clinician, patient, injection):
    response = clinician_client.post(goals_url(patient), goal_form_data(injection, title=TITLE))
    assert response.status_code == 302
    assert response["Location"] == f"/clinic/patients/{patient.public_id}/#goals"
    goal = Goal.objects.get()
    assert (goal.patient, goal.injection, goal.created_by) == (patient, injection, clinician)
    assert (goal.kind, goal.title, goal.measure) == ("ability", TITLE, "")
    assert (goal.baseline, goal.target, goal.review_date) == (
        Decimal("3.0"),
        Decimal("7.0"),
        REVIEW,
    )
    page = clinician_client.get(response["Location"]).content.decode()
    assert "The goal was saved." in page
    assert TITLE in element_text(page, "goals")


def test_the_clinician_agrees_a_symptom_goal(clinician_client, patient, injection):
    data = goal_form_data(
        injection, kind="symptom", title="Night pain at most 3", measure="night_pain",
        baseline="6", target="3", review_date="2027-01-10",
    )  # fmt: skip
    assert clinician_client.post(goals_url(patient), data).status_code == 302
    goal = Goal.objects.get()
    assert (goal.kind, goal.measure, goal.target) == ("symptom", "night_pain", Decimal("3.0"))
    assert goal.review_date == date(2027, 1, 10)


def test_the_clinic_administrator_may_agree_a_goal_too(clinic_admin_client, patient, injection):
    response = clinic_admin_client.post(goals_url(patient), goal_form_data(injection))
    assert response.status_code == 302
    assert Goal.objects.filter(patient=patient).count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"kind": "symptom", "baseline": "6", "target": "3"}, "measure",
         "Choose the diary measure this goal follows."),
        ({"target": "2"}, "target", "An ability goal's target must be above its baseline."),
        ({"kind": "symptom", "measure": "pain", "target": "8"}, "target",
         "A symptom goal's target must be below its baseline."),
        ({"kind": "symptom", "measure": "swelling", "baseline": "5", "target": "2"}, "baseline",
         "Swelling and warmth are rated 0–3."),
        ({"title": ""}, "title", "This field is required."),
    ],
)  # fmt: skip
def test_an_invalid_goal_is_explained_and_nothing_is_saved(
    clinician_client, patient, injection, overrides, field, message
):
    response = clinician_client.post(goals_url(patient), goal_form_data(injection, **overrides))
    assert response.status_code == 200
    assert message in field_error(response.content, field)
    assert not Goal.objects.exists()


def test_only_the_patients_own_injections_can_be_chosen(
    clinician_client, patient, other_patient, injection
):
    theirs = make_injection(other_patient, day=days_ago(3))
    response = clinician_client.post(goals_url(patient), goal_form_data(theirs))
    assert response.status_code == 200
    assert "Select a valid choice" in field_error(response.content, "injection")
    assert f'<option value="{theirs.pk}"' not in response.content.decode()
    assert not Goal.objects.exists()


def test_a_sixth_goal_for_the_course_gets_a_form_error(clinician_client, patient, injection):
    for n in range(5):
        make_goal(patient, injection=injection, title=f"Goal {n}")
    response = clinician_client.post(
        goals_url(patient), goal_form_data(injection, title="One too many")
    )
    assert response.status_code == 200
    alert = re.search(
        r'<div class="alert alert-danger"[^>]*>(.*?)</div>', response.content.decode()
    )
    assert alert.group(1).strip() == "An injection course has at most 5 goals."
    assert Goal.objects.filter(patient=patient).count() == 5
    assert not Goal.objects.filter(title="One too many").exists()


def test_the_clinician_edits_a_goal(clinician_client, clinician, patient, injection):
    goal = make_goal(patient, injection=injection, title="Walk", created_by=clinician)
    page = clinician_client.get(goals_url(patient, goal))
    assert page.status_code == 200
    assert "Edit goal" in page.content.decode()
    assert input_value(page.content, "title") == "Walk"
    assert input_value(page.content, "review_date") == "2026-12-19"
    data = goal_form_data(injection, title="Walk to the station", target="8")
    response = clinician_client.post(goals_url(patient, goal), data)
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.title, goal.target) == ("Walk to the station", Decimal("8.0"))
    assert Goal.objects.count() == 1


def test_one_of_five_goals_can_be_edited(clinician_client, patient, injection):
    goals = [make_goal(patient, injection=injection, title=f"Goal {n}") for n in range(5)]
    data = goal_form_data(injection, title="Climb the stairs")
    assert clinician_client.post(goals_url(patient, goals[2]), data).status_code == 302
    assert Goal.objects.get(pk=goals[2].pk).title == "Climb the stairs"


def test_an_invalid_edit_changes_nothing(clinician_client, patient, injection):
    goal = make_goal(patient, injection=injection, title="Walk")
    response = clinician_client.post(
        goals_url(patient, goal), goal_form_data(injection, target="1")
    )
    assert response.status_code == 200
    assert Goal.objects.get(pk=goal.pk).target == Decimal("7.0")


def test_another_patients_goal_is_not_found_under_this_patient(
    clinician_client, patient, other_patient
):
    theirs = make_goal(other_patient, title="Their goal")
    assert clinician_client.get(goals_url(patient, theirs)).status_code == 404
    response = clinician_client.post(goals_url(patient, theirs), goal_form_data(title="Mine now"))
    assert response.status_code == 404
    assert Goal.objects.get(pk=theirs.pk).title == "Their goal"


# --- Who must not agree or edit goals ---------------------------------------------------------


@pytest.mark.parametrize("page", ["new", "edit"])
def test_a_clinician_of_another_clinic_gets_not_found(
    other_clinician_client, patient, injection, page
):
    goal = make_goal(patient, injection=injection, title="Walk")
    url = goals_url(patient, goal if page == "edit" else None)
    get = other_clinician_client.get(url)
    assert get.status_code == 404
    assert b"Hanako Sato" not in get.content
    post = other_clinician_client.post(url, goal_form_data(injection, title="Changed"))
    assert post.status_code == 404
    assert list(Goal.objects.values_list("title", flat=True)) == ["Walk"]


@pytest.mark.parametrize("page", ["new", "edit"])
def test_a_patient_gets_not_found_on_the_clinic_goal_pages(
    patient_client, patient, injection, page
):
    goal = make_goal(patient, injection=injection, title="Walk")
    url = goals_url(patient, goal if page == "edit" else None)
    assert patient_client.get(url).status_code == 404
    assert patient_client.post(url, goal_form_data(injection, title="Mine")).status_code == 404
    assert list(Goal.objects.values_list("title", flat=True)) == ["Walk"]


@pytest.mark.parametrize("page", ["new", "edit"])
def test_an_anonymous_visitor_is_sent_to_sign_in(client, patient, injection, page):
    goal = make_goal(patient, injection=injection, title="Walk")
    url = goals_url(patient, goal if page == "edit" else None)
    response = client.post(url, goal_form_data(injection, title="Changed"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert list(Goal.objects.values_list("title", flat=True)) == ["Walk"]


# --- Progress before the review date ---------------------------------------------------------


def test_the_patients_home_shows_each_goals_progress(patient_client, patient, injection):
    walk = make_goal(patient, injection=injection, title=TITLE)
    make_goal(patient, injection=injection, kind="symptom", title="Night pain at most 3")
    rate_goal(walk, day=days_ago(1), value=5)
    response = patient_client.get("/diary/")
    content = response.content.decode()
    assert 'data-reviewed="false"' in content
    assert "Review date: 2026-12-19" in content
    statuses = re.findall(r'data-goal-status="([a-z_]+)"', content)
    assert statuses == ["in_progress", "no_data"]
    assert TITLE in content
    assert "In progress" in content
    assert 'aria-valuenow="50"' in content
    assert "data-responder" not in content  # no verdict before the review date


def test_history_shows_the_goals_too(patient_client, patient, injection):
    make_goal(patient, injection=injection, title=TITLE)
    content = patient_client.get("/diary/history/").content.decode()
    assert TITLE in content
    assert 'data-goal-status="no_data"' in content


def test_the_clinician_sees_the_goals_on_the_patient_page(clinician_client, patient, injection):
    goal = make_goal(patient, injection=injection, title=TITLE)
    content = clinician_client.get(f"/clinic/patients/{patient.public_id}/").content.decode()
    goals = content.split('id="goals"', 1)[1]
    assert TITLE in goals
    assert 'data-goal-status="no_data"' in goals
    assert f'href="{goals_url(patient, goal)}"' in goals
    assert f'href="{goals_url(patient)}"' in goals


def test_without_goals_the_patient_sees_no_goal_card(patient_client):
    content = patient_client.get("/diary/").content.decode()
    assert "data-goal-status" not in content
    assert 'id="goals-heading"' not in content


# --- The verdict from the review date on ----------------------------------------------------


def reviewed_course(
    patient, *, pain=(7, 2), rating=8, overall=(8, 2), review=REVIEW, injection_day=INJECTED
):
    """An ability goal 3 → 7 with its rating at the review, a pain week before the injection and
    one up to the review, and the overall rating at both ends. None leaves a part out."""
    goal = make_goal(patient, injection=patient.injections.get(), title=TITLE, review_date=review)
    pain_before, pain_after = pain
    if pain_before is not None:
        make_entries(patient, first=injection_day - timedelta(days=7), count=7, pain=pain_before)
    make_entries(patient, first=review - timedelta(days=6), count=7, pain=pain_after)
    rate_goal(goal, day=review, value=rating)
    if overall is not None:
        rate_overall(patient, day=injection_day - timedelta(days=1), value=overall[0])
        rate_overall(patient, day=review, value=overall[1])
    return goal


SCENARIOS = {
    # responder: pain 7 → 2, the goal met
    "yes": ({}, "met"),
    # nothing improved
    "no": ({"pain": (6, 6), "rating": 3, "overall": (7, 7)}, "not_met"),
    # no pain entries in the week before the injection
    "unknown": ({"pain": (None, 2), "rating": 4, "overall": (7, 6)}, "not_met"),
    # no overall ratings at all; pain 6 → 5 and the goal 3 → 5 are not enough on their own
    "unknown_global": ({"pain": (6, 5), "rating": 5, "overall": None}, "improved"),
}

# The patient reads the verdict in plain words; the OMERACT-OARSI criteria are named only for
# the clinician (issue 15). Dates are those of the 7-day windows: 11-14 … 11-20 before the
# injection of 11-21, 12-13 … 12-19 up to the review.
EXPECTED = {
    ("yes", "en"): [
        "Your pain or daily activities improved clearly, by the measure usually used in research.",
        "Goals met: 1 of 1.",
        "Pain (7-day mean): 7.0 before the injection of November 21, 2.0 at the review.",
    ],
    ("yes", "ja"): [
        "研究でよく使われる基準で見ると、痛みや日常の動作ははっきり良くなっています。",
        "達成した目標：1 個中 1 個。",
        "痛み（7日間平均）：11月21日の注射の前 7.0、評価時 2.0。",
    ],
    ("no", "en"): [
        "By the measure usually used in research, your pain, daily activities and overall rating "
        "did not improve enough to call it a clear improvement.",
        "Please talk with your doctor at your next visit about what to try next.",
        "Goals met: 0 of 1.",
        "Pain (7-day mean): 6.0 before the injection of November 21, 6.0 at the review.",
    ],
    ("no", "ja"): [
        "はっきり良くなったといえるほどには改善していません。",
        "次の受診のときに医師と相談してください。",
    ],
    ("unknown", "en"): [
        "There is not enough data to judge the change by the measure usually used in research.",
        "Fewer than 3 days of diary entries in the week before the first injection of this "
        "course (November 14 – November 20).",
    ],
    ("unknown", "ja"): [
        "研究でよく使われる基準で判定するには、記録が足りません。",
        "今回の注射コースの最初の注射の前の1週間（11月14日～11月20日）に、"
        "日記の記録が3日分に足りません。",
    ],
    ("unknown_global", "en"): [
        "There is not enough data to judge the change by the measure usually used in research.",
        "There are no weekly “How is your joint overall?” ratings.",
    ],
    ("unknown_global", "ja"): [
        "週1回の「関節の調子は全体としてどうですか？」の評価がありません。",
    ],
}

STATUS_LABELS = {
    ("met", "en"): "Met",
    ("met", "ja"): "達成",
    ("not_met", "en"): "Not met",
    ("not_met", "ja"): "未達成",
    ("improved", "en"): "Improved",
    ("improved", "ja"): "改善",
}


def verdict(content: bytes) -> tuple[str, str]:
    """The verdict box's data-responder value and its text, whitespace collapsed."""
    match = re.search(
        r'<div class="verdict[^"]*" data-responder="([a-z]+)">(.*?)</div>', content.decode(), re.S
    )
    assert match, "no verdict on the page"
    text = re.sub(r"<[^>]+>", " ", match.group(2))
    return match.group(1), re.sub(r"\s+", " ", text).strip()


def goal_badge(content: bytes) -> str:
    """The text of the first goal's status badge."""
    badge = re.search(r'<span class="badge goal-status[^"]*">([^<]*)</span>', content.decode())
    return re.sub(r"\s+", " ", badge.group(1)).strip()


def at_the_review(time_machine, client, user, day=REVIEW):
    time_machine.move_to(clinic_morning(day), tick=False)
    client.force_login(user)  # weeks later: the earlier session has expired


@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_from_the_review_date_the_patient_sees_the_verdict(
    patient_client, patient, time_machine, scenario, language
):
    overrides, status = SCENARIOS[scenario]
    reviewed_course(patient, **overrides)
    in_language(patient, language)
    at_the_review(time_machine, patient_client, patient)
    response = patient_client.get("/diary/")
    content = response.content
    assert 'data-reviewed="true"' in content.decode()
    responder, text = verdict(content)
    assert responder == scenario.removesuffix("_global")
    for expected in EXPECTED[(scenario, language)]:
        assert expected in text
    assert re.findall(r'data-goal-status="([a-z_]+)"', content.decode()) == [status]
    assert goal_badge(content).endswith(STATUS_LABELS[(status, language)])


def test_the_unknown_verdict_gives_only_the_missing_reasons(patient_client, patient, time_machine):
    reviewed_course(patient, pain=(None, 2), rating=4, overall=(7, 6))
    at_the_review(time_machine, patient_client, patient)
    _responder, text = verdict(patient_client.get("/diary/").content)
    assert "How is your joint overall" not in text
    assert "up to the review date" not in text
    assert "Pain (7-day mean)" not in text  # no baseline to compare with


def test_the_verdict_stays_after_the_review_date(patient_client, patient, time_machine):
    reviewed_course(patient)
    at_the_review(time_machine, patient_client, patient, day=REVIEW + timedelta(days=20))
    responder, text = verdict(patient_client.get("/diary/").content)
    assert responder == "yes"
    assert "Pain (7-day mean): 7.0 before the injection of November 21, 2.0 at the review." in text


def test_history_shows_the_verdict(patient_client, patient, time_machine):
    reviewed_course(patient, pain=(6, 6), rating=3, overall=(7, 7))
    at_the_review(time_machine, patient_client, patient)
    content = patient_client.get("/diary/history/").content
    assert verdict(content)[0] == "no"
    assert 'data-goal-status="not_met"' in content.decode()


@pytest.mark.parametrize(
    ("scenario", "language", "expected"),
    [
        ("yes", "en", "The injection met the OMERACT-OARSI responder criteria"),
        ("no", "ja", "OMERACT-OARSI の反応基準を満たしませんでした"),
        (
            "unknown",
            "en",
            "Fewer than 3 diary entries in the 7 days before the first injection of the course "
            "(November 14 – November 20), and no pain before the injection recorded with it.",
        ),
    ],
)
def test_the_clinician_sees_the_verdict_on_the_patient_page(
    clinician_client, clinician, patient, time_machine, scenario, language, expected
):
    overrides, status = SCENARIOS[scenario]
    reviewed_course(patient, **overrides)
    in_language(clinician, language)
    at_the_review(time_machine, clinician_client, clinician)
    response = clinician_client.get(f"/clinic/patients/{patient.public_id}/")
    assert response.status_code == 200
    responder, text = verdict(response.content)
    assert responder == scenario
    assert expected in text
    assert f'data-goal-status="{status}"' in response.content.decode()


def test_the_day_before_the_review_there_is_no_verdict_yet(patient_client, patient, time_machine):
    goal = reviewed_course(patient)
    rate_goal(goal, day=REVIEW - timedelta(days=1), value=6)
    at_the_review(time_machine, patient_client, patient, day=REVIEW - timedelta(days=1))
    content = patient_client.get("/diary/").content.decode()
    assert "data-responder" not in content
    assert 'data-goal-status="in_progress"' in content


# --- Plain words for the patient, the research criteria for the clinician (issue 15) ----------


@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize("page", ["/diary/", "/diary/history/"])
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_no_patient_page_names_the_omeract_oarsi_criteria(
    patient_client, patient, time_machine, scenario, page, language
):
    overrides, _status = SCENARIOS[scenario]
    reviewed_course(patient, **overrides)
    in_language(patient, language)
    at_the_review(time_machine, patient_client, patient)
    content = patient_client.get(page).content
    assert verdict(content)[0] == scenario.removesuffix("_global")  # the verdict is shown
    assert "OMERACT" not in content.decode()
    assert "OARSI" not in content.decode()


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_the_clinician_page_still_names_the_omeract_oarsi_criteria(
    clinician_client, clinician, patient, time_machine, scenario
):
    overrides, _status = SCENARIOS[scenario]
    reviewed_course(patient, **overrides)
    at_the_review(time_machine, clinician_client, clinician)
    content = clinician_client.get(f"/clinic/patients/{patient.public_id}/").content
    assert "OMERACT-OARSI" in verdict(content)[1]


# --- "Not enough data" says which data is missing ----------------------------------------------


def course_of_four(patient):
    """Hanako's injection of 11-21 becomes the 1st of 4, one a week; returns the 4th (12-12)."""
    first = patient.injections.get()
    first.course_total = 4
    first.save(update_fields=["course_total"])
    for n in (1, 2, 3):
        fourth = make_injection(
            patient, day=INJECTED + timedelta(weeks=n), course_number=n + 1, course_total=4
        )
    return fourth


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            "Fewer than 3 days of diary entries in the week before the first injection of this "
            "course (November 14 – November 20).",
        ),
        (
            "ja",
            "今回の注射コースの最初の注射の前の1週間（11月14日～11月20日）に、"
            "日記の記録が3日分に足りません。",
        ),
    ],
)
def test_after_the_4th_injection_the_patient_is_told_about_the_week_before_the_1st(
    patient_client, patient, time_machine, language, expected
):
    fourth = course_of_four(patient)
    make_goal(patient, injection=fourth, kind="symptom", review_date=REVIEW)
    # A full week before the 4th injection does not make up for the week before the 1st.
    make_entries(patient, first=fourth.day - timedelta(days=7), count=7, pain=6)
    make_entries(patient, first=REVIEW - timedelta(days=6), count=7, pain=2)
    in_language(patient, language)
    at_the_review(time_machine, patient_client, patient)
    responder, text = verdict(patient_client.get("/diary/").content)
    assert responder == "unknown"
    assert expected in text


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Not rated in the week up to the review date (December 13 – December 19): Stairs"),
        ("ja", "評価日までの1週間（12月13日～12月19日）に評価されていない目標： Stairs"),
    ],
)
def test_the_patient_is_told_which_goal_was_not_rated(
    patient_client, patient, time_machine, language, expected
):
    reviewed_course(patient, pain=(6, 5), rating=5, overall=(7, 6))
    make_goal(patient, injection=patient.injections.get(), title="Stairs", review_date=REVIEW)
    in_language(patient, language)
    at_the_review(time_machine, patient_client, patient)
    responder, text = verdict(patient_client.get("/diary/").content)
    assert responder == "unknown"
    assert expected in text
    assert TITLE not in text  # the rated goal is not listed as missing


def test_the_pain_recorded_with_the_injection_stands_in_for_a_missing_diary_week(
    patient_client, patient, time_machine
):
    injection = patient.injections.get()
    injection.baseline_pain = 7
    injection.save(update_fields=["baseline_pain"])
    reviewed_course(patient, pain=(None, 2))
    at_the_review(time_machine, patient_client, patient)
    responder, text = verdict(patient_client.get("/diary/").content)
    assert responder == "yes"
    assert (
        "Pain: 7.0 before the injection of November 21 (noted by the clinic), 2.0 at the review "
        "(7-day mean)." in text
    )


@pytest.mark.parametrize(
    ("language", "symptom_reason", "ability_reason"),
    [
        (
            "en",
            "Fewer than 3 days with this answer in the diary (November 20 – November 26).",
            "Not rated yet.",
        ),
        (
            "ja",
            "この期間（11月20日～11月26日）の日記で、この項目の記録が3日分に足りません。",
            "まだ評価されていません。",
        ),
    ],
)
def test_a_goal_without_data_says_what_it_is_waiting_for(
    patient_client, patient, injection, language, symptom_reason, ability_reason
):
    make_goal(patient, injection=injection, title=TITLE)
    make_goal(patient, injection=injection, kind="symptom", title="Night pain at most 3")
    make_entries(patient, first=days_ago(1), count=2, night_pain=4)  # two days: not enough
    in_language(patient, language)
    content = patient_client.get("/diary/").content.decode()
    reasons = [
        re.sub(r"\s+", " ", text).strip()
        for text in re.findall(r'<div class="small goal-missing"[^>]*>(.*?)</div>', content, re.S)
    ]
    assert reasons == [ability_reason, symptom_reason]


def test_without_an_injection_the_patient_is_told_that_none_is_recorded(
    other_patient_client, other_patient, time_machine
):
    in_language(other_patient, "ja")
    make_goal(other_patient, injection=None, review_date=REVIEW)
    at_the_review(time_machine, other_patient_client, other_patient)
    content = other_patient_client.get("/diary/").content
    responder, text = verdict(content)
    assert responder == "unknown"
    assert "研究でよく使われる基準で判定するには、記録が足りません。" in text
    assert "これらの目標に対応する注射の記録がありません。" in text
    assert "OMERACT" not in content.decode()


# The form shows only the chosen kind's fields (static/js/goal-kind.js); without JavaScript
# every field shows, each hint saying which kind it is for.


def test_the_goal_form_has_two_kinds_no_empty_choice_and_hints_for_each_kind(
    clinician_client, clinician, patient
):
    clinician.language = "en"
    clinician.save(update_fields=["language"])
    content = clinician_client.get(f"/clinic/patients/{patient.public_id}/goals/new/").content
    content = content.decode()
    assert re.findall(r'name="kind" value="(\w*)"', content) == ["ability", "symptom"]
    assert '<form method="post" novalidate data-goal-form>' in content
    assert 'src="/static/js/goal-kind.js" defer' in content
    assert "Symptom goals only." in content  # the measure's hint, shown without JavaScript
    assert 'data-hint-ability="Today&#x27;s rating, 0–10."' in content
    assert 'data-hint-symptom="The current 7-day mean of the diary measure."' in content
    # Without JavaScript the hint names both kinds.
    assert "Ability: today's rating 0–10. Symptom: the current 7-day mean." in content
