"""The database itself refuses impossible diary rows, whatever code writes them."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from diary.models import DiaryEntry
from tests.factories import TODAY, make_entry

pytestmark = pytest.mark.django_db


def insert(patient, **fields):
    """Insert straight into the table: no form, no service, no full_clean()."""
    with transaction.atomic():
        return make_entry(patient, day=fields.pop("day", TODAY), **fields)


def test_it_refuses_a_second_entry_for_the_same_patient_and_day(patient):
    insert(patient, pain=3)
    with pytest.raises(IntegrityError, match="entry_one_per_patient_per_day|UNIQUE|unique"):
        insert(patient, pain=5)
    assert DiaryEntry.objects.get(patient=patient, day=TODAY).pain == 3


def test_it_allows_the_same_day_for_another_patient(patient, other_patient):
    insert(patient)
    insert(other_patient)
    assert DiaryEntry.objects.filter(day=TODAY).count() == 2


def test_it_allows_the_next_day_for_the_same_patient(patient):
    insert(patient, day=TODAY - timedelta(days=1))
    insert(patient, day=TODAY)
    assert patient.diary_entries.count() == 2


def test_full_clean_reports_the_duplicate_day_before_the_database_has_to(patient):
    insert(patient)
    duplicate = DiaryEntry(patient=patient, day=TODAY, pain=1, swelling=0, warmth=0)
    duplicate.redness, duplicate.weight_bearing = "none", "full"
    with pytest.raises(ValidationError):
        duplicate.full_clean()


@pytest.mark.parametrize(
    ("field", "value", "constraint"),
    [
        ("pain", 11, "entry_pain_0_10"),
        ("swelling", 4, "entry_swelling_0_3"),
        ("warmth", 4, "entry_warmth_0_3"),
        ("redness", "purple", "entry_redness_valid"),
        ("redness", "", "entry_redness_valid"),
        ("weight_bearing", "maybe", "entry_weight_bearing_valid"),
        ("temperature_c", Decimal("33.9"), "entry_temperature_plausible"),
        ("temperature_c", Decimal("42.6"), "entry_temperature_plausible"),
        ("temperature_c", Decimal("99.5"), "entry_temperature_plausible"),
        ("night_pain", 11, "entry_night_pain_0_10"),
    ],
)
def test_each_check_constraint_refuses_an_out_of_range_value(patient, field, value, constraint):
    with pytest.raises(IntegrityError, match=constraint):
        insert(patient, **{field: value})
    assert not DiaryEntry.objects.exists()


@pytest.mark.parametrize("field", ["pain", "swelling", "warmth", "night_pain"])
def test_a_negative_score_is_refused(patient, field):
    with pytest.raises(IntegrityError):
        insert(patient, **{field: -1})
    assert not DiaryEntry.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"pain": 0, "swelling": 0, "warmth": 0, "night_pain": 0},
        {"pain": 10, "swelling": 3, "warmth": 3, "night_pain": 10},
        {"temperature_c": Decimal("34.0")},
        {"temperature_c": Decimal("42.5")},
        {"temperature_c": None, "night_pain": None, "exercise_minutes": None},
        {"redness": "spreading", "weight_bearing": "cannot"},
    ],
)
def test_the_limits_themselves_are_accepted(patient, fields):
    entry = insert(patient, **fields)
    entry.refresh_from_db()
    for name, value in fields.items():
        assert getattr(entry, name) == value


def test_snapshot_holds_every_answer_as_plain_json_data(patient):
    entry = insert(patient, pain=6, temperature_c=Decimal("37.8"), notes="hot knee")
    snapshot = entry.snapshot()
    assert snapshot["pain"] == 6
    assert snapshot["temperature_c"] == "37.8"
    assert snapshot["notes"] == "hot knee"
    assert "day" not in snapshot
    assert "patient" not in snapshot
