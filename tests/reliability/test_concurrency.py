"""Two saves of one diary day at the same moment, and a double-clicked submit.

The threaded tests use real separate database connections. SQLite's in-memory test database
(shared cache) answers a second concurrent writer with "database table is locked" at once
instead of waiting, so those tests run on PostgreSQL only; the IntegrityError fallback that
turns the losing insert into an update is tested on every database by inserting the competing
row between the lookup and the insert.
"""

from __future__ import annotations

import contextlib
import threading
from datetime import timedelta
from decimal import Decimal
from functools import partial

import pytest
from django.db import connection
from django.db.models.query import QuerySet
from django.test import Client

from accounts.models import User
from diary.flagging import (
    STORED_INFO_CODES,
    STORED_SEVERITIES,
    flag_acknowledge,
    flags_evaluate,
    patient_findings,
)
from diary.models import DiaryEntry, DiaryEntryVersion, Flag, FlagOccurrence
from diary.services import entry_save
from tests.factories import ENTRY_VALUES, TODAY, entry_form_data, make_entry
from tests.triage_oracle import stale

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's in-memory test database fails a concurrent writer instead of waiting",
)

# Day 5 after the injection: an urgent fever in one tab, a quiet day in the other.
FEVER = {**ENTRY_VALUES, "pain": 8, "temperature_c": Decimal("38.6"), "notes": "tab A"}
QUIET = {**ENTRY_VALUES, "pain": 3, "temperature_c": Decimal("36.5"), "notes": "tab B"}


def stored_values(entry: DiaryEntry) -> dict:
    return {name: getattr(entry, name) for name in ENTRY_VALUES}


def flag_state(patient) -> set:
    """Every flag and occurrence of the patient with its status, to compare before and after."""
    flags = {
        (f.pk, f.code, f.severity, f.status, f.first_day, f.last_day, f.withdrawn_at)
        for f in Flag.objects.filter(patient=patient)
    }
    occurrences = {
        (o.pk, o.flag_id, o.day, o.severity, tuple(o.evidence_days), o.withdrawn_at)
        for o in FlagOccurrence.objects.filter(flag__patient=patient)
    }
    return flags | occurrences


def live_flag_days(patient) -> set:
    return {
        (o.flag.code, o.day, o.severity)
        for o in FlagOccurrence.objects.filter(flag__patient=patient, withdrawn_at__isnull=True)
        .exclude(flag__status=Flag.Status.WITHDRAWN)
        .select_related("flag")
    }


def expected_flag_days(patient) -> set:
    return {
        (f.code, f.on, f.severity)
        for f in patient_findings(patient)
        if f.severity in STORED_SEVERITIES or f.code in STORED_INFO_CODES
    }


def assert_flags_consistent(patient) -> None:
    """The stored flags say what the rules say about the stored entries, and stay so; the
    dashboard's stored triage agrees with both."""
    assert live_flag_days(patient) == expected_flag_days(patient)
    assert stale(User.objects.filter(pk=patient.pk)) == []
    before = flag_state(patient)
    assert not flags_evaluate(patient=patient).changed
    assert flag_state(patient) == before


def run_together(tasks: dict, *, meet_after_lookup: bool, monkeypatch):
    """Run each task ({name: callable}) in its own thread with its own database connection, all
    released at once. With `meet_after_lookup` each thread, once entry_save has looked for the
    day's entry (the locked lookup), waits until all have looked: they all miss it and race to
    insert. Returns ({name: result}, [exceptions])."""
    start = threading.Barrier(len(tasks), timeout=10)
    looked = threading.Barrier(len(tasks), timeout=3)
    waited = threading.local()
    results, errors = {}, []

    if meet_after_lookup:
        real_first = QuerySet.first

        def first_then_meet(queryset):
            found = real_first(queryset)
            locked_lookup = queryset.model is DiaryEntry and queryset.query.select_for_update
            if locked_lookup and not getattr(waited, "done", False):
                waited.done = True
                # An implementation that serialises the saves never lets them all meet here.
                with contextlib.suppress(threading.BrokenBarrierError):
                    looked.wait()
            return found

        monkeypatch.setattr(QuerySet, "first", first_then_meet)

    def run(name, task):
        try:
            start.wait()
            results[name] = task()
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in tasks.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a save never finished"
    return results, errors


