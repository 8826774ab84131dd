"""entry_save: one row per patient and day, every edit kept as a version, nothing half-written."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models.query import QuerySet

from diary.models import DiaryEntry, DiaryEntryVersion
from diary.services import entry_save
from tests.factories import ENTRY_VALUES, FROZEN_NOW, TODAY, make_entry

pytestmark = pytest.mark.django_db


def save(patient, day=TODAY, **changes):
    return entry_save(
        patient=patient, day=day, values={**ENTRY_VALUES, **changes}, saved_by=patient
    )


def test_it_creates_the_entry_for_the_day(patient):
    result = save(patient, pain=6, temperature_c=Decimal("37.2"))
    assert result.created
    assert result.changed_fields == tuple(ENTRY_VALUES)
    entry = DiaryEntry.objects.get(patient=patient, day=TODAY)
    assert entry == result.entry
    assert (entry.pain, entry.temperature_c) == (6, Decimal("37.2"))
    assert entry.created_at == FROZEN_NOW
    assert not DiaryEntryVersion.objects.exists()


def test_it_updates_the_same_day_instead_of_adding_a_second_entry(patient, time_machine):
    first = save(patient, pain=6, notes="swollen").entry
    time_machine.shift(timedelta(hours=2))
    result = save(patient, pain=3, notes="better")
    assert not result.created
    assert result.entry.pk == first.pk
    assert DiaryEntry.objects.filter(patient=patient).count() == 1
    first.refresh_from_db()
    assert (first.pain, first.notes) == (3, "better")
    assert first.updated_at == FROZEN_NOW + timedelta(hours=2)
    assert first.created_at == FROZEN_NOW


def test_an_update_keeps_the_previous_values_with_who_and_when(patient, time_machine):
    save(patient, pain=6, temperature_c=Decimal("37.9"))
    time_machine.shift(timedelta(minutes=30))
    result = save(patient, pain=3, temperature_c=Decimal("36.9"))
    assert result.changed_fields == ("pain", "temperature_c")
    (version,) = DiaryEntryVersion.objects.filter(entry=result.entry)
    assert version.data["pain"] == 6
    assert version.data["temperature_c"] == "37.9"
    assert version.data["swelling"] == ENTRY_VALUES["swelling"]
    assert version.changed_fields == ["pain", "temperature_c"]
    assert version.changed_by == patient
    assert version.changed_at == FROZEN_NOW + timedelta(minutes=30)


def test_every_edit_adds_a_version_and_none_is_lost(patient):
    for pain in (6, 5, 4):
        save(patient, pain=pain)
    versions = DiaryEntryVersion.objects.filter(entry__patient=patient).order_by("id")
    assert [v.data["pain"] for v in versions] == [6, 5]
    assert DiaryEntry.objects.get(patient=patient).pain == 4


def test_saving_the_same_answers_again_changes_nothing(patient, time_machine):
    first = save(patient).entry
    time_machine.shift(timedelta(hours=1))
    result = save(patient)
    assert result.changed_fields == ()
    assert not result.created
    assert not DiaryEntryVersion.objects.exists()
    first.refresh_from_db()
    assert first.updated_at == FROZEN_NOW


def test_the_same_temperature_written_differently_is_not_a_change(patient):
    save(patient, temperature_c=Decimal("36.8"))
    result = save(patient, temperature_c=Decimal("36.8"))
    assert result.changed_fields == ()


def test_a_clinician_editing_is_recorded_as_the_editor(patient, clinician):
    save(patient, pain=5)
    entry_save(patient=patient, day=TODAY, values={"pain": 2}, saved_by=clinician)
    version = DiaryEntryVersion.objects.get()
    assert version.changed_by == clinician
    assert version.changed_fields == ["pain"]


def test_a_partial_update_leaves_the_other_answers_alone(patient):
    save(patient, pain=6, swelling=2, notes="keep me")
    entry_save(patient=patient, day=TODAY, values={"pain": 4}, saved_by=patient)
    entry = DiaryEntry.objects.get(patient=patient)
    assert (entry.pain, entry.swelling, entry.notes) == (4, 2, "keep me")


def test_an_unknown_field_is_a_programming_error_and_writes_nothing(patient):
    with pytest.raises(ValueError, match="pian"):
        entry_save(patient=patient, day=TODAY, values={"pian": 3}, saved_by=patient)
    assert not DiaryEntry.objects.exists()


def test_the_day_cannot_be_passed_as_a_value(patient):
    with pytest.raises(ValueError, match="day"):
        entry_save(
            patient=patient,
            day=TODAY,
            values={**ENTRY_VALUES, "day": TODAY - timedelta(days=1)},
            saved_by=patient,
        )
    assert not DiaryEntry.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("pain", 11),
        ("swelling", 4),
        ("redness", "purple"),
        ("temperature_c", Decimal("99.5")),
        ("exercise_minutes", 601),
    ],
)
def test_an_invalid_new_entry_is_refused_and_nothing_is_written(patient, field, value):
    with pytest.raises(ValidationError) as caught:
        save(patient, **{field: value})
    assert field in caught.value.message_dict
    assert not DiaryEntry.objects.exists()


def test_an_invalid_update_leaves_the_entry_and_its_history_untouched(patient):
    entry = save(patient, pain=5, notes="before").entry
    with pytest.raises(ValidationError):
        save(patient, pain=11, notes="after")
    entry.refresh_from_db()
    assert (entry.pain, entry.notes) == (5, "before")
    assert not DiaryEntryVersion.objects.exists()


def test_saving_the_same_day_twice_in_a_row_is_one_entry_and_one_version(patient):
    """A double tap on "Save"."""
    save(patient, pain=7)
    save(patient, pain=7, notes="second tap")
    assert DiaryEntry.objects.filter(patient=patient).count() == 1
    assert DiaryEntryVersion.objects.count() == 1


def test_a_concurrent_insert_between_the_check_and_the_insert_ends_as_an_update(
    patient, monkeypatch
):
    """Another request creates the day's row just after this one looked and found none."""
    real_first = QuerySet.first
    competitors = []

    def first_then_someone_else_saves(queryset):
        found = real_first(queryset)
        if queryset.model is DiaryEntry and not competitors:
            competitors.append(make_entry(patient, day=TODAY, pain=9, notes="other tab"))
        return found

    monkeypatch.setattr(QuerySet, "first", first_then_someone_else_saves)

    result = save(patient, pain=4, notes="this tab")

    assert competitors, "the simulated concurrent insert did not happen"
    assert not result.created
    assert result.entry.pk == competitors[0].pk
    entry = DiaryEntry.objects.get(patient=patient, day=TODAY)
    assert (entry.pain, entry.notes) == (4, "this tab")
    version = DiaryEntryVersion.objects.get(entry=entry)
    assert (version.data["pain"], version.data["notes"]) == (9, "other tab")
    assert set(result.changed_fields) == {"pain", "notes"}


def test_entries_of_different_days_and_patients_stay_apart(patient, other_patient):
    save(patient, pain=2)
    save(patient, day=TODAY - timedelta(days=1), pain=8)
    save(other_patient, pain=5)
    assert DiaryEntry.objects.get(patient=patient, day=TODAY).pain == 2
    assert DiaryEntry.objects.get(patient=other_patient, day=TODAY).pain == 5
    assert not DiaryEntryVersion.objects.exists()
