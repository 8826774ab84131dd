""" "Today" is the clinic's calendar day, also when UTC is still on the day before."""

from datetime import UTC, date, datetime

import pytest

from diary.models import DiaryEntry
from diary.selectors import clinic_today
from tests.factories import entry_form_data, make_clinic, make_injection, make_patient
from tests.views.html import field_error

pytestmark = pytest.mark.django_db

NOV_26 = date(2026, 11, 26)
JUST_AFTER_MIDNIGHT_IN_TOKYO = datetime(2026, 11, 25, 15, 30, tzinfo=UTC)  # 00:30 on the 26th
JUST_BEFORE_MIDNIGHT_IN_TOKYO = datetime(2026, 11, 25, 14, 59, tzinfo=UTC)  # 23:59 on the 25th


def test_clinic_today_is_the_date_in_the_clinics_zone(clinic):
    assert clinic_today(clinic, JUST_AFTER_MIDNIGHT_IN_TOKYO) == NOV_26
    assert clinic_today(clinic, JUST_BEFORE_MIDNIGHT_IN_TOKYO) == date(2026, 11, 25)


def test_just_after_midnight_in_tokyo_the_entry_page_is_for_the_new_day(
    patient_client, time_machine
):
    time_machine.move_to(JUST_AFTER_MIDNIGHT_IN_TOKYO, tick=False)
    response = patient_client.get("/diary/entry/")
    assert response.context["today"] == NOV_26
    assert response.context["day"] == NOV_26
    assert b'action="/diary/entry/2026-11-26/"' in response.content  # the day is the address's


def test_just_after_midnight_in_tokyo_the_new_day_can_be_saved(
    patient_client, patient, time_machine
):
    time_machine.move_to(JUST_AFTER_MIDNIGHT_IN_TOKYO, tick=False)
    response = patient_client.post("/diary/entry/2026-11-26/", entry_form_data(NOV_26))
    assert response.status_code == 302
    assert DiaryEntry.objects.get(patient=patient).day == NOV_26


def test_just_before_midnight_in_tokyo_the_next_day_is_still_the_future(
    patient_client, patient, time_machine
):
    patient.language = "en"
    patient.save(update_fields=["language"])
    time_machine.move_to(JUST_BEFORE_MIDNIGHT_IN_TOKYO, tick=False)
    assert patient_client.get("/diary/entry/").context["day"] == date(2026, 11, 25)
    response = patient_client.post("/diary/entry/2026-11-26/", entry_form_data(NOV_26))
    assert response.status_code == 200
    assert "Today is 2026-11-25" in field_error(response.content, "day")
    assert not DiaryEntry.objects.exists()


def test_the_day_number_on_home_turns_at_midnight_in_tokyo(patient_client, time_machine):
    time_machine.move_to(JUST_BEFORE_MIDNIGHT_IN_TOKYO, tick=False)
    assert patient_client.get("/diary/").context["status"].day_number == 4
    time_machine.move_to(JUST_AFTER_MIDNIGHT_IN_TOKYO, tick=False)
    assert patient_client.get("/diary/").context["status"].day_number == 5


def test_a_clinic_elsewhere_uses_its_own_zone_not_the_servers(client, time_machine):
    """At 01:00 UTC on the 26th it is already the 26th in Tokyo but still the 25th in New York."""
    new_york = make_clinic("Hudson Clinic", time_zone="America/New_York")
    patient = make_patient("ny@example.jp", clinic=new_york)
    make_injection(patient, day=date(2026, 11, 20))
    time_machine.move_to(datetime(2026, 11, 26, 1, 0, tzinfo=UTC), tick=False)
    client.force_login(patient)
    assert client.get("/diary/entry/").context["day"] == date(2026, 11, 25)
    response = client.post("/diary/entry/2026-11-26/", entry_form_data(NOV_26))
    assert response.status_code == 200
    assert not DiaryEntry.objects.exists()
