"""An entry changed after its form was loaded (issue 20, item 4): nothing is saved, the page
answers 409 with both versions in plain words, and the patient chooses; nothing is lost."""

from __future__ import annotations

import uuid

import pytest
import time_machine

from diary.models import DiaryEntry, DiaryEntryVersion
from tests.factories import FROZEN_NOW, TODAY, days_ago, make_entry
from tests.offline.browser_form import form_data
from tests.offline.server_helpers import send
from tests.views.html import element_text

pytestmark = pytest.mark.django_db


def in_english(user):
    user.language = "en"
    user.save(update_fields=["language"])


@pytest.fixture
def stale(patient):
    """Today's entry (pain 2) as a form loaded it, then changed on another phone (pain 5)."""
    entry = make_entry(patient, day=TODAY, pain=2, notes="")
    loaded = entry.version_token()
    entry.pain, entry.revision, entry.notes = 5, 1, "changed on the tablet"
    entry.save()
    return entry, loaded


def test_a_form_loaded_before_a_change_is_not_saved_and_answers_409(patient_client, stale):
    entry, loaded = stale
    response = send(patient_client, loaded=loaded, pain="8", notes="mine")
    assert response.status_code == 409
    entry.refresh_from_db()
    assert (entry.pain, entry.notes) == (5, "changed on the tablet")
    assert not DiaryEntryVersion.objects.exists()
    assert response.templates[0].name == "diary/entry_conflict.html"


def test_the_conflict_page_shows_both_versions_of_each_changed_answer(
    patient_client, patient, stale
):
    in_english(patient)
    entry, loaded = stale
    html = send(patient_client, loaded=loaded, pain="8", notes="mine").content.decode()
    pain = element_text(html, "conflict-pain")
    assert "Saved on" in pain and "5 / 10" in pain
    assert "Your answers (not saved yet)" in pain and "8 / 10" in pain
    notes = element_text(html, "conflict-notes")
    assert "changed on the tablet" in notes and "mine" in notes
    # Unchanged answers are listed once, as the same in both.
    assert element_text(html, "conflict-swelling") is None
    assert "Swelling" in element_text(html, "same-in-both")
    assert "Keep my answers" in html and "Keep the saved entry" in html
    assert "This day was changed in the meantime" in html


def test_the_conflict_page_reads_in_japanese(patient_client, stale):
    entry, loaded = stale
    html = send(patient_client, loaded=loaded, pain="8").content.decode()
    assert '<html lang="ja"' in html
    for words in (
        "まだ保存されていません",
        "今回の回答",
        "今回の回答を保存する",
        "保存済みの記録のままにする",
    ):
        assert words in html, words


def test_keep_my_answers_saves_them_over_the_newer_entry(patient_client, patient, stale):
    entry, loaded = stale
    conflict = send(patient_client, loaded=loaded, pain="8", notes="mine", feverish="on")
    action, data = form_data(conflict.content, **{"data-choice": "keep-mine"})
    assert action == f"/diary/entry/{TODAY}/"
    assert data["loaded_version"] == entry.version_token()
    assert uuid.UUID(data["submission_id"])
    assert data["feverish"] == "on" and "unwell" not in data
    saved = patient_client.post(action, data)
    assert saved.status_code == 302
    assert saved["Location"] == f"/diary/entry/{TODAY}/saved/"
    entry.refresh_from_db()
    assert (entry.pain, entry.notes, entry.feverish) == (8, "mine", True)
    # The answers saved on the other phone are kept in the history.
    (version,) = DiaryEntryVersion.objects.filter(entry=entry)
    assert version.data["pain"] == 5 and version.data["notes"] == "changed on the tablet"
    # Sent twice (a double tap on "Keep my answers"): one save.
    assert patient_client.post(action, data).status_code == 303
    assert DiaryEntryVersion.objects.filter(entry=entry).count() == 1


def test_keep_the_saved_entry_leads_to_its_page_and_changes_nothing(patient_client, stale):
    entry, loaded = stale
    conflict = send(patient_client, loaded=loaded, pain="8", query="?from=history")
    html = conflict.content.decode()
    assert f'href="/diary/entry/{TODAY}/saved/?from=history" data-choice="keep-saved"' in html
    page = patient_client.get(f"/diary/entry/{TODAY}/saved/?from=history")
    assert page.status_code == 200
    entry.refresh_from_db()
    assert entry.pain == 5
    assert not DiaryEntryVersion.objects.exists()


