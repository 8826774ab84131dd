"""The codes of the FHIR export (diary/fhir.py), in one place so a receiving system can map them.

- pain: LOINC 72514-3 (0–10 numeric rating, `valueInteger`); body temperature: LOINC 8310-5 in
  UCUM `Cel`, category vital-signs. Both also carry the diary's own code.
- everything else the diary measures: `DIARY_CODE_SYSTEM`, code = the DiaryEntry field name
  (`swelling`, `weight_bearing`, `night_pain` …); coded answers are `<field>-<value>`
  (`swelling-2`, `redness-spreading`, `weight_bearing-cannot`); ability goals: `ability`; the
  pain recorded with an injection: LOINC 72514-3 and `baseline_pain`, `partOf` its Procedure.
- red flags: `RED_FLAG_CODE_SYSTEM`, code = the rule's code in diary/red_flags.py (`fever` …).
- injections: `TREATMENT_CODE_SYSTEM` (`injection`, and the agents: `hyaluronic_acid` …);
  body sites are SNOMED CT joint structures, the side a SNOMED CT laterality qualifier in the
  `LATERALITY_EXTENSION`.

Displays are English; where the Japanese differs it is attached with the standard translation
extension (on `_display` and `_text`). The labels are the app's own translated labels, so the
Japanese is the wording the patient saw.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.text import capfirst
from django.utils.translation import override

from diary.models import (
    SWELLING_CHOICES,
    WARMTH_CHOICES,
    DiaryEntry,
    Joint,
    Redness,
    Side,
    WeightBearing,
)

FHIR_BASE = "https://injection-diary.example/fhir"
DIARY_CODE_SYSTEM = f"{FHIR_BASE}/CodeSystem/diary-observation"
RED_FLAG_CODE_SYSTEM = f"{FHIR_BASE}/CodeSystem/red-flag"
TREATMENT_CODE_SYSTEM = f"{FHIR_BASE}/CodeSystem/injection"
PATIENT_ID_SYSTEM = f"{FHIR_BASE}/NamingSystem/patient-public-id"
LATERALITY_EXTENSION = f"{FHIR_BASE}/StructureDefinition/laterality"
FLAG_SEVERITY_EXTENSION = f"{FHIR_BASE}/StructureDefinition/red-flag-severity"
FLAG_ACTION_EXTENSION = f"{FHIR_BASE}/StructureDefinition/red-flag-action"
TRANSLATION_EXTENSION = "http://hl7.org/fhir/StructureDefinition/translation"

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"
IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203"

PAIN_LOINC = ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")
TEMPERATURE_LOINC = ("8310-5", "Body temperature")

JOINT_SNOMED = {
    Joint.KNEE: ("49076000", "Knee joint structure"),
    Joint.HIP: ("24136001", "Hip joint structure"),
    Joint.SHOULDER: ("85537004", "Glenohumeral joint structure"),
}
SIDE_SNOMED = {
    Side.LEFT: ("7771000", "Left"),
    Side.RIGHT: ("24028007", "Right"),
    Side.BOTH: ("51440002", "Right and left"),
}

# Coded diary answers: field name → {stored value: label}. The labels are the ones the patient
# chose from, so the Japanese is the wording they saw.
CODED_ANSWERS = {
    "swelling": dict(SWELLING_CHOICES),
    "warmth": dict(WARMTH_CHOICES),
    "redness": dict(Redness.choices),
    "weight_bearing": dict(WeightBearing.choices),
}
# Optional numbers: field name → UCUM unit (None: a plain 0–10 score as valueInteger).
OPTIONAL_NUMBERS = {"night_pain": None, "exercise_minutes": "min"}
YES_NO_FIELDS = ("feverish", "unwell", "painkiller")
ABILITY_CODE = "ability"
ABILITY_MAX = Decimal(10)  # the Patient-Specific Functional Scale: 10 = as before the problem


def bilingual(label) -> tuple[str, str]:
    """A translatable label in English and in Japanese (the same text if not translated)."""
    with override("en"):
        english = capfirst(str(label))
    with override("ja"):
        japanese = capfirst(str(label))
    return english, japanese


def translation(japanese: str) -> dict:
    """The `_display` / `_text` element carrying the Japanese (FHIR translation extension)."""
    return {
        "extension": [
            {
                "url": TRANSLATION_EXTENSION,
                "extension": [
                    {"url": "lang", "valueCode": "ja"},
                    {"url": "content", "valueString": japanese},
                ],
            }
        ]
    }


def coding(system: str, code: str, label) -> dict:
    """A Coding with an English display and, where it differs, the Japanese translation."""
    english, japanese = bilingual(label)
    data = {"system": system, "code": code, "display": english}
    if japanese != english:
        data["_display"] = translation(japanese)
    return data


def concept(system: str, code: str, label) -> dict:
    """A CodeableConcept of one coding, its text in English with the Japanese translation."""
    first = coding(system, code, label)
    data = {"coding": [first], "text": first["display"]}
    if "_display" in first:
        data["_text"] = first["_display"]
    return data


def diary_field_concept(name: str) -> dict:
    return concept(DIARY_CODE_SYSTEM, name, DiaryEntry._meta.get_field(name).verbose_name)


def with_loinc(loinc: tuple[str, str], diary: dict) -> dict:
    """The LOINC coding first, then the diary's own (the same concept in two code systems)."""
    code, display = loinc
    return {
        **diary,
        "coding": [{"system": LOINC, "code": code, "display": display}] + diary["coding"],
    }


def quantity(value, unit: str) -> dict:
    return {"value": Decimal(value), "unit": unit, "system": UCUM, "code": unit}


def body_site(joint: str, side: str) -> dict:
    """The joint as a SNOMED CT body structure, with the side as a laterality qualifier."""
    english_joint, japanese_joint = bilingual(Joint(joint).label)
    english_side, japanese_side = bilingual(Side(side).label)
    snomed_side, snomed_side_display = SIDE_SNOMED[side]
    site = {
        "extension": [
            {
                "url": LATERALITY_EXTENSION,
                "valueCodeableConcept": {
                    "coding": [
                        {"system": SNOMED, "code": snomed_side, "display": snomed_side_display}
                    ],
                    "text": english_side,
                },
            }
        ],
        "text": f"{english_joint} ({english_side.lower()})",
    }
    if (japanese_joint, japanese_side) != (english_joint, english_side):
        site["_text"] = translation(f"{japanese_joint}（{japanese_side}）")
    if joint in JOINT_SNOMED:
        code, display = JOINT_SNOMED[joint]
        site["coding"] = [{"system": SNOMED, "code": code, "display": display}]
    return site
