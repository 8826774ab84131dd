"""The diary as a FHIR R4B Bundle, for the clinic's own record system.

`patient_fhir_export(patient, start, end)` reads the period's data; `build_export(...)` turns
model instances into a Bundle of type "collection" and holds the rules. Every element is
validated by constructing its `fhir.resources` model (which raises on invalid data), so what
leaves here is valid FHIR R4B. The JSON is written from the same plain data the models were
built from: fhir.resources' own serialiser takes seconds for a long diary, json.dumps
milliseconds. Elements that repeat (codes, categories, the subject) are built and validated once
per export and reused, which keeps a 180-day export well under a second.

The codes and code systems are in diary/fhir_codes.py. Free text the patient or a clinician
typed (diary notes, injection notes, flag notes) is not exported: it stays in the visit report
and the patient's own JSON download.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle, BundleEntry
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.flag import Flag as FhirFlag
from fhir.resources.R4B.goal import Goal as FhirGoal
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.procedure import Procedure
from fhir.resources.R4B.reference import Reference
from fhir.resources.R4B.resource import Resource

from accounts.models import Clinic, User
from diary.fhir_codes import (
    ABILITY_CODE,
    ABILITY_MAX,
    CODED_ANSWERS,
    DIARY_CODE_SYSTEM,
    FHIR_BASE,
    FLAG_ACTION_EXTENSION,
    FLAG_CATEGORY,
    FLAG_SEVERITY_EXTENSION,
    IDENTIFIER_TYPE,
    OBSERVATION_CATEGORY,
    OPTIONAL_NUMBERS,
    PAIN_LOINC,
    PATIENT_ID_SYSTEM,
    RED_FLAG_CODE_SYSTEM,
    TEMPERATURE_LOINC,
    TREATMENT_CODE_SYSTEM,
    YES_NO_FIELDS,
    body_site,
    concept,
    diary_field_concept,
    quantity,
    with_loinc,
)
from diary.models import (
    Agent,
    DiaryEntry,
    Flag,
    FlagCode,
    Goal,
    GoalKind,
    GoalMeasure,
    Injection,
)
from diary.selectors import clinic_today


@dataclass(frozen=True)
class Element:
    """One piece of FHIR data twice: as its validated fhir.resources model, and as plain JSON
    data (what is written to the file). Both are made from the same dict."""

    model: Any
    data: Any


@dataclass(frozen=True)
class FhirExport:
    bundle: Bundle
    data: dict

    def json(self) -> str:
        return json.dumps(self.data, ensure_ascii=False, separators=(",", ":"), default=_number)


def patient_fhir_export(patient: User, start: date, end: date) -> FhirExport:
    """The patient's diary from `start` to `end` (inclusive), as a FHIR Bundle and its JSON.

    Goals are those still to be judged when the period starts and agreed by its end; flags
    those whose days overlap the period (withdrawn ones left out, as in the visit report).
    """
    entries = DiaryEntry.objects.filter(patient=patient, day__range=(start, end)).order_by("day")
    injections = Injection.objects.filter(patient=patient, day__range=(start, end)).order_by(
        "day", "time", "id"
    )
    tz = patient.clinic.tz
    goals = [
        goal
        for goal in Goal.objects.filter(patient=patient, review_date__gte=start).order_by("id")
        if timezone.localtime(goal.created_at, tz).date() <= end
    ]
    flags = (
        Flag.objects.filter(patient=patient, first_day__lte=end, last_day__gte=start)
        .exclude(status=Flag.Status.WITHDRAWN)
        .order_by("first_day", "id")
    )
    return build_export(
        patient=patient,
        clinic=patient.clinic,
        entries=entries,
        injections=injections,
        goals=goals,
        flags=flags,
        today=clinic_today(patient.clinic),
    )


def patient_bundle(patient: User, start: date, end: date) -> Bundle:
    """The patient's diary from `start` to `end` (inclusive) as a validated FHIR Bundle."""
    return patient_fhir_export(patient, start, end).bundle


def build_export(
    *,
    patient: User,
    clinic: Clinic,
    entries: Iterable[DiaryEntry],
    injections: Iterable[Injection],
    goals: Iterable[Goal],
    flags: Iterable[Flag],
    today: date,
    timestamp: datetime | None = None,
) -> FhirExport:
    """A Bundle (type collection): the Patient, then Observations, Procedures (each followed by
    the pain recorded with the injection, when there is one), Goals, Flags.

    fullUrls are urn:uuid values derived from the patient's opaque id and the row, so exporting
    the same data twice gives the same ids (a receiving system can recognise what it has).
    """
    builder = _Builder(patient=patient, clinic=clinic)
    resources = [(builder.patient_url, builder.patient_resource())]
    for entry in entries:
        resources += builder.observations(entry)
    for injection in injections:
        resources.append(builder.procedure(injection))
        if injection.baseline_pain is not None:
            resources.append(builder.baseline_pain(injection))
    resources += [builder.goal(goal, today) for goal in goals]
    resources += [builder.flag(flag) for flag in flags]
    timestamp = (timestamp or timezone.now()).astimezone(clinic.tz).isoformat(timespec="seconds")
    entry_elements = [
        Element(
            BundleEntry(fullUrl=url, resource=resource.model),
            {"fullUrl": url, "resource": resource.data},
        )
        for url, resource in resources
    ]
    bundle = _resource(Bundle, type="collection", timestamp=timestamp, entry=entry_elements)
    return FhirExport(bundle=bundle.model, data=bundle.data)


