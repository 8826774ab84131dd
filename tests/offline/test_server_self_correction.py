"""The patient corrects their own save (issue 20, item 4; a reviewer's finding): saved, Back
(the browser may restore the old form with its old key and loaded version), a typo fixed,
saved again — or a sending that timed out but did arrive, then edited and sent again. The
form's loaded version predates the save its own key made, so it must not be judged by it:
while the day is as that save left it, this is an ordinary update; a change made since on
another device is still a conflict."""

from __future__ import annotations

import uuid

import pytest

from diary.models import DiaryEntry, DiaryEntryVersion, EntrySubmission
from tests.factories import TODAY, make_entry
from tests.offline.server_helpers import count_rule_runs, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def saved_with_key(patient_client, patient):
    """Today's entry (pain 2) loaded in a form, saved from it with key K as pain 5."""
    entry = make_entry(patient, day=TODAY, pain=2)
    key, loaded = uuid.uuid4(), entry.version_token()
    assert send(patient_client, key=key, loaded=loaded, pain="5").status_code == 302
    return entry, key, loaded


def test_the_same_key_with_corrected_answers_is_saved_as_an_update(
    patient_client, saved_with_key, monkeypatch
):
    entry, key, loaded = saved_with_key
    rule_runs = count_rule_runs(monkeypatch)
    response = send(patient_client, key=key, loaded=loaded, pain="6", notes="typo fixed")
    assert response.status_code == 302
    assert response["Location"] == f"/diary/entry/{TODAY}/saved/"
    entry.refresh_from_db()
    assert (entry.pain, entry.notes, entry.revision) == (6, "typo fixed", 2)
    # Both earlier states are kept: the first answers and the key's first save.
    assert [
        v.data["pain"] for v in DiaryEntryVersion.objects.filter(entry=entry).order_by("pk")
    ] == [
        2,
        5,
    ]
    assert len(rule_runs) == 1  # the rules judged the corrected answers
    submission = EntrySubmission.objects.get(key=key)
    assert submission.saved_version == entry.version_token()


def test_a_first_entry_of_the_day_can_be_corrected_with_its_key(patient_client, patient):
    key = uuid.uuid4()
    assert send(patient_client, key=key, loaded="", pain="3").status_code == 302
    assert send(patient_client, key=key, loaded="", pain="4").status_code == 302
    entry = DiaryEntry.objects.get(patient=patient, day=TODAY)
    assert entry.pain == 4
    assert DiaryEntryVersion.objects.filter(entry=entry).count() == 1


def test_a_retry_of_the_correction_writes_nothing(patient_client, saved_with_key, monkeypatch):
    entry, key, loaded = saved_with_key
    assert send(patient_client, key=key, loaded=loaded, pain="6").status_code == 302
    rule_runs = count_rule_runs(monkeypatch)
    again = send(patient_client, key=key, loaded=loaded, pain="6")
    assert again.status_code == 303
    assert DiaryEntryVersion.objects.filter(entry=entry).count() == 2
    assert rule_runs == []


def test_a_true_retry_still_writes_nothing(patient_client, saved_with_key, monkeypatch):
    entry, key, loaded = saved_with_key
    rule_runs = count_rule_runs(monkeypatch)
    assert send(patient_client, key=key, loaded=loaded, pain="5").status_code == 303
    entry.refresh_from_db()
    assert (entry.pain, entry.revision) == (5, 1)
    assert DiaryEntryVersion.objects.filter(entry=entry).count() == 1
    assert rule_runs == []


def test_a_change_on_another_device_since_the_keys_save_is_still_a_conflict(
    patient_client, saved_with_key
):
    entry, key, loaded = saved_with_key
    entry.refresh_from_db()
    other_device = send(patient_client, loaded=entry.version_token(), pain="8")
    assert other_device.status_code == 302
    response = send(patient_client, key=key, loaded=loaded, pain="6")
    assert response.status_code == 409
    assert response.templates[0].name == "diary/entry_conflict.html"
    entry.refresh_from_db()
    assert entry.pain == 8
    assert DiaryEntryVersion.objects.filter(entry=entry).count() == 2
    # The key still belongs to its own save: the conflict recorded nothing on it.
    assert EntrySubmission.objects.get(key=key).answers_digest != ""


def test_a_second_correction_is_judged_by_the_first_corrections_version(
    patient_client, saved_with_key
):
    entry, key, loaded = saved_with_key
    assert send(patient_client, key=key, loaded=loaded, pain="6").status_code == 302
    assert send(patient_client, key=key, loaded=loaded, pain="7").status_code == 302
    entry.refresh_from_db()
    assert (entry.pain, entry.revision) == (7, 3)
