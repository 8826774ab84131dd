"""flags_acknowledge: several open flags of one patient at once, each recorded as
flag_acknowledge records one; one transaction, nothing twice, nothing half done."""

from datetime import timedelta
from decimal import Decimal

import pytest

from diary.escalation import escalations_send
from diary.flagging import (
    FlagsClosed,
    NoFlagChosen,
    flag_acknowledge,
    flags_acknowledge,
)
from diary.models import Flag, FlagNotice, PatientTriage
from tests.factories import FROZEN_NOW, days_ago, make_clinician, make_injection, save_entry

pytestmark = pytest.mark.django_db

NOTE = "Phoned: coming in at 14:00"


@pytest.fixture
def two_flags(patient):
    """Yesterday unwell (caution), today 38.4 °C (urgent): two open flags."""
    save_entry(patient, day=days_ago(1), unwell=True)
    save_entry(patient, temperature_c=Decimal("38.4"))
    flags = list(Flag.objects.filter(patient=patient, status="open").order_by("code"))
    assert [(f.code, f.severity) for f in flags] == [("fever", "urgent"), ("unwell", "caution")]
    return flags


def recorded(flag):
    flag.refresh_from_db()
    return (flag.status, flag.acknowledged_by, flag.acknowledged_at, flag.action, flag.note)


def test_each_chosen_flag_is_recorded_with_who_when_the_action_and_the_note(
    two_flags, clinician, time_machine
):
    time_machine.shift(timedelta(minutes=20))
    result = flags_acknowledge(flags=two_flags, by=clinician, action="called", note=NOTE)

    assert sorted(f.code for f in result.acknowledged) == ["fever", "unwell"]
    assert result.already == []
    for flag in two_flags:
        assert recorded(flag) == (
            "acknowledged", clinician, FROZEN_NOW + timedelta(minutes=20), "called", NOTE
        )  # fmt: skip


def test_it_records_exactly_what_one_acknowledgement_at_a_time_records(
    two_flags, patient, other_patient, clinician, time_machine
):
    """The same rows as flag_acknowledge, flag by flag, for a second patient alike."""
    make_injection(other_patient, day=days_ago(5))
    save_entry(other_patient, day=days_ago(1), unwell=True)
    save_entry(other_patient, temperature_c=Decimal("38.4"))
    singles = list(Flag.objects.filter(patient=other_patient, status="open").order_by("code"))
    for flag in singles:
        flag_acknowledge(flag=flag, by=clinician, action="asked_to_come_in", note=NOTE)
    flags_acknowledge(flags=two_flags, by=clinician, action="asked_to_come_in", note=NOTE)

    fields = ("code", "status", "acknowledged_by", "acknowledged_at", "action", "note")
    assert list(Flag.objects.filter(patient=patient).order_by("code").values_list(*fields)) == list(
        Flag.objects.filter(patient=other_patient).order_by("code").values_list(*fields)
    )
    assert PatientTriage.objects.get(patient=patient).flag_group is None
    assert PatientTriage.objects.get(patient=other_patient).flag_group is None


def test_the_repeated_urgent_notice_stops(two_flags, clinician, time_machine):
    flags_acknowledge(flags=two_flags, by=clinician, action="called")
    time_machine.shift(timedelta(minutes=31))
    assert escalations_send() == 0
    assert not FlagNotice.objects.filter(kind=FlagNotice.Kind.ESCALATION).exists()


def test_the_urgent_notice_still_goes_for_an_urgent_flag_left_unchosen(
    two_flags, clinician, time_machine
):
    """The check the test above can fail: only the chosen flags stop waiting."""
    fever, unwell = two_flags
    flags_acknowledge(flags=[unwell], by=clinician, action="called")
    time_machine.shift(timedelta(minutes=31))
    assert escalations_send() >= 1
    assert FlagNotice.objects.filter(kind=FlagNotice.Kind.ESCALATION, flag=fever).exists()
    assert recorded(fever)[0] == "open"