def test_a_form_loaded_on_an_empty_day_conflicts_with_an_entry_made_since(patient_client, patient):
    make_entry(patient, day=TODAY, pain=1)
    response = send(patient_client, loaded="", pain="6")
    assert response.status_code == 409
    assert DiaryEntry.objects.get(patient=patient).pain == 1


def test_the_same_answers_as_the_newer_entry_are_no_conflict(patient_client, stale):
    entry, loaded = stale
    response = send(patient_client, loaded=loaded, pain="5", notes="changed on the tablet")
    assert response.status_code == 302


def test_a_form_without_a_loaded_version_saves_as_before(patient_client, stale):
    entry, _loaded = stale
    assert send(patient_client, pain="8").status_code == 302  # an old page, no such input
    entry.refresh_from_db()
    assert entry.pain == 8


def test_the_current_version_saves(patient_client, patient, stale):
    entry, _loaded = stale
    assert send(patient_client, loaded=entry.version_token(), pain="9").status_code == 302
    entry.refresh_from_db()
    assert entry.pain == 9
    assert entry.revision == 2


def test_each_save_changes_the_version_even_within_one_moment(patient_client, patient):
    """The clock stands still in these tests: the number of changes moves the token."""
    first = send(patient_client, loaded="", pain="1")
    assert first.status_code == 302
    token = DiaryEntry.objects.get(patient=patient).version_token()
    assert send(patient_client, loaded=token, pain="2").status_code == 302
    assert send(patient_client, loaded=token, pain="3").status_code == 409


def test_the_form_carries_the_version_it_was_loaded_with(patient_client, patient):
    page = patient_client.get("/diary/entry/")
    action, data = form_data(page.content, class_="entry-form")
    assert data["loaded_version"] == ""
    assert uuid.UUID(data["submission_id"])
    entry = make_entry(patient, day=TODAY, pain=3)
    action, data = form_data(patient_client.get("/diary/entry/").content, class_="entry-form")
    assert data["loaded_version"] == entry.version_token()
    # A fresh key on every load.
    _action, again = form_data(patient_client.get("/diary/entry/").content, class_="entry-form")
    assert again["submission_id"] != data["submission_id"]


def test_an_invalid_answer_keeps_the_loaded_version_for_the_next_try(patient_client, patient):
    entry = make_entry(patient, day=days_ago(1), pain=3)
    loaded = entry.version_token()
    response = send(patient_client, day=days_ago(1), loaded=loaded, temperature_c="99.5")
    assert response.status_code == 200
    _action, data = form_data(response.content, class_="entry-form")
    assert data["loaded_version"] == loaded


def test_an_old_form_shown_again_gets_the_current_version(patient_client, patient):
    """An invalid answer from a form without the sending fields: the page shown again has
    them, for the entry as it is (no conflict made up from an empty version)."""
    entry = make_entry(patient, day=TODAY, pain=3)
    response = send(patient_client, key="", temperature_c="99.5")
    _action, data = form_data(response.content, class_="entry-form")
    assert data["loaded_version"] == entry.version_token()
    assert uuid.UUID(data["submission_id"])


def test_another_patients_version_means_nothing_here(client, patient, other_patient, stale):
    """Patients only ever meet their own entry: another's token saves the patient's own day."""
    entry, loaded = stale
    client.force_login(other_patient)
    response = send(client, loaded=loaded, pain="7")
    assert response.status_code == 302
    assert DiaryEntry.objects.get(patient=other_patient).pain == 7
    entry.refresh_from_db()
    assert entry.pain == 5
    # Nor can they see the patient's saved day.
    other = make_entry(patient, day=days_ago(2), pain=4)
    assert client.get(f"/diary/entry/{other.day}/saved/").status_code == 404


def test_the_conflict_page_says_when_the_saved_answers_were_saved(patient_client, patient):
    entry = make_entry(patient, day=TODAY, pain=2)
    loaded = entry.version_token()
    with time_machine.travel(FROZEN_NOW.replace(hour=21, minute=5), tick=False):
        entry.pain, entry.revision = 6, 1
        from django.utils import timezone

        entry.updated_at = timezone.now()
        entry.save()
    html = send(patient_client, loaded=loaded, pain="8").content.decode()
    assert "21:05" in element_text(html, "conflict-pain")
