"""A sending that arrives late, after the patient corrected its answers under the same key.

The phone keeps a day's answers under one key until the server has them, and counts up each
time the patient changes them there (`answers_revision`: 1, 2, …). A sending can be overtaken
on the way: it times out on the phone but reaches the server later than the correction sent
after it. Its older answers must not replace the newer ones — a stale 38.5 °C would raise an
urgent flag and e-mail the clinic, a stale "can walk" would withdraw one.
"""

from __future__ import annotations

import uuid

import pytest
from django.core import mail

from diary.models import DiaryEntry, DiaryEntryVersion, EntrySubmission, Flag
from tests.factories import TODAY
from tests.offline.server_helpers import count_rule_runs, send

pytestmark = pytest.mark.django_db


def stored(patient) -> DiaryEntry:
    return DiaryEntry.objects.get(patient=patient, day=TODAY)


def test_answers_overtaken_by_their_correction_save_nothing(patient_client, patient, monkeypatch):
    key = uuid.uuid4()
    assert send(patient_client, key=key, loaded="", revision=1, pain="3").status_code == 302
    assert send(patient_client, key=key, loaded="", revision=2, pain="4").status_code == 302
    rule_runs = count_rule_runs(monkeypatch)
    late = send(patient_client, key=key, loaded="", revision=1, pain="3")
    assert late.status_code == 303  # like a retry: the day's page, nothing saved again
    assert late["Location"] == f"/diary/entry/{TODAY}/saved/"
    entry = stored(patient)
    assert (entry.pain, entry.revision) == (4, 1)
    assert DiaryEntryVersion.objects.filter(entry=entry).count() == 1
    assert rule_runs == []
    assert EntrySubmission.objects.get(key=key).answers_revision == 2


def test_a_late_fever_never_comes_back_after_it_was_corrected(patient_client, patient):
    """The patient typed 38.5 by mistake and corrected it to 36.5 before anything arrived."""
    key = uuid.uuid4()
    send(patient_client, key=key, loaded="", revision=2, temperature_c="36.5")
    send(patient_client, key=key, loaded="", revision=1, temperature_c="38.5")
    assert str(stored(patient).temperature_c) == "36.5"
    assert not Flag.objects.filter(patient=patient).exists()
    assert mail.outbox == []


def test_answers_changed_back_later_are_saved(patient_client, patient):
    """3, then 4, then 3 again on the phone: the third is the newest, not a late first."""
    key = uuid.uuid4()
    for revision, pain in ((1, "3"), (2, "4"), (3, "3")):
        response = send(patient_client, key=key, loaded="", revision=revision, pain=pain)
        assert response.status_code == 302
    assert stored(patient).pain == 3
    assert EntrySubmission.objects.get(key=key).answers_revision == 3


def test_answers_changed_back_then_the_ones_in_between_arriving_late_save_nothing(
    patient_client, patient
):
    """3 arrives; 4 is delayed on the way; the patient changes back to 3, which arrives (the
    same answers as saved: nothing to write, but the newest count); then the delayed 4."""
    key = uuid.uuid4()
    assert send(patient_client, key=key, loaded="", revision=1, pain="3").status_code == 302
    assert send(patient_client, key=key, loaded="", revision=3, pain="3").status_code == 303
    assert EntrySubmission.objects.get(key=key).answers_revision == 3
    assert send(patient_client, key=key, loaded="", revision=2, pain="4").status_code == 303
    assert stored(patient).pain == 3


def test_a_higher_revision_with_other_answers_is_a_correction(patient_client, patient):
    key = uuid.uuid4()
    send(patient_client, key=key, loaded="", revision=1, pain="3")
    assert send(patient_client, key=key, loaded="", revision=5, pain="6").status_code == 302
    assert stored(patient).pain == 6


def test_without_a_revision_the_key_s_corrections_are_saved_as_before(patient_client, patient):
    """A page without the script sends no count: the later sending is taken as the newer."""
    key = uuid.uuid4()
    send(patient_client, key=key, loaded="", pain="3")
    send(patient_client, key=key, loaded="", pain="4")
    assert send(patient_client, key=key, loaded="", pain="3").status_code == 302
    assert stored(patient).pain == 3


@pytest.mark.parametrize(
    "broken", ["", "abc", "0", "-1", "1.5", "99999999999", "２", "1" * 5000, " 3 x"]
)
def test_a_broken_revision_is_no_count_and_never_an_error(patient_client, patient, broken):
    key = uuid.uuid4()
    send(patient_client, key=key, loaded="", revision=2, pain="4")
    response = send(patient_client, key=key, loaded="", revision=broken, pain="3")
    assert response.status_code == 302  # saved as a correction, as a sending without a count
    assert stored(patient).pain == 3
    # The key keeps its count: answers counted 1, arriving late, are still older.
    assert EntrySubmission.objects.get(key=key).answers_revision == 2
    assert send(patient_client, key=key, loaded="", revision=1, pain="7").status_code == 303
    assert stored(patient).pain == 3


def test_a_sending_without_a_count_starts_none_and_a_later_count_is_kept(patient_client, patient):
    key = uuid.uuid4()
    send(patient_client, key=key, loaded="", pain="3")  # the page without its script
    assert EntrySubmission.objects.get(key=key).answers_revision is None
    assert send(patient_client, key=key, loaded="", revision=4, pain="3").status_code == 303
    assert EntrySubmission.objects.get(key=key).answers_revision == 4
    assert send(patient_client, key=key, loaded="", revision=2, pain="5").status_code == 303
    assert stored(patient).pain == 3


def test_another_key_is_not_held_back_by_a_high_revision(patient_client, patient):
    send(patient_client, key=uuid.uuid4(), loaded="", revision=9, pain="3")
    entry = stored(patient)
    response = send(patient_client, key=uuid.uuid4(), loaded=entry.version_token(), revision=1,
                    pain="5")  # fmt: skip
    assert response.status_code == 302
    assert stored(patient).pain == 5


def test_the_saved_answers_again_by_a_newer_count_after_a_change_elsewhere_is_a_conflict(
    patient_client, patient
):
    """3 saved from the phone; the day changed to 6 on another device; the phone then sends 3
    again under its key by a newer count (changed there and back): its newest answers are not
    dropped as a retry, the patient chooses (409)."""
    from diary.services import entry_save

    key = uuid.uuid4()
    assert send(patient_client, key=key, loaded="", revision=1, pain="3").status_code == 302
    entry = stored(patient)
    values = {**entry.snapshot(), "pain": 6}
    entry_save(patient=patient, day=TODAY, values=values, saved_by=patient,
               submission_id=uuid.uuid4(), loaded_version=entry.version_token())  # fmt: skip
    response = send(patient_client, key=key, loaded="", revision=2, pain="3")
    assert response.status_code == 409
    assert stored(patient).pain == 6  # nothing written until the patient chooses


def test_a_true_retry_after_a_change_elsewhere_still_writes_nothing(patient_client, patient):
    key = uuid.uuid4()
    send(patient_client, key=key, loaded="", revision=1, pain="3")
    from diary.services import entry_save

    entry = stored(patient)
    entry_save(patient=patient, day=TODAY, values={**entry.snapshot(), "pain": 6},
               saved_by=patient, loaded_version=entry.version_token())  # fmt: skip
    assert send(patient_client, key=key, loaded="", revision=1, pain="3").status_code == 303
    assert stored(patient).pain == 6
