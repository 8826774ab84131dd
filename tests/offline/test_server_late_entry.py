"""An entry sent late is saved for the day it was filled in (issue 20, item 4); the form works
without JavaScript; a sending after the session ended goes to the sign-in page, never a 500."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest
import time_machine

from accounts.sessions import SESSION_SEEN
from diary.models import DiaryEntry
from tests.factories import TODAY, TOKYO, days_ago
from tests.offline.browser_form import form_data
from tests.offline.server_helpers import send

pytestmark = pytest.mark.django_db

ANSWERS = {
    "pain": "6",
    "swelling": "2",
    "warmth": "1",
    "redness": "none",
    "weight_bearing": "painful",
}


def fill_in(data: dict, **answers) -> dict:
    return {**data, **ANSWERS, **answers}


def test_todays_form_is_sent_to_its_own_day(patient_client):
    action, _data = form_data(patient_client.get("/diary/entry/").content, class_="entry-form")
    assert action == f"/diary/entry/{TODAY}/"


def test_a_form_filled_in_before_midnight_and_sent_after_it_saves_for_its_day(
    patient_client, patient
):
    evening = datetime(TODAY.year, TODAY.month, TODAY.day, 23, 50, tzinfo=TOKYO)
    with time_machine.travel(evening, tick=False):
        patient_client.force_login(patient)  # signed in this evening
        page = patient_client.get("/diary/entry/")
        action, data = form_data(page.content, class_="entry-form")
    with time_machine.travel(evening + timedelta(minutes=20), tick=False):
        response = patient_client.post(action, fill_in(data))
    assert response.status_code == 302
    assert response["Location"] == f"/diary/entry/{TODAY}/saved/"
    (entry,) = DiaryEntry.objects.filter(patient=patient)
    assert entry.day == TODAY
    assert entry.pain == 6


def test_an_entry_kept_on_the_phone_for_days_is_saved_for_its_day(patient_client, patient):
    page = patient_client.get(f"/diary/entry/{TODAY}/")
    action, data = form_data(page.content, class_="entry-form")
    with time_machine.travel(datetime.now(TOKYO) + timedelta(days=6), tick=False):
        patient_client.force_login(patient)  # signed in again, six days later
        response = patient_client.post(action, fill_in(data, pain="3"))
    assert response.status_code == 302
    assert DiaryEntry.objects.get(patient=patient).day == TODAY


def test_the_day_in_the_answers_cannot_move_the_entry(patient_client, patient):
    send(patient_client, day=days_ago(1), pain="4")
    assert DiaryEntry.objects.get(patient=patient).day == days_ago(1)
    response = patient_client.post(
        f"/diary/entry/{days_ago(1)}/", {**ANSWERS, "day": (TODAY + timedelta(days=1)).isoformat()}
    )
    assert response.status_code == 302
    assert list(DiaryEntry.objects.values_list("day", flat=True)) == [days_ago(1)]


def test_a_day_in_the_future_is_still_refused(patient_client, patient):
    response = send(patient_client, day=TODAY + timedelta(days=1))
    assert response.status_code == 200
    assert not DiaryEntry.objects.exists()


def test_the_form_without_javascript_saves(patient_client, patient):
    """What a browser sends from the page as it is: the hidden inputs, the chosen answers."""
    page = patient_client.get("/diary/entry/")
    action, data = form_data(page.content, class_="entry-form")
    assert {"csrfmiddlewaretoken", "submission_id", "loaded_version"} <= set(data)
    response = patient_client.post(action, fill_in(data, notes="from the form"))
    assert response.status_code == 302
    assert DiaryEntry.objects.get(patient=patient).notes == "from the form"
    # The back button and the same page sent again: saved once.
    assert patient_client.post(action, fill_in(data, notes="from the form")).status_code == 303
    assert DiaryEntry.objects.get(patient=patient).versions.count() == 0


def test_changing_an_entry_without_javascript_saves(patient_client, patient):
    send(patient_client, pain="2")
    action, data = form_data(patient_client.get("/diary/entry/").content, class_="entry-form")
    assert data["pain"] == "2"
    assert patient_client.post(action, {**data, "pain": "7"}).status_code == 302
    assert DiaryEntry.objects.get(patient=patient).pain == 7


def test_a_sending_after_the_session_ended_goes_to_sign_in(patient_client, patient):
    session = patient_client.session
    session[SESSION_SEEN] = time.time() - 3 * 3600  # idle for three hours
    session.save()
    response = send(patient_client, pain="5")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not DiaryEntry.objects.exists()


def test_a_sending_without_a_session_goes_to_sign_in(client, patient):
    response = send(client, pain="5")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not DiaryEntry.objects.exists()


def test_a_clinician_cannot_send_a_diary_entry(clinician_client):
    assert send(clinician_client, pain="5").status_code == 404
    assert not DiaryEntry.objects.exists()
