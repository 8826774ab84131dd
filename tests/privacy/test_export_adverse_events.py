"""The patient's JSON download holds the adverse events the clinic recorded about them in the
register (registry.hooks.patient_adverse_events): the event as it stands and every earlier
version, without the staff's names; never another patient's; for an erased patient too."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta

import pytest

from accounts.models import User
from diary.models import Flag, Injection
from diary.privacy import patient_erase, patient_export
from registry.selectors import patient_events_export
from registry.services import (
    adverse_event_change,
    adverse_event_mark_reported,
    adverse_event_record,
)
from tests.factories import FROZEN_NOW, days_ago, make_flag, make_injection
from tests.registry.helpers import make_plan, treat

pytestmark = pytest.mark.django_db

JSON_URL = "/diary/my-data/export.json"
DESCRIPTION = "注射の翌日に失神し、1泊入院しました"
OTHER_DESCRIPTION = "Ichiro-event-private"
FLAG_NOTE = "Spoke to her son at 21:10"
EVENT_KEYS = {
    "onset_on",
    "learned_on",
    "description",
    "seriousness",
    "relation",
    "outcome",
    "outcome_on",
    "reported_on",
    "reported_to",
    "recorded_at",
    "updated_at",
    "injection",
    "plan",
    "red_flag",
    "edits",
}
PREVIOUS_KEYS = {
    "onset_on",
    "learned_on",
    "description",
    "seriousness",
    "relation",
    "outcome",
    "outcome_on",
    "reported_on",
    "reported_to",
    "injection",
    "plan",
}
REQUIRED = {
    "seriousness": "hospitalisation",
    "relation": "possibly_related",
    "outcome": "recovering",
}


def record(patient, by, **values):
    values = {
        "onset_on": days_ago(3),
        "learned_on": days_ago(2),
        "description": DESCRIPTION,
        **REQUIRED,
        **values,
    }
    return adverse_event_record(patient=patient, values=values, by=by)


def download(client) -> dict:
    response = client.get(JSON_URL)
    assert response.status_code == 200
    return json.loads(response.content.decode("utf-8"))


@pytest.fixture
def plan(clinic):
    return make_plan(clinic)


@pytest.fixture
def filled_event(patient, clinician, plan):
    """Every optional field: an injection under the plan, the flag it came from, the outcome's
    date, reported (so edited once)."""
    injection = treat(patient, plan, day=days_ago(4), time=time(9, 0))
    flag = make_flag(
        patient,
        code="fever",
        severity="urgent",
        first_day=days_ago(3),
        acknowledged_by=clinician,
        action=Flag.Action.CALLED,
        note=FLAG_NOTE,
    )
    event = adverse_event_record(
        patient=patient,
        by=clinician,
        flag=flag,
        values={
            "onset_on": days_ago(3),
            "learned_on": days_ago(2),
            "description": DESCRIPTION,
            **REQUIRED,
            "outcome_on": days_ago(1),
            "injection": injection,
        },
    )
    adverse_event_mark_reported(
        event=event, reported_on=days_ago(1), reported_to="committee", by=clinician
    )
    return event


def test_the_download_holds_the_event_with_the_chosen_fields(patient_client, filled_event, plan):
    [event] = download(patient_client)["adverse_events"]
    assert set(event) == EVENT_KEYS  # no recorded_by, patient, flag note or deadline
    assert (event["onset_on"], event["learned_on"], event["outcome_on"]) == (
        days_ago(3).isoformat(), days_ago(2).isoformat(), days_ago(1).isoformat()
    )  # fmt: skip
    assert event["description"] == DESCRIPTION
    assert (event["seriousness"], event["relation"], event["outcome"]) == (
        "hospitalisation", "possibly_related", "recovering"
    )  # fmt: skip
    assert (event["reported_on"], event["reported_to"]) == (days_ago(1).isoformat(), "committee")
    assert event["injection"] == {
        "day": days_ago(4).isoformat(),
        "time": "09:00:00",
        "joint": "knee",
        "side": "left",
        "agent": "prp",
    }
    assert event["plan"] == {"number": plan.number, "title": plan.title}  # from the injection
    assert event["red_flag"] == {"code": "fever", "first_day": days_ago(3).isoformat()}
    assert datetime.fromisoformat(event["recorded_at"]) == FROZEN_NOW
    [edit] = event["edits"]
    assert edit["changed_fields"] == ["reported_on", "reported_to"]
    assert (edit["previous"]["reported_on"], edit["previous"]["reported_to"]) == (None, "")


def test_an_event_with_every_optional_field_empty(patient, clinician):
    record(patient, clinician)
    [event] = patient_export(patient)["adverse_events"]
    assert set(event) == EVENT_KEYS
    assert (event["outcome_on"], event["reported_on"], event["reported_to"]) == (None, None, "")
    assert (event["injection"], event["plan"], event["red_flag"]) == (None, None, None)
    assert event["edits"] == []
    json.dumps(event)  # plain data


def test_a_patient_without_events_gets_an_empty_list(patient_client):
    assert download(patient_client)["adverse_events"] == []


def test_no_staff_name_or_staff_note_reaches_the_patient(patient_client, filled_event, clinician):
    raw = patient_client.get(JSON_URL).content.decode("utf-8")
    assert DESCRIPTION in raw  # readable Japanese, not \\u escapes
    assert clinician.name not in raw
    assert clinician.email not in raw
    assert FLAG_NOTE not in raw
    assert "recorded_by" not in raw and "changed_by" not in raw and "deadline" not in raw


def test_events_come_earliest_onset_first_in_a_stable_order(patient, clinician):
    late = record(patient, clinician, onset_on=days_ago(2), description="late")
    early = record(patient, clinician, onset_on=days_ago(9), description="early")
    same_day = record(patient, clinician, onset_on=days_ago(2), description="same day, later")
    assert late.pk < same_day.pk and early.pk > late.pk
    first = patient_export(patient)["adverse_events"]
    assert [e["description"] for e in first] == ["early", "late", "same day, later"]
    assert patient_export(patient)["adverse_events"] == first


def test_another_patients_events_never_appear(
    patient_client, patient, other_patient, clinician, filled_event
):
    record(other_patient, clinician, description=OTHER_DESCRIPTION)
    raw = patient_client.get(JSON_URL).content.decode("utf-8")
    assert OTHER_DESCRIPTION not in raw
    assert len(json.loads(raw)["adverse_events"]) == 1
    assert [e["description"] for e in patient_events_export(other_patient)] == [OTHER_DESCRIPTION]


def test_an_event_edited_twice_is_its_current_state_with_both_versions(
    patient, clinician, time_machine
):
    first_injection = make_injection(patient, day=days_ago(8))
    event = record(patient, clinician, onset_on=days_ago(7), injection=first_injection)
    time_machine.move_to(FROZEN_NOW + timedelta(hours=1), tick=False)
    adverse_event_change(
        event=event, values={"outcome": "recovered", "outcome_on": days_ago(1)}, by=clinician
    )
    time_machine.move_to(FROZEN_NOW + timedelta(hours=2), tick=False)
    later_injection = Injection.objects.get(patient=patient, day=days_ago(5))
    adverse_event_change(
        event=event,
        values={"seriousness": "other_serious", "injection": later_injection},
        by=clinician,
    )

    [exported] = patient_export(patient)["adverse_events"]
    assert (exported["seriousness"], exported["outcome"], exported["outcome_on"]) == (
        "other_serious", "recovered", days_ago(1).isoformat()
    )  # fmt: skip
    assert exported["injection"]["day"] == days_ago(5).isoformat()
    assert datetime.fromisoformat(exported["updated_at"]) == FROZEN_NOW + timedelta(hours=2)
    newest, oldest = exported["edits"]  # the latest change first, as the diary's edits
    assert datetime.fromisoformat(newest["changed_at"]) == FROZEN_NOW + timedelta(hours=2)
    assert newest["changed_fields"] == ["seriousness", "injection"]
    assert set(newest["previous"]) == PREVIOUS_KEYS
    assert newest["previous"]["seriousness"] == "hospitalisation"
    assert newest["previous"]["outcome"] == "recovered"
    assert newest["previous"]["injection"]["day"] == days_ago(8).isoformat()
    assert datetime.fromisoformat(oldest["changed_at"]) == FROZEN_NOW + timedelta(hours=1)
    assert oldest["changed_fields"] == ["outcome", "outcome_on"]
    assert (oldest["previous"]["outcome"], oldest["previous"]["outcome_on"]) == (
        "recovering", None
    )  # fmt: skip
    assert oldest["previous"]["plan"] is None


@pytest.mark.parametrize("events", [1, 3])
def test_the_export_reads_in_a_fixed_number_of_queries(
    patient, clinician, plan, events, django_assert_num_queries
):
    injection = treat(patient, plan, day=days_ago(4))
    for n in range(events):
        event = record(patient, clinician, onset_on=days_ago(3 + n), injection=injection)
        adverse_event_change(event=event, values={"outcome": "recovered"}, by=clinician)
        adverse_event_change(event=event, values={"outcome_on": days_ago(0)}, by=clinician)
    with django_assert_num_queries(4):  # events, versions, and the injections and plans named
        assert len(patient_events_export(patient)) == events


def test_an_anonymised_patient_keeps_their_events_and_the_export_still_works(
    patient, clinician, clinic_admin
):
    record(patient, clinician)
    patient_erase(patient=patient, by=clinic_admin, mode="anonymise", reason="Asked in writing.")
    patient = User.objects.get(pk=patient.pk)
    assert not patient.is_active
    data = patient_export(patient)
    assert data["patient"]["name"].startswith("Erased patient")
    assert len(data["adverse_events"]) == 1  # events are never deleted


def test_a_deactivated_patient_cannot_download_but_the_export_still_builds(
    patient_client, patient, clinician
):
    record(patient, clinician)
    User.objects.filter(pk=patient.pk).update(is_active=False)
    assert patient_client.get(JSON_URL).status_code in (302, 404)
    assert len(patient_export(User.objects.get(pk=patient.pk))["adverse_events"]) == 1


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "any health problems after a treatment that your clinic recorded (adverse events)"),
        ("ja", "クリニックが記録した治療後の体の不調（疾病等）"),
    ],
)
def test_the_my_data_page_says_the_copy_holds_the_adverse_events(client, patient, language, words):
    User.objects.filter(pk=patient.pk).update(language=language)
    client.force_login(User.objects.get(pk=patient.pk))
    page = client.get("/diary/my-data/").content.decode()
    assert words in page
