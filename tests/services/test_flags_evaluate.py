"""flags_evaluate: the stored flags agree with the rules over the patient's whole history.

One open flag per code, later firing days join it as occurrences, a new flag after an
acknowledgement, withdrawn (never deleted) when an edit removes the evidence, idempotent.
Hanako (the `patient` fixture) had her injection 5 days ago: today is day 5.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from diary.alerts import urgent_alerts_send
from diary.flagging import flag_acknowledge, flags_evaluate, patient_findings
from diary.models import Flag, FlagOccurrence
from diary.red_flags import Finding
from diary.services import injection_save
from tests.factories import (
    FROZEN_NOW,
    TODAY,
    days_ago,
    make_entry,
    make_patient_injected,
    save_entry,
)

pytestmark = pytest.mark.django_db


def flags_of(patient, code=None) -> list[Flag]:
    flags = Flag.objects.filter(patient=patient).order_by("pk")
    return list(flags.filter(code=code) if code else flags)


def occurrences(flag) -> list[tuple]:
    """(day, severity, evidence days, withdrawn?) of each firing day, oldest first."""
    return [
        (o.day, o.severity, o.evidence_days, o.withdrawn_at is not None)
        for o in flag.occurrences.order_by("day")
    ]


def snapshot(patient) -> list[tuple]:
    """Every stored column of the patient's flags and their occurrences."""
    flags = Flag.objects.filter(patient=patient).order_by("pk").values_list()
    days = FlagOccurrence.objects.filter(flag__patient=patient).order_by("pk").values_list()
    return [*flags, *days]


# Storing and joining


def test_a_triggering_entry_stores_an_open_flag_for_that_day(patient):
    result = save_entry(patient, temperature_c=Decimal("38.4"))
    (flag,) = flags_of(patient)
    assert (flag.code, flag.severity, flag.status) == ("fever", "urgent", "open")
    assert (flag.first_day, flag.last_day) == (TODAY, TODAY)
    assert flag.raised_at == FROZEN_NOW
    assert occurrences(flag) == [(TODAY, "urgent", ["2026-11-26"], False)]
    assert result.flags.opened == [flag]
    assert [o.day for o in result.flags.newly_urgent] == [TODAY]


def test_an_entry_that_triggers_nothing_stores_no_flag(patient):
    result = save_entry(patient)
    assert flags_of(patient) == []
    assert not result.flags.changed


def test_the_occurrence_keeps_the_days_whose_entries_made_it_fire(patient):
    save_entry(patient, day=days_ago(1), weight_bearing="cannot")
    save_entry(patient, weight_bearing="cannot")
    (flag,) = flags_of(patient)
    assert flag.code == "cannot_bear_weight"
    assert occurrences(flag) == [
        (days_ago(1), "caution", ["2026-11-25"], False),
        (TODAY, "urgent", ["2026-11-25", "2026-11-26"], False),
    ]


def test_a_second_firing_day_joins_the_open_flag_instead_of_opening_another(patient):
    save_entry(patient, day=days_ago(1), temperature_c=Decimal("37.6"))
    result = save_entry(patient, temperature_c=Decimal("38.2"))
    (flag,) = flags_of(patient, "fever")
    assert Flag.objects.filter(patient=patient).count() == 1
    assert result.flags.opened == []
    assert [(day, severity) for day, severity, *_ in occurrences(flag)] == [
        (days_ago(1), "caution"),
        (TODAY, "urgent"),
    ]
    # The flag shows its span and its worst day.
    assert (flag.first_day, flag.last_day, flag.severity) == (days_ago(1), TODAY, "urgent")


def test_a_firing_day_after_the_acknowledgement_opens_a_new_flag(patient, clinician):
    save_entry(patient, day=days_ago(1), temperature_c=Decimal("37.6"))
    (first,) = flags_of(patient)
    flag_acknowledge(flag=first, by=clinician, action="called")

    result = save_entry(patient, temperature_c=Decimal("37.7"))

    first, second = flags_of(patient, "fever")
    assert result.flags.opened == [second]
    assert first.status == "acknowledged"
    assert [o[0] for o in occurrences(first)] == [days_ago(1)]
    assert (second.status, second.severity, second.first_day) == ("open", "caution", TODAY)
    assert [o[0] for o in occurrences(second)] == [TODAY]


# Edits that take the evidence away


