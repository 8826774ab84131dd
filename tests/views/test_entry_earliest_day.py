"""A diary day long before the patient registered (1900-01-01, a slip on the date picker) is
refused with a clear message in the patient's language; the baseline days before the first
injection are still allowed (issue 16).

The earliest day: 1 January of the year the patient registered (clinic time), or four weeks
before the registration when that is earlier.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from accounts.models import User
from diary.forms import DiaryEntryForm
from diary.models import DiaryEntry
from diary.selectors import earliest_entry_day
from tests.factories import TODAY, TOKYO, days_ago, entry_form_data
from tests.views.html import field_error

pytestmark = pytest.mark.django_db

JANUARY_FIRST = date(TODAY.year, 1, 1)  # Hanako registered on TODAY (the frozen clock)
ENGLISH = f"The diary starts on {JANUARY_FIRST}. Please choose that day or a later one."
JAPANESE = f"日記は {JANUARY_FIRST} から記録できます。この日以降の日を選んでください。"


def post(client, day):
    return client.post(f"/diary/entry/{day}/", entry_form_data(day=day))


def in_english(user):
    User.objects.filter(pk=user.pk).update(language="en")


@pytest.mark.parametrize("day", ["1900-01-01", "0001-01-01", f"{TODAY.year - 1}-12-31"])
def test_a_day_before_the_registration_year_is_refused(patient_client, patient, day):
    in_english(patient)
    response = post(patient_client, day)

    assert response.status_code == 200
    assert ENGLISH in field_error(response.content, "day")
    assert not DiaryEntry.objects.filter(patient=patient).exists()


def test_the_message_is_in_japanese_for_a_japanese_patient(patient_client, patient):
    response = post(patient_client, "1900-01-01")
    assert JAPANESE in field_error(response.content, "day")


def test_opening_such_a_day_explains_it_at_once(patient_client, patient):
    in_english(patient)
    response = patient_client.get("/diary/entry/1900-01-01/")
    assert response.status_code == 200
    assert ENGLISH in field_error(response.content, "day")


def test_the_date_picker_starts_on_the_earliest_day(patient_client):
    # The day is chosen on a page of its own, not on today's form (issue 18).
    content = patient_client.get("/diary/entry/earlier/").content.decode()
    assert f'min="{JANUARY_FIRST}"' in content
    assert f'max="{TODAY}"' in content


def test_the_date_picker_refuses_such_a_day_in_the_patients_language(patient_client, patient):
    response = patient_client.get("/diary/entry/earlier/", {"day": "1900-01-01"})
    assert response.status_code == 200
    assert JAPANESE in field_error(response.content, "day")


@pytest.mark.parametrize("day", [JANUARY_FIRST, days_ago(12)])
def test_the_first_day_of_the_year_and_baseline_days_are_allowed(patient_client, patient, day):
    response = post(patient_client, day.isoformat())
    assert response.status_code == 302
    assert DiaryEntry.objects.filter(patient=patient, day=day).exists()


def test_registered_in_early_january_the_weeks_before_are_allowed(clinic):
    """Registered on 10 January (at the visit after a December injection): four weeks back."""
    patient = User.objects.create_user(
        "january@example.jp",
        None,
        name="January Patient",
        role=User.Role.PATIENT,
        clinic=clinic,
        date_joined=datetime(2027, 1, 10, 9, 0, tzinfo=TOKYO),
    )
    assert earliest_entry_day(patient) == date(2026, 12, 13)


def test_the_registration_year_is_the_clinics(clinic):
    """31 December 23:30 in Tokyo is still 31 December there, though 14:30 UTC."""
    patient = User.objects.create_user(
        "newyear@example.jp",
        None,
        name="New Year Patient",
        role=User.Role.PATIENT,
        clinic=clinic,
        date_joined=datetime(2026, 12, 31, 23, 30, tzinfo=TOKYO),
    )
    assert earliest_entry_day(patient) == date(2026, 1, 1)


def test_the_form_refuses_a_day_before_the_day_it_is_given():
    form = DiaryEntryForm(entry_form_data(day="2025-12-31"), today=TODAY, earliest=date(2026, 1, 1))
    assert not form.is_valid()
    assert form.errors.as_data()["day"][0].code == "too_early"
    assert DiaryEntryForm(entry_form_data(), today=TODAY, earliest=TODAY).is_valid()
