"""`manage.py backup` and `manage.py restore` round-trip a clinic, and a bad file changes nothing.

Runs on SQLite (online backup API into and out of the in-memory test database) and on
PostgreSQL (pg_dump / pg_restore of the test database; the restore closes Django's connections,
which reopen on the next query).
"""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Clinic, User
from diary.models import (
    DiaryEntry,
    DiaryEntryVersion,
    Flag,
    FlagNotice,
    FlagOccurrence,
    GlobalRating,
    Goal,
    GoalRating,
    Injection,
)
from tests.factories import (
    TODAY,
    days_ago,
    make_entries,
    make_entry,
    make_flag,
    make_goal,
    rate_goal,
    save_entry,
)

pytestmark = pytest.mark.django_db(transaction=True)

MODELS = (
    Clinic,
    User,
    Injection,
    DiaryEntry,
    DiaryEntryVersion,
    Flag,
    FlagOccurrence,
    FlagNotice,  # the urgent e-mails sent about the flags (issue 19)
    Goal,
    GoalRating,
    GlobalRating,
)


def snapshot() -> dict:
    """Every row of the clinic's tables, every column, in primary-key order."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}


@pytest.fixture
def clinic_data(clinic, patient, clinician):
    """Hanako's course: five entries (one edited), a fever flag acknowledged, a goal rated."""
    injection = patient.injections.get()
    make_entries(patient, first=days_ago(5), count=4, notes="足が重い")
    save_entry(patient, TODAY, temperature_c=Decimal("38.4"), notes="熱っぽい")
    save_entry(patient, TODAY, temperature_c=Decimal("38.6"), notes="熱っぽい、寒気")
    goal = make_goal(patient, injection=injection)
    rate_goal(goal, day=days_ago(1), value=5)
    make_flag(
        patient,
        code="warm_red_joint",
        severity="caution",
        first_day=days_ago(3),
        acknowledged_by=clinician,
        action=Flag.Action.CALLED,
        note="電話済み",
    )
    assert Flag.objects.filter(code="fever", status=Flag.Status.OPEN).exists()
    assert DiaryEntryVersion.objects.exists()
    return {"goal": goal, "injection": injection}


def test_a_restore_brings_back_exactly_the_rows_of_the_backup(clinic_data, patient, tmp_path):
    path = tmp_path / "b.backup"
    before = snapshot()
    out = StringIO()
    call_command("backup", output=path, stdout=out)
    assert path.stat().st_size > 0
    assert str(path) in out.getvalue()

    # A day of damage: changed, added and deleted rows.
    DiaryEntry.objects.filter(day=days_ago(5)).update(pain=10, notes="overwritten")
    Clinic.objects.update(name="Renamed", reminder_hour=22)
    User.objects.filter(pk=patient.pk).update(name="Someone Else")
    make_entry(patient, day=days_ago(10), notes="after the backup")
    GoalRating.objects.all().delete()
    clinic_data["goal"].delete()
    FlagNotice.objects.all().delete()
    FlagOccurrence.objects.all().delete()
    Flag.objects.all().delete()
    assert snapshot() != before

    call_command("restore", str(path), yes=True, stdout=StringIO())

    assert snapshot() == before


def test_after_a_restore_new_rows_get_new_ids(clinic_data, patient, tmp_path):
    """Sequences come back with the rows: the next entry must not collide with a restored one."""
    path = tmp_path / "b.backup"
    call_command("backup", output=path, stdout=StringIO())
    make_entry(patient, day=days_ago(20))
    call_command("restore", str(path), yes=True, stdout=StringIO())

    highest = max(DiaryEntry.objects.values_list("pk", flat=True))
    added = make_entry(User.objects.get(pk=patient.pk), day=days_ago(21))
    assert added.pk > highest
    assert DiaryEntry.objects.count() == len(snapshot()["DiaryEntry"])


def test_restoring_a_missing_file_is_refused(clinic_data, tmp_path):
    before = snapshot()
    with pytest.raises(CommandError, match="No such backup"):
        call_command("restore", str(tmp_path / "missing.backup"), yes=True)
    assert snapshot() == before


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"these are not the rows you are looking for\n" * 200,
        b"SQLite format 3\x00" + b"\xff" * 4096,
        b"PGDMP" + b"\x00" * 4096,
    ],
    ids=["empty", "text", "broken-sqlite", "broken-pg_dump"],
)
def test_restoring_a_file_that_is_not_a_backup_changes_nothing(clinic_data, tmp_path, content):
    bad = tmp_path / "bad.backup"
    bad.write_bytes(content)
    before = snapshot()

    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("restore", str(bad), yes=True, stdout=StringIO())

    assert snapshot() == before


def test_restore_asks_before_replacing_everything(clinic_data, tmp_path, monkeypatch):
    path = tmp_path / "b.backup"
    call_command("backup", output=path, stdout=StringIO())
    DiaryEntry.objects.update(notes="kept")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")

    with pytest.raises(CommandError, match="Not restored"):
        call_command("restore", str(path), stdout=StringIO())

    assert set(DiaryEntry.objects.values_list("notes", flat=True)) == {"kept"}