def save_in_threads(patient, saves: dict[str, tuple], *, meet_after_lookup: bool, monkeypatch):
    """entry_save once per item of `saves` ({name: (day, values)}), all at the same moment."""

    def saving(day, values):
        return lambda: entry_save(patient=patient, day=day, values=values, saved_by=patient)

    tasks = {name: saving(day, values) for name, (day, values) in saves.items()}
    return run_together(tasks, meet_after_lookup=meet_after_lookup, monkeypatch=monkeypatch)


@postgresql_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("meet_after_lookup", [True, False], ids=["both-insert", "released"])
def test_two_simultaneous_saves_of_one_day_end_as_one_entry_with_the_later_values(
    patient, monkeypatch, meet_after_lookup
):
    results, errors = save_in_threads(
        patient,
        {"A": (TODAY, FEVER), "B": (TODAY, QUIET)},
        meet_after_lookup=meet_after_lookup,
        monkeypatch=monkeypatch,
    )

    assert errors == []
    assert sorted(r.created for r in results.values()) == [False, True]
    first = next(name for name, r in results.items() if r.created)
    later = next(name for name, r in results.items() if not r.created)
    submitted = {"A": FEVER, "B": QUIET}
    (entry,) = DiaryEntry.objects.filter(patient=patient)
    assert entry.day == TODAY
    assert stored_values(entry) == submitted[later]
    (version,) = DiaryEntryVersion.objects.filter(entry=entry)
    assert version.changed_by == patient
    assert version.data == {
        **submitted[first],
        "temperature_c": str(submitted[first]["temperature_c"]),
    }
    assert set(version.changed_fields) == {"pain", "temperature_c", "notes"}
    assert_flags_consistent(patient)


@postgresql_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("meet_after_lookup", [True, False], ids=["both-insert", "released"])
def test_two_simultaneous_submits_of_the_page_both_end_on_the_confirmation(
    patient, monkeypatch, meet_after_lookup
):
    """The same as above through the page, each tab with its own session: no error page."""
    tabs = {}
    for name in ("A", "B"):
        tabs[name] = Client()
        tabs[name].force_login(patient)
    posted = {
        "A": entry_form_data(pain="8", temperature_c="38.6", notes="tab A"),
        "B": entry_form_data(pain="3", temperature_c="36.5", notes="tab B"),
    }

    responses, errors = run_together(
        {name: partial(tabs[name].post, "/diary/entry/", posted[name]) for name in tabs},
        meet_after_lookup=meet_after_lookup,
        monkeypatch=monkeypatch,
    )

    assert errors == []
    for response in responses.values():
        assert response.status_code == 302
        assert response["Location"] == f"/diary/entry/{TODAY}/saved/"
    (entry,) = DiaryEntry.objects.filter(patient=patient)
    (version,) = DiaryEntryVersion.objects.filter(entry=entry)
    kept = {(entry.pain, entry.notes), (version.data["pain"], version.data["notes"])}
    assert kept == {(8, "tab A"), (3, "tab B")}  # the later values stored, the earlier kept
    assert_flags_consistent(patient)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_of_two_days_that_raise_the_same_flag_both_stay(patient, monkeypatch):
    """Two tabs (yesterday and today) with a fever each, and no fever flag yet: both evaluations
    want to open the patient's one open fever flag at the same moment."""
    yesterday = TODAY - timedelta(days=1)
    results, errors = save_in_threads(
        patient,
        {"yesterday": (yesterday, FEVER), "today": (TODAY, FEVER)},
        meet_after_lookup=True,
        monkeypatch=monkeypatch,
    )

    assert errors == []
    assert all(r.created for r in results.values())
    assert set(DiaryEntry.objects.filter(patient=patient).values_list("day", flat=True)) == {
        yesterday,
        TODAY,
    }
    (fever,) = Flag.objects.filter(patient=patient, code="fever", status=Flag.Status.OPEN)
    assert (fever.first_day, fever.last_day) == (yesterday, TODAY)
    assert_flags_consistent(patient)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_of_two_days_judge_each_day_with_the_other(patient, monkeypatch):
    """A warm, red joint on two days in a row is a caution on the second day, even when the two
    days are saved at the same moment and each transaction alone holds only one of them."""
    warm_red = {**ENTRY_VALUES, "warmth": 2, "redness": "present"}
    yesterday = TODAY - timedelta(days=1)
    _results, errors = save_in_threads(
        patient,
        {"yesterday": (yesterday, warm_red), "today": (TODAY, warm_red)},
        meet_after_lookup=True,
        monkeypatch=monkeypatch,
    )

    assert errors == []
    assert ("warm_red_joint", TODAY, "caution") in live_flag_days(patient)
    assert_flags_consistent(patient)


