"""The call list /clinic/calls/ (issue 19): today's patients to phone with the reason, day N
and the numbers, and a call's outcome recorded from a row in one step."""

from __future__ import annotations

import html
from datetime import datetime, time
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AccessLog
from diary.flagging import flag_acknowledge
from diary.models import CallOutcome
from tests.factories import (
    TODAY,
    TOKYO,
    days_ago,
    make_entry,
    make_flag,
    make_injection,
    make_patient,
    save_entry,
)
from tests.views.html import element_text

pytestmark = pytest.mark.django_db
URL = "/clinic/calls/"


@pytest.fixture(autouse=True)
def english(clinician, clinic_admin, patient):
    patient.phone, patient.phone2, patient.phone2_label = "090-1234-5678", "03-1111-9999", "長女"
    patient.name_kana = "サトウ\u3000ハナコ"
    patient.save()
    for user in (clinician, clinic_admin):
        user.language = "en"
        user.save(update_fields=["language"])


def rows(client, section: str = "to-call") -> str:
    return element_text(client.get(URL).content, section) or ""


def record(client, patient, **data):
    return client.post(f"/clinic/calls/{patient.public_id}/record/", data)


# --- Who is on it, and why ----------------------------------------------------------------


def test_an_unacknowledged_urgent_flag_is_on_the_list_with_phones_and_day_n(
    clinician_client, patient
):
    make_flag(patient, code="fever", severity="urgent", first_day=TODAY)

    content = clinician_client.get(URL).content.decode()
    text = element_text(content, "to-call")

    assert f'id="call-{patient.public_id}" data-reason="urgent"' in content
    assert "Hanako Sato" in text and "サトウ\u3000ハナコ" in content
    assert "Not acknowledged: Fever (since November 26)" in text
    assert "Day 5 after the injection" in text
    assert 'href="tel:09012345678"' in content and 'href="tel:0311119999"' in content
    assert "(長女)" in text


def test_an_unacknowledged_caution_is_on_the_list(clinician_client, patient):
    make_flag(patient, code="not_easing", severity="caution", first_day=days_ago(1))
    content = clinician_client.get(URL).content.decode()
    assert 'data-reason="caution"' in content
    assert "Not acknowledged: Not easing (since November 25)" in element_text(content, "to-call")


def test_several_flags_of_a_reason_are_one_line_their_names_apart(clinician_client, patient):
    make_flag(patient, code="not_easing", severity="caution", first_day=days_ago(2))
    make_flag(patient, code="warm_red_joint", severity="caution", first_day=days_ago(1))
    text = rows(clinician_client)
    assert "Not acknowledged: Not easing; Warm, red joint (since November 24)" in text


def test_a_patient_not_logging_is_on_the_list_with_the_last_entry(clinician_client, patient):
    make_entry(patient, day=days_ago(4))
    make_flag(patient, code="missed_entries", severity="info", first_day=TODAY)
    content = clinician_client.get(URL).content.decode()
    assert 'data-reason="not_logging"' in content
    assert "Not logging last entry on November 22" in element_text(content, "to-call")


def test_a_re_check_not_done_by_the_next_evening_is_on_the_list(
    clinician_client, clinician, patient, time_machine
):
    save_entry(patient, days_ago(1), temperature_c=Decimal("37.6"))  # a caution yesterday
    flag_acknowledge(flag=patient.flags.get(), by=clinician, action="called", note="")

    # This morning the re-check is not late yet: nobody to call.
    assert "Hanako" not in rows(clinician_client)
    # At the clinic's evening hour (19:00) without an entry, it is.
    time_machine.move_to(datetime.combine(TODAY, time(19, 0), tzinfo=TOKYO), tick=False)
    clinician_client.force_login(clinician)
    content = clinician_client.get(URL).content.decode()
    assert 'data-reason="recheck"' in content
    assert "Re-check not done Caution on November 25 (Fever), no entry since" in element_text(
        content, "to-call"
    )


def test_a_re_check_done_keeps_the_patient_off_the_list(
    clinician_client, clinician, patient, time_machine
):
    save_entry(patient, days_ago(1), temperature_c=Decimal("37.6"))
    flag_acknowledge(flag=patient.flags.get(), by=clinician, action="called", note="")
    save_entry(patient, TODAY)
    time_machine.move_to(datetime.combine(TODAY, time(20, 0), tzinfo=TOKYO), tick=False)
    clinician_client.force_login(clinician)
    assert "Hanako" not in rows(clinician_client)


