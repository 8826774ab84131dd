"""What keeps an entry save fast without making it less safe.

entry_save checks the answers with the fields' own validators and leaves the check constraints
to the database (Django would validate each constraint with a query of its own): every check
constraint must therefore have a field validator that refuses the same values.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint

from diary.models import DiaryEntry
from diary.services import entry_save
from tests.factories import ENTRY_VALUES, TODAY

pytestmark = pytest.mark.django_db

# Just outside each range (and each list of choices) that a check constraint of DiaryEntry keeps.
OUT_OF_RANGE = [
    ("pain", -1),
    ("pain", 11),
    ("swelling", -1),
    ("swelling", 4),
    ("warmth", -1),
    ("warmth", 4),
    ("redness", "purple"),
    ("weight_bearing", "sometimes"),
    ("temperature_c", Decimal("33.9")),
    ("temperature_c", Decimal("42.6")),
    ("night_pain", -1),
    ("night_pain", 11),
]


def check_constraints() -> list[CheckConstraint]:
    return [c for c in DiaryEntry._meta.constraints if isinstance(c, CheckConstraint)]


def violated(entry: DiaryEntry) -> set[str]:
    """The names of the check constraints the database would refuse this entry for."""
    names = set()
    for constraint in check_constraints():
        try:
            constraint.validate(DiaryEntry, entry)
        except ValidationError:
            names.add(constraint.name)
    return names


def test_the_values_below_break_every_check_constraint_of_an_entry(patient):
    """A guard for the next test: a new constraint needs a line in OUT_OF_RANGE."""
    broken = set()
    for name, value in OUT_OF_RANGE:
        entry = DiaryEntry(patient=patient, day=TODAY, **{**ENTRY_VALUES, name: value})
        assert violated(entry), (name, value)
        broken |= violated(entry)
    assert broken == {c.name for c in check_constraints()}


@pytest.mark.parametrize(("name", "value"), OUT_OF_RANGE)
def test_a_value_a_check_constraint_refuses_is_refused_by_entry_save_first(patient, name, value):
    """As a ValidationError naming the field (not an IntegrityError), and nothing is written."""
    with pytest.raises(ValidationError) as caught:
        entry_save(
            patient=patient, day=TODAY, values={**ENTRY_VALUES, name: value}, saved_by=patient
        )
    assert name in caught.value.message_dict
    assert not DiaryEntry.objects.exists()


@pytest.mark.parametrize(("name", "value"), OUT_OF_RANGE)
def test_an_update_to_a_refused_value_is_refused_too(patient, name, value):
    entry_save(patient=patient, day=TODAY, values=ENTRY_VALUES, saved_by=patient)
    with pytest.raises(ValidationError) as caught:
        entry_save(
            patient=patient, day=TODAY, values={**ENTRY_VALUES, name: value}, saved_by=patient
        )
    assert name in caught.value.message_dict
    stored = DiaryEntry.objects.get(patient=patient)
    assert getattr(stored, name) == ENTRY_VALUES[name]