def test_a_flag_a_colleague_acknowledged_meanwhile_is_left_as_it_was(two_flags, clinician, clinic):
    fever, unwell = two_flags
    colleague = make_clinician("nurse@example.jp", clinic=clinic, name="Nurse Aoki")
    stale = [Flag.objects.get(pk=f.pk) for f in two_flags]  # the page, before the colleague
    flag_acknowledge(flag=fever, by=colleague, action="referred_emergency", note="first")

    result = flags_acknowledge(flags=stale, by=clinician, action="called", note=NOTE)

    assert [f.code for f in result.acknowledged] == ["unwell"]
    assert [(f.code, f.acknowledged_by) for f in result.already] == [("fever", colleague)]
    assert recorded(fever)[1:] == (colleague, FROZEN_NOW, "referred_emergency", "first")
    assert recorded(unwell)[0:2] == ("acknowledged", clinician)


def test_when_every_chosen_flag_was_acknowledged_meanwhile_nothing_changes(
    two_flags, clinician, clinic
):
    colleague = make_clinician("nurse@example.jp", clinic=clinic, name="Nurse Aoki")
    stale = [Flag.objects.get(pk=f.pk) for f in two_flags]
    flags_acknowledge(flags=two_flags, by=colleague, action="no_action", note="first")
    result = flags_acknowledge(flags=stale, by=clinician, action="called", note="second")
    assert result.acknowledged == []
    assert len(result.already) == 2
    assert {recorded(f)[1:] for f in two_flags} == {(colleague, FROZEN_NOW, "no_action", "first")}


def test_a_withdrawn_flag_among_them_refuses_them_all(two_flags, patient, clinician):
    fever, unwell = two_flags
    save_entry(patient, temperature_c=Decimal("36.6"))  # today's fever corrected: withdrawn
    assert recorded(fever)[0] == "withdrawn"

    with pytest.raises(FlagsClosed) as refused:
        flags_acknowledge(flags=two_flags, by=clinician, action="called", note=NOTE)

    assert [f.code for f in refused.value.flags] == ["fever"]
    assert recorded(unwell) == ("open", None, None, "", "")


def test_no_flag_chosen_is_refused(clinician):
    with pytest.raises(NoFlagChosen):
        flags_acknowledge(flags=[], by=clinician, action="called")


def test_flags_of_two_patients_are_refused_and_nothing_changes(two_flags, other_patient, clinician):
    make_injection(other_patient, day=days_ago(5))
    save_entry(other_patient, unwell=True)
    others = Flag.objects.get(patient=other_patient)
    with pytest.raises(ValueError, match="more than one patient"):
        flags_acknowledge(flags=[*two_flags, others], by=clinician, action="called")
    assert {recorded(f)[0] for f in [*two_flags, others]} == {"open"}


def test_an_unknown_action_is_refused_and_nothing_changes(two_flags, clinician):
    with pytest.raises(ValueError, match="phoned"):
        flags_acknowledge(flags=two_flags, by=clinician, action="phoned")
    assert {recorded(f)[0] for f in two_flags} == {"open"}


def test_a_failure_half_way_leaves_every_flag_open(two_flags, clinician, monkeypatch):
    """One transaction: the second flag's save fails, the first's is rolled back."""
    from diary import flagging

    real = flagging._acknowledge_locked
    calls = []

    def fail_on_second(flag, **kwargs):
        calls.append(flag.pk)
        if len(calls) == 2:
            raise RuntimeError("database gone")
        real(flag, **kwargs)

    monkeypatch.setattr(flagging, "_acknowledge_locked", fail_on_second)
    with pytest.raises(RuntimeError):
        flags_acknowledge(flags=two_flags, by=clinician, action="called", note=NOTE)
    assert len(calls) == 2
    assert {recorded(f)[0] for f in two_flags} == {"open"}