def test_a_caution_yesterday_not_acknowledged_is_listed_for_both_reasons_the_caution_first(
    clinician_client, clinician, patient, time_machine
):
    save_entry(patient, days_ago(2), temperature_c=Decimal("37.6"))
    content = clinician_client.get(URL).content.decode()
    text = element_text(content, "to-call")
    assert 'data-reason="caution"' in content
    assert text.index("Not acknowledged: Fever") < text.index("Re-check not done")


def test_acknowledged_flags_and_expected_reactions_put_nobody_on_the_list(
    clinician_client, clinician, patient, other_patient
):
    make_flag(patient, code="fever", severity="urgent", first_day=TODAY,
              acknowledged_by=clinician, action="called")  # fmt: skip
    make_flag(other_patient, code="early_reaction", severity="info", first_day=TODAY)
    content = clinician_client.get(URL).content.decode()
    assert "call-row" not in content
    assert "Nobody to call right now." in content


def test_urgent_comes_first_then_caution_re_check_and_not_logging(
    clinician_client, clinic, patient, other_patient
):
    third = make_patient("third@example.jp", clinic=clinic, name="Third Person")
    make_flag(other_patient, code="missed_entries", severity="info", first_day=TODAY)
    make_flag(third, code="not_easing", severity="caution", first_day=days_ago(3))
    make_flag(patient, code="fever", severity="urgent", first_day=TODAY)
    content = clinician_client.get(URL).content.decode()
    rows_at = [content.index(f'id="call-{p.public_id}"') for p in (patient, third, other_patient)]
    assert rows_at == sorted(rows_at)


def test_a_patient_without_a_number_gets_a_link_to_add_one(clinician_client, other_patient):
    make_flag(other_patient, code="fever", severity="urgent", first_day=TODAY)
    content = clinician_client.get(URL).content.decode()
    assert "No phone number recorded." in content
    assert f'href="/clinic/patients/{other_patient.public_id}/contact/"' in content


def test_the_clinic_admin_sees_the_list_too(clinic_admin_client, patient):
    make_flag(patient, code="fever", severity="urgent", first_day=TODAY)
    assert "Hanako Sato" in rows(clinic_admin_client)


def test_another_clinic_sees_none_of_these_patients(other_clinician_client, patient):
    make_flag(patient, code="fever", severity="urgent", first_day=TODAY)
    content = other_clinician_client.get(URL).content.decode()
    assert "Hanako" not in content and "090-1234-5678" not in content


def test_patients_and_visitors_cannot_open_it(client, patient_client):
    assert patient_client.get(URL).status_code == 404
    client.logout()
    assert client.get(URL).status_code == 302


def test_an_erased_patient_is_not_on_it(clinician_client, clinic):
    gone = make_patient("gone@example.jp", clinic=clinic, name="Gone Person", is_active=False)
    make_flag(gone, code="fever", severity="urgent", first_day=TODAY)
    assert "Gone Person" not in rows(clinician_client)


def test_the_page_prints_on_a4(clinician_client, patient):
    make_flag(patient, code="fever", severity="urgent", first_day=TODAY)
    content = clinician_client.get(URL).content.decode()
    assert "/static/css/calls.css" in content
    assert 'class="print-only print-boxes"' in content
    css = (Path(settings.BASE_DIR) / "static" / "css" / "calls.css").read_text()
    assert "@page { size: A4" in css and "@media print" in css


# --- Recording a call ---------------------------------------------------------------------


def test_recording_a_call_is_one_post_that_writes_the_outcome_and_the_access_log(
    clinician_client, clinician, patient
):
    make_flag(patient, code="fever", severity="urgent", first_day=TODAY)

    response = record(clinician_client, patient, result="reached", reason="urgent",
                      note="Comes in at 14:00")  # fmt: skip

    assert response.status_code == 302
    assert response["Location"] == f"/clinic/calls/#call-{patient.public_id}"
    outcome = CallOutcome.objects.get()
    assert (outcome.patient, outcome.by, outcome.result, outcome.reason, outcome.note) == (
        patient, clinician, "reached", "urgent", "Comes in at 14:00"
    )  # fmt: skip
    log = AccessLog.objects.get(action="call_outcome")
    assert (log.user, log.patient, log.path) == (
        clinician, patient, f"/clinic/calls/{patient.public_id}/record/"
    )  # fmt: skip


