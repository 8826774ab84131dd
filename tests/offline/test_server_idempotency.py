"""A form sent again with the same key saves once (issue 20, item 4): a retry after a lost
answer, an entry kept on the phone sent twice, a double tap. The key is the patient's own."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction

from diary.models import DiaryEntry, DiaryEntryVersion, EntrySubmission
from diary.services import entry_save
from tests.factories import TODAY, days_ago, entry_form_data, make_entry
from tests.offline.server_helpers import count_rule_runs, send

pytestmark = pytest.mark.django_db

SAVED_URL = f"/diary/entry/{TODAY}/saved/"


def test_the_same_key_twice_saves_one_entry_and_answers_303(patient_client, patient, monkeypatch):
    rule_runs = count_rule_runs(monkeypatch)
    key = uuid.uuid4()
    first = send(patient_client, key=key, pain="6", loaded="")
    again = send(patient_client, key=key, pain="6", loaded="")
    assert first.status_code == 302
    assert again.status_code == 303
    assert again["Location"] == first["Location"] == SAVED_URL
    entry = DiaryEntry.objects.get(patient=patient)
    assert entry.pain == 6
    assert DiaryEntryVersion.objects.filter(entry=entry).count() == 0
    assert len(rule_runs) == 1  # the retry ran no rules
    assert EntrySubmission.objects.get(patient=patient, key=key).entry == entry


def test_a_retry_of_an_edit_keeps_the_version_count(patient_client, patient, monkeypatch):
    rule_runs = count_rule_runs(monkeypatch)
    entry = make_entry(patient, day=TODAY, pain=2)
    key = uuid.uuid4()
    loaded = entry.version_token()
    assert send(patient_client, key=key, pain="5", loaded=loaded).status_code == 302
    assert send(patient_client, key=key, pain="5", loaded=loaded).status_code == 303
    assert DiaryEntryVersion.objects.filter(entry=entry).count() == 1
    entry.refresh_from_db()
    assert (entry.pain, entry.revision) == (5, 1)
    assert len(rule_runs) == 1


def test_an_urgent_entry_sent_three_times_emails_the_clinic_once(
    patient_client, patient, clinician, django_capture_on_commit_callbacks
):
    key = uuid.uuid4()
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            send(patient_client, key=key, redness="spreading", loaded="")
    assert len(mail.outbox) == 1
    assert DiaryEntry.objects.filter(patient=patient).count() == 1
    # The retry's page is the rules' answer, as after the first sending.
    page = patient_client.get(SAVED_URL)
    assert page.status_code == 200
    assert 'data-headline="call-now"' in page.content.decode()


def test_a_new_key_for_the_same_day_saves_again(patient_client, patient):
    send(patient_client, pain="3")
    send(patient_client, pain="4")  # no loaded version: an old form, saved over
    entry = DiaryEntry.objects.get(patient=patient)
    assert entry.pain == 4
    assert entry.versions.count() == 1


def test_the_same_key_with_other_answers_is_not_taken_for_a_retry(patient_client, patient):
    """The back button shows the form of a sending already made; changed and sent again, it
    is saved (the patient correcting their own save, tests/offline/test_server_self_correction.py),
    not answered as a retry."""
    key = uuid.uuid4()
    assert send(patient_client, key=key, pain="3", loaded="").status_code == 302
    response = send(patient_client, key=key, pain="8", loaded="")
    assert response.status_code == 302
    assert DiaryEntry.objects.get(patient=patient).pain == 8


def test_the_same_key_for_another_day_is_not_a_retry(patient_client, patient):
    key = uuid.uuid4()
    send(patient_client, key=key, pain="3")
    response = send(patient_client, day=days_ago(1), key=key, pain="3")
    assert response.status_code == 302
    assert DiaryEntry.objects.filter(patient=patient).count() == 2


@pytest.mark.parametrize("key", [None, "", "not-a-uuid", "x" * 500, "'; drop table--", "\x00"])
def test_a_form_without_a_usable_key_still_saves(patient_client, patient, key):
    data = entry_form_data(pain="7")
    if key is not None:
        data["submission_id"] = key
    response = patient_client.post(f"/diary/entry/{TODAY}/", data)
    assert response.status_code == 302
    assert DiaryEntry.objects.get(patient=patient).pain == 7
    assert not EntrySubmission.objects.exists()


def test_another_patient_using_the_same_key_saves_their_own_entry(client, patient, other_patient):
    key = uuid.uuid4()
    client.force_login(patient)
    send(client, key=key, pain="2")
    client.force_login(other_patient)
    response = send(client, key=key, pain="9")
    assert response.status_code == 302  # not a retry of someone else's sending
    assert DiaryEntry.objects.get(patient=other_patient).pain == 9
    assert DiaryEntry.objects.get(patient=patient).pain == 2


def test_the_database_allows_one_sending_per_key_and_patient(patient, other_patient):
    key = uuid.uuid4()
    EntrySubmission.objects.create(patient=patient, key=key, day=TODAY, answers_digest="a")
    EntrySubmission.objects.create(patient=other_patient, key=key, day=TODAY, answers_digest="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        EntrySubmission.objects.create(patient=patient, key=key, day=TODAY, answers_digest="b")


def test_a_key_claimed_meanwhile_makes_the_save_a_retry(patient, monkeypatch):
    """The moment two sendings race: the other one's claim is in the database first."""
    from diary import services

    key = uuid.uuid4()
    values = {
        "pain": 4,
        "swelling": 1,
        "warmth": 0,
        "redness": "none",
        "weight_bearing": "full",
    }
    first = entry_save(
        patient=patient, day=TODAY, values=values, saved_by=patient, submission_id=key
    )
    real_create = EntrySubmission.objects.create
    calls = []

    def create(**kwargs):
        calls.append(kwargs)
        return real_create(**kwargs)

    monkeypatch.setattr(EntrySubmission.objects, "create", create)
    again = services.entry_save(
        patient=patient, day=TODAY, values=values, saved_by=patient, submission_id=key
    )
    assert calls, "the claim is tried by inserting, so the unique constraint decides"
    assert again.duplicate and again.entry == first.entry
    assert EntrySubmission.objects.filter(patient=patient).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_sendings_at_once_with_one_key_save_once(patient, clinician):
    """Real concurrency needs a database with row locks (PostgreSQL in CI)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time; the race needs PostgreSQL")
    key = uuid.uuid4()
    values = {
        "pain": 8,
        "swelling": 2,
        "warmth": 2,
        "redness": "spreading",
        "weight_bearing": "full",
    }
    barrier = threading.Barrier(2)
    results, errors = [], []

    def sending():
        try:
            barrier.wait()
            results.append(
                entry_save(
                    patient=patient, day=TODAY, values=values, saved_by=patient, submission_id=key
                )
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sending) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(result.duplicate for result in results) == [False, True]
    assert DiaryEntry.objects.filter(patient=patient).count() == 1
    assert DiaryEntryVersion.objects.filter(entry__patient=patient).count() == 0
    assert EntrySubmission.objects.filter(patient=patient).count() == 1
    assert len(mail.outbox) == 1