@pytest.mark.django_db
def test_a_row_saved_between_the_lookup_and_the_insert_makes_the_submit_an_update(
    patient, patient_client, monkeypatch
):
    """The losing side of the race, through the view: no error page, the submitted values win,
    the other tab's values are kept as a version and the flags follow the stored entry."""
    real_first = QuerySet.first
    competitors = []

    def first_then_the_other_tab_saves(queryset):
        found = real_first(queryset)
        if queryset.model is DiaryEntry and found is None and not competitors:
            competitors.append(None)  # the other tab's own lookup must not start a third
            other = entry_save(patient=patient, day=TODAY, values=FEVER, saved_by=patient)
            competitors[0] = other.entry
        return found

    monkeypatch.setattr(QuerySet, "first", first_then_the_other_tab_saves)
    response = patient_client.post(
        "/diary/entry/", entry_form_data(pain="3", temperature_c="36.5", notes="tab B")
    )

    assert competitors, "the competing save did not happen"
    assert response.status_code == 302
    assert response["Location"] == f"/diary/entry/{TODAY}/saved/"
    (entry,) = DiaryEntry.objects.filter(patient=patient)
    assert entry.pk == competitors[0].pk
    assert stored_values(entry) == QUIET
    (version,) = DiaryEntryVersion.objects.filter(entry=entry)
    assert (version.data["pain"], version.data["notes"]) == (8, "tab A")
    assert_flags_consistent(patient)
    assert not Flag.objects.filter(patient=patient, status=Flag.Status.OPEN).exists()


@pytest.mark.django_db
def test_a_double_clicked_submit_saves_one_entry_and_no_version(patient, patient_client):
    data = entry_form_data(pain="6", notes="双击")
    first = patient_client.post("/diary/entry/", data)
    second = patient_client.post("/diary/entry/", data)

    assert (first.status_code, second.status_code) == (302, 302)
    assert first["Location"] == second["Location"] == f"/diary/entry/{TODAY}/saved/"
    (entry,) = DiaryEntry.objects.filter(patient=patient)
    assert (entry.pain, entry.notes) == (6, "双击")
    assert not DiaryEntryVersion.objects.exists()
    assert patient_client.get(second["Location"]).status_code == 200


@pytest.mark.django_db
def test_saving_over_an_earlier_entry_twice_keeps_exactly_one_version(patient, patient_client):
    """A double click on an edit: the first click is the edit, the second changes nothing."""
    make_entry(patient, day=TODAY, pain=2, notes="morning")
    data = entry_form_data(pain="6", notes="evening")
    responses = [patient_client.post("/diary/entry/", data) for _ in range(2)]

    assert [r.status_code for r in responses] == [302, 302]
    (entry,) = DiaryEntry.objects.filter(patient=patient)
    assert (entry.pain, entry.notes) == (6, "evening")
    (version,) = DiaryEntryVersion.objects.filter(entry=entry)
    assert (version.data["pain"], version.data["notes"]) == (2, "morning")


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_an_acknowledgement_during_a_save_leaves_the_dashboard_order_right(
    patient, clinician, monkeypatch
):
    """A clinician acknowledges yesterday's fever while the patient saves a feverish today:
    whichever goes first, the flags and the stored triage row agree in the end."""
    entry_save(patient=patient, day=TODAY - timedelta(days=1), values=FEVER, saved_by=patient)
    fever = Flag.objects.get(patient=patient, code="fever")
    tasks = {
        "save": lambda: entry_save(patient=patient, day=TODAY, values=FEVER, saved_by=patient),
        "acknowledge": lambda: flag_acknowledge(flag=fever, by=clinician, action="called"),
    }

    _results, errors = run_together(tasks, meet_after_lookup=False, monkeypatch=monkeypatch)

    assert errors == []
    fever.refresh_from_db()
    assert fever.status == Flag.Status.ACKNOWLEDGED
    assert_flags_consistent(patient)