def _resource(model_class, **fields) -> Element:
    """A resource or other element from fields that are Elements, lists of them, or plain
    values (validated here). Elements are passed as their models, so they are not validated
    again."""

    def as_model(value):
        if isinstance(value, Element):
            return value.model
        if isinstance(value, list):
            return [as_model(item) for item in value]
        return value

    def as_data(value):
        if isinstance(value, Element):
            return value.data
        if isinstance(value, list):
            return [as_data(item) for item in value]
        return value

    model = model_class(**{name: as_model(value) for name, value in fields.items()})
    data = {name: as_data(value) for name, value in fields.items()}
    if issubclass(model_class, Resource):
        data = {"resourceType": model_class.get_resource_type(), **data}
    return Element(model, data)


def _element(model_class, data: dict) -> Element:
    return Element(model_class.model_validate(data), data)


def _number(value):
    """JSON numbers for Decimals: FHIR decimals are JSON numbers, never strings."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


@dataclass
class _Builder:
    patient: User
    clinic: Clinic
    _concepts: dict = field(default_factory=dict)

    @property
    def patient_url(self) -> str:
        return f"urn:uuid:{self.patient.public_id}"

    def _url(self, kind: str, key) -> str:
        return f"urn:uuid:{uuid.uuid5(self.patient.public_id, f'{kind}/{key}')}"

    def _cached(self, key, make) -> Element:
        if key not in self._concepts:
            self._concepts[key] = make()
        return self._concepts[key]

    def _subject(self) -> Element:
        return self._cached("subject", lambda: _element(Reference, {"reference": self.patient_url}))

    def _concept(self, system: str, code: str, label) -> Element:
        return self._cached(
            (system, code), lambda: _element(CodeableConcept, concept(system, code, label))
        )

    def _category(self, code: str) -> Element:
        return self._cached(
            ("category", code),
            lambda: _element(
                CodeableConcept, {"coding": [{"system": OBSERVATION_CATEGORY, "code": code}]}
            ),
        )

    def patient_resource(self) -> Element:
        identifiers = []
        if self.patient.patient_number:
            identifiers.append(
                {
                    "use": "usual",
                    "type": {"coding": [{"system": IDENTIFIER_TYPE, "code": "MR"}]},
                    "system": f"{FHIR_BASE}/clinic/{self.clinic.pk}/patient-number",
                    "value": self.patient.patient_number,
                    "assigner": {"display": self.clinic.name},
                }
            )
        identifiers.append(
            {"use": "secondary", "system": PATIENT_ID_SYSTEM, "value": str(self.patient.public_id)}
        )
        fields = {
            "identifier": identifiers,
            "name": [{"text": self.patient.name}],
            "communication": [
                {
                    "language": {
                        "coding": [{"system": "urn:ietf:bcp:47", "code": self.patient.language}]
                    }
                }
            ],
            "managingOrganization": {"display": self.clinic.name},
        }
        if self.patient.birth_date:
            fields["birthDate"] = self.patient.birth_date.isoformat()
        return _resource(Patient, **fields)

    # --- Observations ---------------------------------------------------------------------

    def observations(self, entry: DiaryEntry) -> list[tuple[str, Element]]:
        made = [("pain", self._observation(entry, self._pain_code(), valueInteger=entry.pain))]
        if entry.temperature_c is not None:
            temperature = self._observation(
                entry,
                self._temperature_code(),
                category="vital-signs",
                valueQuantity=quantity(entry.temperature_c, "Cel"),
            )
            made.append(("temperature_c", temperature))
        for name, labels in CODED_ANSWERS.items():
            value = getattr(entry, name)
            answer = self._concept(DIARY_CODE_SYSTEM, f"{name}-{value}", labels[value])
            made.append(
                (
                    name,
                    self._observation(entry, self._field_code(name), valueCodeableConcept=answer),
                )
            )
        for name, unit in OPTIONAL_NUMBERS.items():
            value = getattr(entry, name)
            if value is None:
                continue
            result = {"valueQuantity": quantity(value, unit)} if unit else {"valueInteger": value}
            made.append((name, self._observation(entry, self._field_code(name), **result)))
        for name in YES_NO_FIELDS:
            value = getattr(entry, name)
            made.append(
                (name, self._observation(entry, self._field_code(name), valueBoolean=value))
            )
        return [(self._url("Observation", f"{entry.day}/{name}"), obs) for name, obs in made]

    def _observation(self, entry: DiaryEntry, code: Element, *, category="survey", **value):
        return _resource(
            Observation,
            status="final",
            category=[self._category(category)],
            code=code,
            subject=self._subject(),
            # Patient-reported: the patient is the performer.
            performer=[self._subject()],
            effectiveDateTime=entry.day.isoformat(),
            **value,
        )

    def _field_code(self, name: str) -> Element:
        return self._concept(DIARY_CODE_SYSTEM, name, DiaryEntry._meta.get_field(name).verbose_name)

    def _pain_code(self) -> Element:
        return self._cached(
            "pain",
            lambda: _element(CodeableConcept, with_loinc(PAIN_LOINC, diary_field_concept("pain"))),
        )

    def _temperature_code(self) -> Element:
        return self._cached(
            "temperature",
            lambda: _element(
                CodeableConcept, with_loinc(TEMPERATURE_LOINC, diary_field_concept("temperature_c"))
            ),
        )

    # --- Procedures (injections) ------------------------------------------------------------

    def _performed_at(self, injection: Injection) -> str:
        """The day, or the day and time in the clinic's zone: a FHIR dateTime with a time needs
        seconds and an offset (`2026-11-21T09:30:00+09:00`)."""
        if injection.time is None:
            return injection.day.isoformat()
        performed = datetime.combine(injection.day, injection.time, tzinfo=self.clinic.tz)
        return performed.isoformat(timespec="seconds")

    def procedure(self, injection: Injection) -> tuple[str, Element]:
        fields = {
            "status": "completed",
            "code": self._concept(TREATMENT_CODE_SYSTEM, "injection", Injection._meta.verbose_name),
            "subject": self._subject(),
            "performedDateTime": self._performed_at(injection),
            "bodySite": [body_site(injection.joint, injection.side)],
            "usedCode": [
                self._concept(TREATMENT_CODE_SYSTEM, injection.agent, Agent(injection.agent).label)
            ],
        }
        if injection.given_by:
            fields["performer"] = [{"actor": {"display": injection.given_by}}]
        return self._url("Procedure", injection.pk), _resource(Procedure, **fields)

    def baseline_pain(self, injection: Injection) -> tuple[str, Element]:
        """The pain the clinician recorded with the injection (the patient's usual worst pain
        before it): LOINC 72514-3 and the diary's `baseline_pain`, part of the Procedure."""
        code = self._cached(
            "baseline_pain",
            lambda: _element(
                CodeableConcept,
                with_loinc(
                    PAIN_LOINC,
                    concept(
                        DIARY_CODE_SYSTEM,
                        "baseline_pain",
                        Injection._meta.get_field("baseline_pain").verbose_name,
                    ),
                ),
            ),
        )
        observation = _resource(
            Observation,
            status="final",
            category=[self._category("survey")],
            code=code,
            subject=self._subject(),
            partOf=[{"reference": self._url("Procedure", injection.pk)}],
            effectiveDateTime=self._performed_at(injection),
            valueInteger=injection.baseline_pain,
        )
        return self._url("Observation", f"injection/{injection.pk}/baseline_pain"), observation

    # --- Goals -------------------------------------------------------------------------------

    def goal(self, goal: Goal, today: date) -> tuple[str, Element]:
        if goal.kind == GoalKind.ABILITY:
            measure = self._concept(DIARY_CODE_SYSTEM, ABILITY_CODE, GoalKind.ABILITY.label)
            # Ability (PSFS): higher is better, so the target is "at least".
            low, high = goal.target, ABILITY_MAX
        else:
            if goal.measure == GoalMeasure.PAIN:
                measure = self._pain_code()
            else:
                measure = self._field_code(goal.measure)
            low, high = Decimal(0), goal.target  # symptoms: lower is better, "at most"
        target = {
            "measure": measure.data,
            "detailRange": {"low": quantity(low, "{score}"), "high": quantity(high, "{score}")},
            "dueDate": goal.review_date.isoformat(),
        }
        fields = {
            "lifecycleStatus": "active" if goal.review_date >= today else "completed",
            "description": {"text": goal.title},
            "subject": self._subject(),
            "startDate": timezone.localtime(goal.created_at, self.clinic.tz).date().isoformat(),
            "target": [target],
        }
        return self._url("Goal", goal.pk), _resource(FhirGoal, **fields)

    # --- Flags -------------------------------------------------------------------------------

    def flag(self, flag: Flag) -> tuple[str, Element]:
        active = flag.status == Flag.Status.OPEN
        period = {"start": flag.first_day.isoformat()}
        if not active:
            period["end"] = flag.last_day.isoformat()
        extensions = [{"url": FLAG_SEVERITY_EXTENSION, "valueCode": flag.severity}]
        if flag.action:
            extensions.append({"url": FLAG_ACTION_EXTENSION, "valueCode": flag.action})
        category = {
            "coding": [{"system": FLAG_CATEGORY, "code": "clinical", "display": "Clinical"}]
        }
        fields = {
            "extension": extensions,
            "status": "active" if active else "inactive",
            "category": [category],
            "code": self._concept(RED_FLAG_CODE_SYSTEM, flag.code, FlagCode(flag.code).label),
            "subject": self._subject(),
            "period": period,
        }
        return self._url("Flag", flag.pk), _resource(FhirFlag, **fields)
