"""Every export works with every optional field filled, and with every optional field empty.

Five exports: the patient's CSV and JSON, the patient's and the clinic's FHIR Bundle, and the
clinic's research CSV. "Filled": an injection with a time, a course length, notes, the person
who gave it and the pain recorded with it; a diary day with temperature, night pain, exercise and
notes, edited once; goals with ratings; an overall rating; one open and one acknowledged flag;
an adverse event with every optional field, reported. "Empty": none of those. (Issue 16: an
injection time made the JSON and both FHIR exports 500.)
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, time
from decimal import Decimal

import pytest
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle

from diary.models import DiaryEntryVersion, Flag, FlagOccurrence
from diary.research import research_pseudonym
from registry.services import adverse_event_mark_reported, adverse_event_record
from tests.exports.conftest import resources
from tests.factories import (
    TODAY,
    days_ago,
    make_entry,
    make_flag,
    make_goal,
    make_injection,
    make_patient,
    rate_goal,
    rate_overall,
)
from tests.registry.helpers import make_plan

pytestmark = pytest.mark.django_db

INJECTED = days_ago(5)
PERIOD = {"from": days_ago(12).isoformat(), "to": TODAY.isoformat()}


@pytest.fixture
def filled(clinic, clinician, frozen_now):
    patient = make_patient(
        "filled@example.jp",
        clinic=clinic,
        name="Filled Patient",
        patient_number="P-10",
        birth_date=date(1956, 3, 10),
    )
    injection = make_injection(
        patient,
        day=INJECTED,
        time=time(9, 30),
        course_number=2,
        course_total=3,
        given_by="Dr. Yamada",
        baseline_pain=6,
        notes="Lateral approach",
    )
    entry = make_entry(
        patient,
        day=days_ago(2),
        temperature_c=Decimal("37.9"),
        night_pain=4,
        exercise_minutes=15,
        feverish=True,
        unwell=True,
        painkiller=True,
        notes="Stairs with a handrail",
    )
    DiaryEntryVersion.objects.create(
        entry=entry, data={**entry.snapshot(), "pain": 2}, changed_fields=["pain"]
    )
    ability = make_goal(patient, injection=injection)
    rate_goal(ability, day=days_ago(1), value=5)
    make_goal(patient, injection=injection, kind="symptom")
    rate_overall(patient, day=days_ago(1), value=4)
    open_flag = make_flag(patient, code="fever", severity="urgent", first_day=days_ago(2))
    FlagOccurrence.objects.create(flag=open_flag, day=days_ago(2), severity="urgent")
    done = make_flag(
        patient,
        code="early_reaction",
        severity="info",
        first_day=days_ago(4),
        acknowledged_by=clinician,
        action=Flag.Action.CALLED,
        note="Spoke to her",
    )
    FlagOccurrence.objects.create(flag=done, day=days_ago(4), severity="info")
    # An adverse event with every optional field: the injection, a plan, the flag, the
    # outcome's date, and reported (which keeps the earlier version).
    event = adverse_event_record(
        patient=patient,
        by=clinician,
        flag=done,
        values={
            "onset_on": days_ago(4),
            "learned_on": days_ago(3),
            "description": "Fainted at home",
            "seriousness": "hospitalisation",
            "relation": "possibly_related",
            "outcome": "recovered",
            "outcome_on": days_ago(2),
            "injection": injection,
            "plan": make_plan(clinic),
        },
    )
    adverse_event_mark_reported(
        event=event, reported_on=days_ago(1), reported_to="both", by=clinician
    )
    return patient


@pytest.fixture
def empty(clinic, frozen_now):
    patient = make_patient("empty@example.jp", clinic=clinic, name="Empty Patient")
    make_injection(patient, day=INJECTED)  # no time, course length, notes, giver or pain
    make_entry(patient, day=days_ago(2), temperature_c=None, night_pain=None, exercise_minutes=None)
    return patient


@pytest.fixture(params=["filled", "empty"])
def someone(request):
    return request.param, request.getfixturevalue(request.param)


def as_patient(client, patient):
    client.force_login(patient)
    return client


# --- The patient's own downloads ----------------------------------------------------------


def test_the_json_download(client, someone):
    kind, patient = someone
    response = as_patient(client, patient).get(reverse("diary:export_json"))

    assert response.status_code == 200
    data = json.loads(response.content)
    (injection,) = data["injections"]
    (entry,) = data["diary_entries"]
    if kind == "filled":
        assert (injection["time"], injection["course_total"]) == ("09:30:00", 3)
        assert (injection["baseline_pain"], injection["notes"]) == (6, "Lateral approach")
        assert (entry["temperature_c"], entry["night_pain"], entry["exercise_minutes"]) == (
            "37.9",
            4,
            15,
        )
        assert entry["edits"][0]["previous"]["pain"] == 2
        assert sorted(len(goal["ratings"]) for goal in data["goals"]) == [0, 1]
        assert data["overall_ratings"] == [{"day": days_ago(1).isoformat(), "value": 4}]
        assert {flag["status"] for flag in data["red_flags"]} == {"open", "acknowledged"}
        (event,) = data["adverse_events"]
        assert (event["outcome_on"], event["reported_to"]) == (days_ago(2).isoformat(), "both")
        assert (event["injection"]["time"], event["plan"]["number"]) == ("09:30:00", "PC3260015")
        assert event["red_flag"] == {"code": "early_reaction", "first_day": days_ago(4).isoformat()}
        assert event["edits"][0]["changed_fields"] == ["reported_on", "reported_to"]
    else:
        assert (injection["time"], injection["course_total"], injection["baseline_pain"]) == (
            None,
            None,
            None,
        )
        assert (entry["temperature_c"], entry["night_pain"], entry["exercise_minutes"]) == (
            None,
            None,
            None,
        )
        assert entry["edits"] == []
        assert (data["goals"], data["overall_ratings"], data["red_flags"]) == ([], [], [])
        assert data["adverse_events"] == []


def test_the_csv_download(client, someone):
    kind, patient = someone
    response = as_patient(client, patient).get(reverse("diary:export_csv"))

    assert response.status_code == 200
    header, row = csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
    values = dict(zip(header, row, strict=True))
    assert values["days_since_injection"] == "3"
    if kind == "filled":
        assert (values["temperature_c"], values["night_pain"], values["exercise_minutes"]) == (
            "37.9",
            "4",
            "15",
        )
        assert values["notes"] == "Stairs with a handrail"
    else:
        assert (values["temperature_c"], values["night_pain"], values["exercise_minutes"]) == (
            "",
            "",
            "",
        )
        assert values["notes"] == ""


# --- FHIR, for the patient and for the clinic ---------------------------------------------


def fhir_download(client, request, kind, patient, who):
    if who == "patient":
        return as_patient(client, patient).get(reverse("diary:export_fhir"), PERIOD)
    client.force_login(request.getfixturevalue("clinician"))
    return client.get(reverse("clinic:export_fhir", args=[patient.public_id]), PERIOD)


@pytest.mark.parametrize("who", ["patient", "clinician"])
def test_the_fhir_bundle_validates(client, request, someone, who):
    kind, patient = someone
    response = fhir_download(client, request, kind, patient, who)

    assert response.status_code == 200
    bundle = Bundle.model_validate_json(response.content)  # raises on invalid FHIR
    (procedure,) = resources(bundle, "Procedure")
    procedure_url = next(e.fullUrl for e in bundle.entry if e.resource is procedure)
    baseline = [
        o
        for o in resources(bundle, "Observation")
        if "baseline_pain" in [c.code for c in o.code.coding]
    ]
    if kind == "filled":
        # A dateTime with a time needs seconds and the clinic's offset.
        assert json.loads(response.content)["entry"]  # the file itself, not only the model
        assert '"performedDateTime":"2026-11-21T09:30:00+09:00"' in response.content.decode()
        (pain,) = baseline
        assert pain.valueInteger == 6
        assert pain.code.coding[0].code == "72514-3"
        assert [part.reference for part in pain.partOf] == [procedure_url]
        assert str(pain.effectiveDateTime) == str(procedure.performedDateTime)
        assert procedure.performer[0].actor.display == "Dr. Yamada"
        assert len(resources(bundle, "Goal")) == 2
        assert {f.status for f in resources(bundle, "Flag")} == {"active", "inactive"}
        codes = {c.code for o in resources(bundle, "Observation") for c in o.code.coding}
        assert {"8310-5", "night_pain", "exercise_minutes"} <= codes
        assert "Stairs with a handrail" not in response.content.decode()  # free text stays
    else:
        assert str(procedure.performedDateTime) == INJECTED.isoformat()
        assert procedure.performer is None
        assert baseline == []
        assert resources(bundle, "Goal") == resources(bundle, "Flag") == []
        codes = {c.code for o in resources(bundle, "Observation") for c in o.code.coding}
        assert not {"8310-5", "night_pain", "exercise_minutes"} & codes


# --- The clinic's research CSV ------------------------------------------------------------


def test_the_research_csv(clinic_admin_client, filled, empty):
    response = clinic_admin_client.get(reverse("clinic:research_export"))

    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    rows = {row["patient_pseudonym"]: row for row in csv.DictReader(io.StringIO(body))}
    full = rows[research_pseudonym(filled.public_id)]
    bare = rows[research_pseudonym(empty.public_id)]
    assert (full["course_number"], full["course_total"], full["pain_before_injection"]) == (
        "2",
        "3",
        "6",
    )
    assert (full["temperature_c"], full["night_pain"], full["exercise_minutes"]) == (
        "37.9",
        "4",
        "15",
    )
    assert (full["flags"], full["age_band"]) == ("fever", "70-79")
    assert (bare["course_number"], bare["course_total"], bare["pain_before_injection"]) == (
        "1",
        "",
        "",
    )
    assert (bare["temperature_c"], bare["night_pain"], bare["exercise_minutes"]) == ("", "", "")
    assert (bare["flags"], bare["age_band"]) == ("", "")
    assert "Stairs with a handrail" not in body