def test_an_edit_that_removes_the_finding_withdraws_the_day_and_the_flag(patient, time_machine):
    save_entry(patient, temperature_c=Decimal("38.4"))
    time_machine.shift(timedelta(hours=1))

    result = save_entry(patient, temperature_c=Decimal("36.6"))  # mistyped, corrected

    (flag,) = flags_of(patient)  # still there: never deleted
    assert flag.status == "withdrawn"
    assert flag.withdrawn_at == FROZEN_NOW + timedelta(hours=1)
    assert occurrences(flag) == [(TODAY, "urgent", ["2026-11-26"], True)]
    assert result.flags.withdrawn == [flag]
    assert FlagOccurrence.objects.get(flag=flag).withdrawn_at == FROZEN_NOW + timedelta(hours=1)


def test_withdrawing_one_of_two_days_keeps_the_flag_open_with_the_other(patient):
    save_entry(patient, day=days_ago(1), temperature_c=Decimal("37.6"))
    save_entry(patient, temperature_c=Decimal("38.4"))

    result = save_entry(patient, temperature_c=Decimal("36.6"))

    (flag,) = flags_of(patient)
    assert result.flags.withdrawn == []
    assert (flag.status, flag.severity) == ("open", "caution")
    assert (flag.first_day, flag.last_day) == (days_ago(1), days_ago(1))
    assert [(day, withdrawn) for day, _s, _e, withdrawn in occurrences(flag)] == [
        (days_ago(1), False),
        (TODAY, True),
    ]


def test_a_withdrawn_day_that_fires_again_comes_back_on_the_open_flag(patient):
    save_entry(patient, day=days_ago(1), temperature_c=Decimal("37.6"))
    save_entry(patient, temperature_c=Decimal("37.8"))
    save_entry(patient, temperature_c=Decimal("36.6"))

    save_entry(patient, temperature_c=Decimal("37.9"))

    (flag,) = flags_of(patient)
    assert flag.status == "open"
    assert [(day, withdrawn) for day, _s, _e, withdrawn in occurrences(flag)] == [
        (days_ago(1), False),
        (TODAY, False),
    ]


# Idempotence


def test_running_it_again_changes_nothing(patient):
    # A history written without the rules running, e.g. before the clinic's thresholds changed.
    make_entry(patient, day=days_ago(3), pain=3, swelling=1)  # day 2
    make_entry(patient, day=days_ago(1), pain=6, swelling=2)  # day 4: not easing
    make_entry(patient, day=TODAY, pain=6, swelling=2, temperature_c=Decimal("38.1"))

    first = flags_evaluate(patient=patient)
    assert first.changed
    assert sorted(f.code for f in first.opened) == ["fever", "not_easing"]
    urgent_alerts_send([o.pk for o in first.newly_urgent])
    stored = snapshot(patient)

    second = flags_evaluate(patient=patient)

    assert not second.changed
    assert (second.opened, second.withdrawn, second.newly_urgent) == ([], [], [])
    assert snapshot(patient) == stored


def test_an_urgent_day_the_clinic_was_not_yet_alerted_to_is_reported_again(patient):
    """Until the alert went out (e.g. the process died before the commit hook ran)."""
    make_entry(patient, day=TODAY, temperature_c=Decimal("38.4"))
    first = flags_evaluate(patient=patient)
    again = flags_evaluate(patient=patient)
    assert [o.pk for o in again.newly_urgent] == [o.pk for o in first.newly_urgent]
    assert again.opened == []
    assert Flag.objects.filter(patient=patient).count() == 1


# What is stored and what is not


def test_the_expected_early_reaction_is_advice_only_and_not_stored(clinic, frozen_now):
    patient = make_patient_injected("day1@example.jp", clinic=clinic, injected_days_ago=1)
    save_entry(patient, pain=5, swelling=1)
    assert Finding("early_reaction", "info", TODAY) in patient_findings(patient)
    assert flags_of(patient) == []


def test_missed_entries_is_stored_for_the_clinic_and_withdrawn_when_the_patient_logs(patient):
    # Day 5 and nothing logged since the injection.
    changes = flags_evaluate(patient=patient)
    (flag,) = flags_of(patient)
    assert changes.opened == [flag]
    assert (flag.code, flag.severity, flag.status) == ("missed_entries", "info", "open")
    assert occurrences(flag) == [(TODAY, "info", [], False)]

    save_entry(patient)

    flag.refresh_from_db()
    assert flag.status == "withdrawn"
    assert occurrences(flag)[0][3] is True