def test_a_patient_reached_moves_to_the_called_section(clinician_client, patient):
    make_flag(patient, code="fever", severity="urgent", first_day=TODAY)
    record(clinician_client, patient, result="reached", reason="urgent")
    assert "Hanako" not in rows(clinician_client, "to-call")
    called = rows(clinician_client, "called")
    assert "Hanako Sato" in called and "Reached" in called


def test_after_no_answer_the_patient_stays_to_be_called_again(clinician_client, patient):
    make_flag(patient, code="fever", severity="urgent", first_day=TODAY)
    record(clinician_client, patient, result="no_answer", reason="urgent", note="rang 10 times")
    text = rows(clinician_client, "to-call")
    assert "Hanako Sato" in text
    assert "11/26 10:00 No answer · Dr. Taro Yamada: rang 10 times" in text


def test_the_call_shows_in_the_patients_timeline(clinician_client, patient):
    make_flag(patient, code="fever", severity="urgent", first_day=TODAY)
    record(clinician_client, patient, result="message_left", reason="urgent", note="voicemail")
    text = element_text(clinician_client.get(f"/clinic/patients/{patient.public_id}/").content,
                        "calls")  # fmt: skip
    assert "2026-11-26 10:00 Left a message Urgent warning sign not acknowledged" in text
    assert "Dr. Taro Yamada: voicemail" in text


def test_a_call_without_its_result_gets_a_message_and_writes_nothing(clinician_client, patient):
    response = record(clinician_client, patient, reason="urgent", note="?")
    assert response.status_code == 302
    page = html.unescape(clinician_client.get(URL).content.decode())
    assert "Choose how the call went: reached, no answer or message." in page
    assert not CallOutcome.objects.exists()
    assert not AccessLog.objects.filter(action="call_outcome").exists()


@pytest.mark.parametrize(
    "data",
    [
        {"result": "maybe", "reason": "urgent"},
        {"result": "reached", "reason": "gossip"},
        {"result": "reached", "reason": "urgent", "note": "x" * 501},
    ],
)
def test_tampered_or_too_long_input_writes_nothing(clinician_client, patient, data):
    assert record(clinician_client, patient, **data).status_code == 302
    assert not CallOutcome.objects.exists()


def test_another_clinic_cannot_record_a_call_to_this_patient(other_clinician_client, patient):
    response = record(other_clinician_client, patient, result="reached", reason="urgent")
    assert response.status_code == 404
    assert not CallOutcome.objects.exists()


def test_a_patient_cannot_record_calls(patient_client, patient):
    assert record(patient_client, patient, result="reached", reason="urgent").status_code == 404
    assert not CallOutcome.objects.exists()


def test_a_get_records_nothing(clinician_client, patient):
    assert clinician_client.get(f"/clinic/calls/{patient.public_id}/record/").status_code == 405


def test_no_call_is_recorded_for_an_erased_patient(clinician_client, clinic):
    gone = make_patient("gone@example.jp", clinic=clinic, is_active=False)
    record(clinician_client, gone, result="reached", reason="urgent")
    assert not CallOutcome.objects.exists()


# --- Cost ---------------------------------------------------------------------------------


def _crowd(clinic, numbers: range) -> None:
    for n in numbers:
        person = make_patient(f"c{n}@example.jp", clinic=clinic, name=f"Crowd {n}",
                              phone=f"090-0000-{n:04d}")  # fmt: skip
        make_injection(person, day=days_ago(n % 10))
        kind = n % 3
        if kind == 0:
            make_flag(person, code="fever", severity="urgent", first_day=TODAY)
        elif kind == 1:
            make_flag(person, code="missed_entries", severity="info", first_day=TODAY)
        else:
            save_entry(person, days_ago(3), temperature_c=Decimal("37.6"))
        CallOutcome.objects.create(patient=person, by=person, result="no_answer", reason="urgent")


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    return len(captured)


def test_the_query_count_does_not_grow_with_the_number_of_patients(clinician_client, clinic):
    _crowd(clinic, range(3))
    clinician_client.get(URL)  # the session's first request writes its start time
    small = _queries(clinician_client)
    _crowd(clinic, range(3, 60))
    large = _queries(clinician_client)
    assert large == small
    assert clinician_client.get(URL).content.decode().count('class="call-row"') == 60
