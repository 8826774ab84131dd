"""diary/fhir.py: the Bundle, read back with fhir.resources, holds what the diary holds."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from fhir.resources.R4B.bundle import Bundle

from diary.fhir import patient_bundle, patient_fhir_export
from diary.fhir_codes import (
    DIARY_CODE_SYSTEM,
    FLAG_ACTION_EXTENSION,
    FLAG_SEVERITY_EXTENSION,
    LATERALITY_EXTENSION,
    RED_FLAG_CODE_SYSTEM,
    TREATMENT_CODE_SYSTEM,
)
from diary.models import Flag
from tests.exports.conftest import ALWAYS_OBSERVED, japanese, observations, resources
from tests.factories import TODAY, clinic_morning, days_ago

pytestmark = pytest.mark.django_db

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"


DEFAULT_START = days_ago(12)  # the visit report's default: a week before the injection


def exported(patient, start=DEFAULT_START, end=TODAY) -> Bundle:
    """Built, serialised and parsed back, as a receiving system would read it."""
    return Bundle.model_validate_json(patient_fhir_export(patient, start, end).json())


def test_it_is_a_collection_with_one_resource_per_thing_recorded(patient, record):
    bundle = exported(patient)

    assert bundle.type == "collection"
    assert len(resources(bundle, "Patient")) == 1
    assert len(resources(bundle, "Observation")) == record["observations"] == 29
    assert len(resources(bundle, "Procedure")) == 1
    assert len(resources(bundle, "Goal")) == 2
    assert len(resources(bundle, "Flag")) == 2
    assert len(bundle.entry) == 1 + 29 + 1 + 2 + 2


def test_every_reference_points_into_the_bundle(patient, record):
    bundle = exported(patient)
    patient_url = resources_url(bundle, "Patient")

    assert patient_url == f"urn:uuid:{patient.public_id}"
    full_urls = [entry.fullUrl for entry in bundle.entry]
    assert len(set(full_urls)) == len(full_urls)
    assert all(url.startswith("urn:uuid:") for url in full_urls)
    for entry in bundle.entry:
        if entry.resource.get_resource_type() != "Patient":
            assert entry.resource.subject.reference == patient_url


def resources_url(bundle: Bundle, kind: str) -> str:
    return next(e.fullUrl for e in bundle.entry if e.resource.get_resource_type() == kind)


def test_the_same_data_exported_twice_has_the_same_ids(patient, record):
    first = [entry.fullUrl for entry in exported(patient).entry]
    assert [entry.fullUrl for entry in exported(patient).entry] == first


def test_the_patient_has_the_clinics_number_and_name_but_no_email(patient, record):
    (resource,) = resources(exported(patient), "Patient")

    numbers = [i for i in resource.identifier if i.value == "P-1"]
    assert len(numbers) == 1
    assert numbers[0].system.endswith(f"/clinic/{patient.clinic.pk}/patient-number")
    assert numbers[0].type.coding[0].code == "MR"
    assert resource.name[0].text == "Hanako Sato"
    assert resource.telecom is None
    assert patient.email not in patient_fhir_export(patient, DEFAULT_START, TODAY).json()


def test_pain_is_loinc_72514_3_as_an_integer(patient, record):
    (pain,) = observations(exported(patient), code="72514-3", day=days_ago(4))

    assert pain.valueInteger == 7
    assert pain.code.coding[0].system == LOINC
    assert pain.status == "final"
    assert pain.category[0].coding[0].code == "survey"


def test_temperature_is_loinc_8310_5_in_celsius_and_a_vital_sign(patient, record):
    (temperature,) = observations(exported(patient), code="8310-5", day=days_ago(4))

    assert temperature.valueQuantity.value == Decimal("38.3")
    assert temperature.valueQuantity.unit == "Cel"
    assert temperature.valueQuantity.code == "Cel"
    assert temperature.valueQuantity.system == "http://unitsofmeasure.org"
    assert temperature.code.coding[0].system == LOINC
    category = temperature.category[0].coding[0]
    assert (category.system, category.code) == (
        "http://terminology.hl7.org/CodeSystem/observation-category",
        "vital-signs",
    )


def test_no_temperature_observation_on_a_day_without_a_measurement(patient, record):
    assert observations(exported(patient), code="8310-5", day=days_ago(2)) == []


def test_swelling_is_coded_in_the_diary_system_in_english_and_japanese(patient, record):
    (swelling,) = observations(exported(patient), code="swelling", day=days_ago(4))

    assert swelling.code.coding[0].system == DIARY_CODE_SYSTEM
    assert swelling.code.coding[0].display == "Swelling"
    assert japanese(swelling.code.coding[0].display__ext) == "腫れ"
    (answer,) = swelling.valueCodeableConcept.coding
    assert (answer.system, answer.code, answer.display) == (
        DIARY_CODE_SYSTEM,
        "swelling-2",
        "Moderate",
    )
    assert japanese(answer.display__ext) == "中くらい"
    assert swelling.valueCodeableConcept.text == "Moderate"
    assert japanese(swelling.valueCodeableConcept.text__ext) == "中くらい"


@pytest.mark.parametrize(
    ("field", "code", "english", "ja"),
    [
        ("warmth", "warmth-1", "Slightly warm", "少し温かい"),
        ("redness", "redness-present", "Present", "あり"),
        ("weight_bearing", "weight_bearing-painful", "Yes, but it hurts", "かけられるが痛い"),
    ],
)
def test_the_other_coded_answers(patient, record, field, code, english, ja):
    (observation,) = observations(exported(patient), code=field, day=days_ago(4))

    (answer,) = observation.valueCodeableConcept.coding
    assert (answer.code, answer.display, japanese(answer.display__ext)) == (code, english, ja)


def test_the_optional_measures_and_the_yes_no_questions(patient, record):
    bundle = exported(patient)

    assert observations(bundle, code="night_pain", day=days_ago(4))[0].valueInteger == 5
    (exercise,) = observations(bundle, code="exercise_minutes", day=days_ago(3))
    assert (exercise.valueQuantity.value, exercise.valueQuantity.code) == (20, "min")
    assert observations(bundle, code="exercise_minutes", day=days_ago(4)) == []
    assert observations(bundle, code="feverish", day=days_ago(4))[0].valueBoolean is True
    assert observations(bundle, code="painkiller", day=days_ago(4))[0].valueBoolean is True
    assert observations(bundle, code="unwell", day=days_ago(4))[0].valueBoolean is False


def test_a_day_has_one_observation_per_measured_value(patient, record):
    bundle = exported(patient)
    per_day = [
        len([o for o in resources(bundle, "Observation") if str(o.effectiveDateTime) == str(day)])
        for day in (days_ago(4), days_ago(3), days_ago(2))
    ]
    assert per_day == [ALWAYS_OBSERVED + 2, ALWAYS_OBSERVED + 3, ALWAYS_OBSERVED]


def test_the_patients_notes_are_not_exported(patient, record):
    assert "Hanako-private-note" not in patient_fhir_export(patient, DEFAULT_START, TODAY).json()


def test_an_injection_is_a_procedure_with_joint_side_and_agent(patient, record):
    (procedure,) = resources(exported(patient), "Procedure")

    assert procedure.status == "completed"
    assert str(procedure.performedDateTime) == days_ago(5).isoformat()
    assert procedure.code.coding[0].system == TREATMENT_CODE_SYSTEM
    (site,) = procedure.bodySite
    assert (site.coding[0].system, site.coding[0].code) == (SNOMED, "49076000")
    assert site.text == "Knee (left)"
    assert japanese(site.text__ext) == "膝（左）"
    (laterality,) = [e for e in site.extension if e.url == LATERALITY_EXTENSION]
    assert laterality.valueCodeableConcept.coding[0].code == "7771000"
    (agent,) = procedure.usedCode
    assert (agent.coding[0].system, agent.coding[0].code) == (
        TREATMENT_CODE_SYSTEM,
        "hyaluronic_acid",
    )
    assert agent.coding[0].display == "Hyaluronic acid"
    assert japanese(agent.coding[0].display__ext) == "ヒアルロン酸"


def test_a_goal_has_the_patients_words_its_target_and_review_date(patient, record):
    ability, symptom = record["goals"]
    goals = {g.description.text: g for g in resources(exported(patient), "Goal")}

    walking = goals[ability.title]
    assert walking.lifecycleStatus == "active"
    (target,) = walking.target
    assert str(target.dueDate) == ability.review_date.isoformat()
    assert target.measure.coding[0].code == "ability"
    # Ability goals: at least the target, on 0–10 where higher is better.
    assert (target.detailRange.low.value, target.detailRange.high.value) == (7, 10)

    (target,) = goals[symptom.title].target
    assert (target.measure.coding[0].system, target.measure.coding[0].code) == (
        DIARY_CODE_SYSTEM,
        "night_pain",
    )
    # Symptom goals: at most the target.
    assert (target.detailRange.low.value, target.detailRange.high.value) == (0, 3)


@pytest.mark.parametrize(("days_after_review", "status"), [(0, "active"), (1, "completed")])
def test_a_goal_is_completed_once_its_review_date_has_passed(
    patient, record, time_machine, days_after_review, status
):
    ability = record["goals"][0]
    time_machine.move_to(
        clinic_morning(ability.review_date + timedelta(days=days_after_review)), tick=False
    )
    goals = {g.description.text: g for g in resources(exported(patient), "Goal")}
    assert goals[ability.title].lifecycleStatus == status


def test_red_flags_with_status_period_severity_and_translation(patient, record):
    flags = {f.code.coding[0].code: f for f in resources(exported(patient), "Flag")}

    fever = flags["fever"]
    assert fever.status == "active"
    assert fever.code.coding[0].system == RED_FLAG_CODE_SYSTEM
    assert fever.code.coding[0].display == "Fever"
    assert japanese(fever.code.coding[0].display__ext) == "発熱"
    assert str(fever.period.start) == days_ago(4).isoformat()
    assert fever.period.end is None
    assert fever.category[0].coding[0].code == "clinical"
    severity = {e.url: e for e in fever.extension}[FLAG_SEVERITY_EXTENSION]
    assert severity.valueCode == "urgent"

    reaction = flags["early_reaction"]
    assert reaction.status == "inactive"
    assert str(reaction.period.end) == days_ago(3).isoformat()
    assert {e.url: e for e in reaction.extension}[FLAG_ACTION_EXTENSION].valueCode == "no_action"


def test_a_withdrawn_flag_is_left_out(patient, record):
    Flag.objects.filter(pk=record["flags"][0].pk).update(status=Flag.Status.WITHDRAWN)
    codes = [f.code.coding[0].code for f in resources(exported(patient), "Flag")]
    assert codes == ["early_reaction"]


def test_the_period_limits_every_kind_of_resource(patient, record):
    bundle = exported(patient, days_ago(3), days_ago(3))

    assert len(resources(bundle, "Observation")) == ALWAYS_OBSERVED + 3
    assert {str(o.effectiveDateTime) for o in resources(bundle, "Observation")} == {
        days_ago(3).isoformat()
    }
    assert resources(bundle, "Procedure") == []  # the injection was on day -5
    assert [f.code.coding[0].code for f in resources(bundle, "Flag")] == ["early_reaction"]
    assert resources(bundle, "Goal") == []  # agreed today, after the period
    assert len(resources(bundle, "Patient")) == 1


def test_a_period_around_the_injection(patient, record):
    bundle = exported(patient, days_ago(6), days_ago(4))

    assert len(resources(bundle, "Observation")) == ALWAYS_OBSERVED + 2
    assert len(resources(bundle, "Procedure")) == 1
    assert len(resources(bundle, "Flag")) == 2


def test_an_empty_diary_is_still_a_valid_bundle(other_patient):
    bundle = exported(other_patient)
    assert [e.resource.get_resource_type() for e in bundle.entry] == ["Patient"]


def test_the_json_says_what_the_validated_bundle_says(patient, record):
    export = patient_fhir_export(patient, DEFAULT_START, TODAY)

    parsed = Bundle.model_validate_json(export.json())
    assert parsed.model_dump() == export.bundle.model_dump()
    assert patient_bundle(patient, DEFAULT_START, TODAY).model_dump() == parsed.model_dump()
