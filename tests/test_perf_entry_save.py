"""What keeps an entry save fast without making it less safe.

entry_save checks the answers with the fields' own validators and leaves the check constraints
to the database (Django would validate each constraint with a query of its own): every check
constraint must therefore have a field validator that refuses the same values.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import CheckConstraint
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from diary.flagging import flags_evaluate
from diary.models import DiaryEntry, Flag
from diary.services import entry_save
from diary.synthetic import synthetic_clinic
from tests.factories import ENTRY_VALUES, TODAY, entry_form_data, make_entry

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


# --- The number of queries of one save, through the page -----------------------------------
#
# Each step costs a fixed number of queries, however long the diary and however many flags.
MIDDLEWARE = 2  # the session, and the user with their clinic (one query, accounts/backends.py)
TRANSACTION = 2  # begin and commit (here a savepoint and its release: tests run in one)
ENTRY_LOOKUP = 1  # the day's entry, locked
NEW_ROW = 3  # the insert, inside a savepoint: a concurrent insert makes the save an update
EDIT = 2  # the previous version and the update
# The rules: the injections, the entries the saved day's rules read (with the diary's latest
# activity), the flags those days may change and, when there are any, their occurrences; in the
# save's own transaction (no savepoint of their own). PostgreSQL first locks the patient's row;
# SQLite has no row locks.
RULES = 4 + (1 if connection.features.has_select_for_update else 0)
NO_FLAGS = -1  # a patient with no flag those days may change: their occurrences are not read
TRIAGE = 1  # the dashboard's stored triage row, written in one statement
NEW_DAY_QUERIES = MIDDLEWARE + TRANSACTION + ENTRY_LOOKUP + NEW_ROW + RULES + TRIAGE
EDIT_QUERIES = MIDDLEWARE + TRANSACTION + ENTRY_LOOKUP + EDIT + RULES + TRIAGE


@pytest.fixture
def signed_in(patient_client):
    """The patient's client after a first page: the session has its start time stored."""
    assert patient_client.get("/diary/entry/").status_code == 200
    return patient_client


def post_entry(client, day=TODAY, **answers):
    response = client.post(f"/diary/entry/{day.isoformat()}/", entry_form_data(day, **answers))
    assert response.status_code == 302


def test_saving_a_new_day_costs_a_fixed_number_of_queries(signed_in, django_assert_max_num_queries):
    with django_assert_max_num_queries(NEW_DAY_QUERIES):
        post_entry(signed_in)


def test_editing_a_day_costs_a_fixed_number_of_queries(
    signed_in, patient, django_assert_max_num_queries
):
    make_entry(patient, day=TODAY, pain=2)
    with django_assert_max_num_queries(EDIT_QUERIES):
        post_entry(signed_in, pain="3")


def test_a_save_that_raises_a_flag_adds_one_write_for_the_flag_and_one_for_its_day(
    signed_in, patient, django_assert_max_num_queries
):
    make_entry(patient, day=TODAY)
    with django_assert_max_num_queries(EDIT_QUERIES + 2):
        post_entry(signed_in, temperature_c="38.6")
    (flag,) = Flag.objects.filter(patient=patient)
    assert (flag.code, flag.severity, flag.occurrences.count()) == ("fever", "urgent", 1)


def edit_queries(client, patient) -> int:
    """Queries of an edit of today that changes no finding (the notes only)."""
    flags_evaluate(patient=patient)  # the whole history judged: the rules settle what it held
    post_entry(client, notes="first")
    with CaptureQueriesContext(connection) as captured:
        post_entry(client, notes="second")
    return len(captured)


def test_the_query_count_does_not_grow_with_the_diary_or_the_flags(frozen_now):
    counts = []
    for days in (5, 90):
        clinic = synthetic_clinic(patients=1, days=days, today=TODAY, name=f"Clinic {days}")
        patient = User.objects.get(clinic=clinic)
        client = Client()
        client.force_login(patient)
        client.get("/diary/entry/")
        counts.append(edit_queries(client, patient))
        flags = Flag.objects.filter(patient=patient)
        assert days == 5 or flags.count() > 1, "the long diary should have several flags"
    # The short diary has no open flag: one read fewer (their occurrences); none more with 90
    # days and several flags.
    short = Flag.objects.filter(patient__clinic__name="Clinic 5", status=Flag.Status.OPEN)
    assert not short.exists()
    assert counts[0] - NO_FLAGS == counts[1] == EDIT_QUERIES