def test_missed_entries_stays_while_the_patient_still_does_not_log(patient, time_machine):
    flags_evaluate(patient=patient)
    time_machine.shift(timedelta(days=1))

    flags_evaluate(patient=patient)  # tomorrow, still nothing

    (flag,) = flags_of(patient)
    assert flag.status == "open"
    assert [(day, withdrawn) for day, _s, _e, withdrawn in occurrences(flag)] == [
        (TODAY, False),
        (TODAY + timedelta(days=1), False),
    ]

    save_entry(patient, day=TODAY + timedelta(days=1))

    flag.refresh_from_db()
    assert flag.status == "withdrawn"
    assert all(withdrawn for *_rest, withdrawn in occurrences(flag))


def test_an_acknowledged_caution_that_turns_urgent_the_same_day_opens_a_new_flag(
    patient, clinician
):
    save_entry(patient, temperature_c=Decimal("37.6"))
    (caution,) = flags_of(patient)
    flag_acknowledge(flag=caution, by=clinician, action="no_action", note="mild")

    result = save_entry(patient, temperature_c=Decimal("38.5"))

    caution, urgent = flags_of(patient, "fever")
    assert (caution.status, caution.severity) == ("acknowledged", "caution")
    assert occurrences(caution) == [(TODAY, "caution", ["2026-11-26"], True)]
    assert (urgent.status, urgent.severity) == ("open", "urgent")
    assert occurrences(urgent) == [(TODAY, "urgent", ["2026-11-26"], False)]
    assert result.flags.opened == [urgent]
    assert [o.flag_id for o in result.flags.newly_urgent] == [urgent.pk]


def test_an_acknowledged_day_saved_again_unchanged_in_severity_is_not_raised_again(
    patient, clinician
):
    save_entry(patient, temperature_c=Decimal("37.6"))
    (flag,) = flags_of(patient)
    flag_acknowledge(flag=flag, by=clinician, action="called")

    result = save_entry(patient, temperature_c=Decimal("37.8"))

    assert not result.flags.changed
    assert flags_of(patient) == [flag]


def test_recording_a_new_injection_re_evaluates_with_the_new_day_numbers(patient, clinician):
    # Swelling rising on days 3, 4, 5 after the injection: worsening, urgent.
    save_entry(patient, day=days_ago(2), swelling=0)
    save_entry(patient, day=days_ago(1), swelling=1)
    save_entry(patient, swelling=2)
    (flag,) = flags_of(patient)
    assert (flag.code, flag.status) == ("swelling_worsening", "open")

    # A second injection yesterday: today is day 1, the same rise is the expected reaction.
    injection_save(
        patient=patient,
        values={"day": days_ago(1), "joint": "knee", "side": "left", "agent": "corticosteroid"},
        recorded_by=clinician,
    )

    flag.refresh_from_db()
    assert flag.status == "withdrawn"
    assert Finding("early_reaction", "info", TODAY) in patient_findings(patient)
    assert Flag.objects.filter(patient=patient, status="open").count() == 0


@pytest.mark.parametrize(
    ("caution_c", "urgent_c", "expected"),
    [
        ("37.5", "38.0", [("fever", "caution")]),  # the defaults
        ("37.0", "37.5", [("fever", "urgent")]),  # a stricter clinic
        ("37.8", "38.5", []),  # a more relaxed one
    ],
)
def test_the_clinics_own_fever_thresholds_decide(patient, caution_c, urgent_c, expected):
    clinic = patient.clinic
    clinic.fever_caution_c, clinic.fever_urgent_c = Decimal(caution_c), Decimal(urgent_c)
    clinic.save()
    save_entry(patient, temperature_c=Decimal("37.6"))
    assert [(f.code, f.severity) for f in flags_of(patient)] == expected


# The database keeps one open flag per patient and code


def open_flag(patient, code="fever", **fields):
    fields = {"severity": "urgent", "first_day": TODAY, "last_day": TODAY, **fields}
    return Flag.objects.create(patient=patient, code=code, **fields)


def test_the_database_refuses_a_second_open_flag_of_one_code(patient):
    open_flag(patient)
    with pytest.raises(IntegrityError), transaction.atomic():
        open_flag(patient, severity="caution")


def test_the_database_allows_open_flags_of_other_codes_patients_and_closed_ones(
    patient, other_patient, clinician
):
    open_flag(patient)
    open_flag(patient, code="unwell", severity="caution")
    open_flag(other_patient)
    open_flag(
        patient,
        status="acknowledged",
        acknowledged_by=clinician,
        acknowledged_at=FROZEN_NOW,
        action="called",
    )
    open_flag(patient, status="withdrawn", withdrawn_at=FROZEN_NOW)
    assert Flag.objects.filter(patient=patient, code="fever").count() == 3
