"""The re-check on the patient's home page (issue 19): after a caution, look again the next
morning and log, saying what to look at by the finding's code."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from diary.recheck import pending_day
from tests.factories import TODAY, clinic_morning, days_ago, make_injection, save_entry

pytestmark = pytest.mark.django_db

FEVERISH = {"temperature_c": Decimal("37.6")}  # a raised temperature: fever, caution
TEMPERATURE = "Measure your temperature."
JOINT = "Look at the joint: is it swollen, warm to the touch or red?"
LEG = "Check whether you can put your weight on the leg."
ARM = "Check whether you can use the arm."


@pytest.fixture(autouse=True)
def english(patient):
    patient.language = "en"
    patient.save(update_fields=["language"])


def home(client) -> str:
    with translation.override("en"):
        return client.get("/diary/").content.decode()


def recheck_box(content: str) -> str:
    start = content.find('class="alert alert-warning recheck')
    return content[start : content.find("</div>", start)] if start >= 0 else ""


def test_a_caution_yesterday_asks_to_check_again_today_with_what_to_measure(
    patient_client, patient
):
    save_entry(patient, days_ago(1), **FEVERISH)

    box = recheck_box(home(patient_client))

    assert "Please check again today" in box
    assert f'data-recheck-day="{days_ago(1).isoformat()}"' in box
    assert 'data-checks="temperature joint"' in box
    assert TEMPERATURE in box and JOINT in box
    assert LEG not in box


def test_logging_today_ends_the_re_check(patient_client, patient):
    save_entry(patient, days_ago(1), **FEVERISH)
    save_entry(patient, TODAY)  # back to 36.8 °C
    assert recheck_box(home(patient_client)) == ""


def test_a_caution_today_asks_to_check_again_tomorrow_morning(patient_client, patient):
    save_entry(patient, TODAY, **FEVERISH)
    box = recheck_box(home(patient_client))
    assert "Check again tomorrow morning" in box
    assert TEMPERATURE in box


def test_another_caution_today_asks_again_for_tomorrow(patient_client, patient):
    save_entry(patient, days_ago(1), **FEVERISH)
    save_entry(patient, TODAY, **FEVERISH)
    box = recheck_box(home(patient_client))
    assert f'data-recheck-day="{TODAY.isoformat()}"' in box
    assert "Check again tomorrow morning" in box


def test_not_bearing_weight_asks_about_weight_bearing_and_the_joint(patient_client, patient):
    save_entry(patient, days_ago(1), weight_bearing="cannot")
    box = recheck_box(home(patient_client))
    assert 'data-checks="joint weight_bearing"' in box
    assert LEG in box and JOINT in box
    assert TEMPERATURE not in box


def test_a_shoulder_is_asked_about_using_the_arm(patient_client, patient):
    make_injection(patient, day=days_ago(3), joint="shoulder", side="right")
    save_entry(patient, days_ago(1), weight_bearing="cannot")
    box = recheck_box(home(patient_client))
    assert ARM in box and LEG not in box


def test_the_re_check_is_in_japanese_for_a_japanese_patient(patient_client, patient):
    patient.language = "ja"
    patient.save(update_fields=["language"])
    save_entry(patient, days_ago(1), **FEVERISH)
    box = recheck_box(patient_client.get("/diary/").content.decode())
    assert "体温を測ってください。" in box
    assert "Measure" not in box


def test_an_urgent_finding_is_no_re_check(patient_client, patient):
    save_entry(patient, days_ago(1), temperature_c=Decimal("38.6"))  # urgent: call now
    assert recheck_box(home(patient_client)) == ""


def test_a_caution_withdrawn_by_an_edit_asks_for_nothing(patient_client, patient):
    save_entry(patient, days_ago(1), **FEVERISH)
    save_entry(patient, days_ago(1))  # corrected: it was 36.8 °C
    assert recheck_box(home(patient_client)) == ""


def test_an_acknowledged_caution_still_asks_the_patient_to_look_again(
    patient_client, patient, clinician
):
    from diary.flagging import flag_acknowledge

    save_entry(patient, days_ago(1), **FEVERISH)
    flag_acknowledge(flag=patient.flags.get(), by=clinician, action="called", note="")
    assert TEMPERATURE in recheck_box(home(patient_client))


def test_a_caution_older_than_a_week_is_no_longer_a_re_check(patient_client, patient, time_machine):
    save_entry(patient, days_ago(1), **FEVERISH)
    time_machine.move_to(clinic_morning(TODAY + timedelta(days=6)), tick=False)
    patient_client.force_login(patient)
    assert TEMPERATURE in recheck_box(home(patient_client))
    time_machine.move_to(clinic_morning(TODAY + timedelta(days=7)), tick=False)
    patient_client.force_login(patient)
    assert recheck_box(home(patient_client)) == ""


def test_the_pending_day_is_the_latest_caution_without_an_entry_after_it():
    days = [days_ago(5), days_ago(2)]
    assert pending_day(days, days_ago(2), TODAY) == days_ago(2)
    assert pending_day(days, days_ago(1), TODAY) is None
    assert pending_day([days_ago(8)], None, TODAY) is None
    assert pending_day([], None, TODAY) is None
