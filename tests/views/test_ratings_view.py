"""The weekly ratings on the patient's home page and POST /diary/ratings/."""

from datetime import timedelta

import pytest

from diary.models import GlobalRating, GoalRating
from tests.factories import (
    TODAY,
    clinic_morning,
    days_ago,
    make_goal,
    rate_goal,
    rate_overall,
)
from tests.views.html import checked_values, element_text, field_error

pytestmark = pytest.mark.django_db

HEADING = "This week's ratings"


@pytest.fixture(autouse=True)
def english(patient):
    patient.language = "en"
    patient.save(update_fields=["language"])


@pytest.fixture
def goal(patient):
    return make_goal(patient, injection=patient.injections.get(), title="Walk to the station")


def ratings_section(content: bytes) -> str:
    """The HTML of the ratings card on the home page ("" when it is not there)."""
    text = content.decode()
    if 'id="ratings-heading"' not in text:
        return ""
    return text.split('id="ratings-heading"', 1)[1].split("</section>", 1)[0]


def test_home_asks_for_this_weeks_ratings_when_they_are_due(patient_client, goal):
    response = patient_client.get("/diary/")
    assert response.status_code == 200
    assert element_text(response.content, "ratings-heading") == HEADING
    section = ratings_section(response.content)
    assert 'action="/diary/ratings/"' in section
    assert "Walk to the station" in section
    assert f'name="goal_{goal.pk}"' in section
    assert 'name="overall"' in section
    assert "How is your joint overall?" in section
    assert "0 = I cannot do it, 10 = as well as before the problem" in section


def test_home_asks_only_for_the_overall_rating_with_symptom_goals_only(patient_client, patient):
    make_goal(patient, kind="symptom", title="Night pain at most 3")
    section = ratings_section(patient_client.get("/diary/").content)
    assert 'name="overall"' in section
    assert 'name="goal_' not in section


def test_home_does_not_ask_without_goals(patient_client):
    response = patient_client.get("/diary/")
    assert response.context["ratings_form"] is None
    assert HEADING not in response.content.decode()


def test_home_does_not_ask_again_within_the_week(patient_client, patient, goal):
    rate_goal(goal, day=days_ago(6), value=4)
    rate_overall(patient, day=days_ago(6), value=6)
    response = patient_client.get("/diary/")
    assert response.context["ratings_form"] is None
    assert HEADING not in response.content.decode()


def test_home_asks_again_a_week_later(patient_client, patient, goal):
    rate_goal(goal, day=days_ago(7), value=4)
    rate_overall(patient, day=days_ago(7), value=6)
    assert f'name="goal_{goal.pk}"' in patient_client.get("/diary/").content.decode()


def test_home_stops_asking_after_the_review_date(patient_client, patient, goal, time_machine):
    time_machine.move_to(clinic_morning(goal.review_date + timedelta(days=1)), tick=False)
    patient_client.force_login(patient)
    response = patient_client.get("/diary/")
    assert response.context["ratings_form"] is None
    assert HEADING not in response.content.decode()


def test_saving_the_ratings_stores_them_for_today_and_goes_home(patient_client, patient, goal):
    response = patient_client.post("/diary/ratings/", {f"goal_{goal.pk}": "5", "overall": "4"})
    assert response.status_code == 302
    assert response["Location"] == "/diary/"
    assert list(GoalRating.objects.values_list("goal", "day", "value")) == [(goal.pk, TODAY, 5)]
    assert list(GlobalRating.objects.values_list("patient", "day", "value")) == [
        (patient.pk, TODAY, 4)
    ]
    home = patient_client.get("/diary/")
    content = home.content.decode()
    assert "Thank you, your ratings are saved." in content
    assert HEADING not in content


@pytest.mark.parametrize("value", ["11", "-1", "five", ""])
def test_an_invalid_rating_is_explained_and_nothing_is_saved(patient_client, goal, value):
    response = patient_client.post("/diary/ratings/", {f"goal_{goal.pk}": value, "overall": "4"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Please check the answers marked below. Nothing has been saved yet." in content
    expected = "Please choose one of the answers." if value == "" else "shown"
    assert expected in field_error(response.content, f"goal_{goal.pk}")
    assert field_error(response.content, "overall") is None
    assert not GoalRating.objects.exists()
    assert not GlobalRating.objects.exists()


def test_an_overall_rating_of_11_is_refused_too(patient_client, goal):
    response = patient_client.post("/diary/ratings/", {f"goal_{goal.pk}": "5", "overall": "11"})
    assert response.status_code == 200
    assert field_error(response.content, "overall") == "Please choose one of the answers shown."
    assert not GoalRating.objects.exists()
    assert not GlobalRating.objects.exists()


def test_the_error_page_keeps_the_answers_given(patient_client, goal):
    response = patient_client.post("/diary/ratings/", {f"goal_{goal.pk}": "6", "overall": "11"})
    assert checked_values(response.content, f"goal_{goal.pk}") == ["6"]
    assert checked_values(response.content, "overall") == []


def test_a_rating_for_another_patients_goal_is_ignored(patient_client, other_patient, goal):
    theirs = make_goal(other_patient, title="Their goal")
    response = patient_client.post(
        "/diary/ratings/", {f"goal_{goal.pk}": "5", f"goal_{theirs.pk}": "9", "overall": "4"}
    )
    assert response.status_code == 302
    assert list(GoalRating.objects.values_list("goal", "value")) == [(goal.pk, 5)]


def test_when_nothing_is_due_the_ratings_page_goes_home_and_saves_nothing(
    patient_client, patient, goal
):
    rate_goal(goal, day=TODAY, value=4)
    rate_overall(patient, day=TODAY, value=6)
    response = patient_client.post("/diary/ratings/", {f"goal_{goal.pk}": "9", "overall": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/diary/"
    assert list(GoalRating.objects.values_list("value", flat=True)) == [4]
    assert list(GlobalRating.objects.values_list("value", flat=True)) == [6]


def test_the_ratings_page_shows_the_form_when_due(patient_client, goal):
    response = patient_client.get("/diary/ratings/")
    assert response.status_code == 200
    assert f'name="goal_{goal.pk}"' in response.content.decode()


def test_the_ratings_form_is_in_japanese_for_a_japanese_patient(patient_client, patient, goal):
    patient.language = "ja"
    patient.save(update_fields=["language"])
    response = patient_client.get("/diary/")
    assert element_text(response.content, "ratings-heading") == "今週の評価"


@pytest.mark.parametrize("method", ["get", "post"])
def test_clinic_staff_get_not_found(clinician_client, goal, method):
    response = getattr(clinician_client, method)(
        "/diary/ratings/", {f"goal_{goal.pk}": "5", "overall": "4"}
    )
    assert response.status_code == 404
    assert not GoalRating.objects.exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, goal):
    response = client.post("/diary/ratings/", {f"goal_{goal.pk}": "5", "overall": "4"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/diary/ratings/")
    assert not GoalRating.objects.exists()
