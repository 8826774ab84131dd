"""The red-flag commands for cron and for the clinic's administrator."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from diary.models import Flag
from tests.factories import (
    TODAY,
    days_ago,
    make_clinic,
    make_clinician,
    make_entry,
    make_injection,
    make_patient_injected,
    save_entry,
)

pytestmark = pytest.mark.django_db


def run(name, *args) -> str:
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue().strip()


# reevaluate_flags


def test_reevaluate_flags_stores_what_the_rules_find_and_a_second_run_changes_nothing(
    patient, other_patient, clinician, django_capture_on_commit_callbacks
):
    # Entries written without the rules running (e.g. imported).
    make_entry(patient, day=TODAY, temperature_c=Decimal("38.4"))
    make_injection(other_patient, day=days_ago(3))
    make_entry(other_patient, day=TODAY, unwell=True)

    with django_capture_on_commit_callbacks(execute=True):
        first = run("reevaluate_flags")
    stored = list(Flag.objects.order_by("pk").values_list())
    with django_capture_on_commit_callbacks(execute=True):
        second = run("reevaluate_flags")

    assert first == "Flags opened: 2, withdrawn: 0."
    assert second == "Flags opened: 0, withdrawn: 0."
    assert list(Flag.objects.order_by("pk").values_list()) == stored
    assert sorted(Flag.objects.values_list("patient__name", "code", "severity")) == [
        ("Hanako Sato", "fever", "urgent"),
        ("Ichiro Suzuki", "unwell", "caution"),
    ]
    assert [message.to for message in mail.outbox] == [["doctor@example.jp"]]  # urgent, once


def test_reevaluate_flags_withdraws_what_a_more_relaxed_threshold_no_longer_finds(patient):
    save_entry(patient, temperature_c=Decimal("37.6"))
    clinic = patient.clinic
    clinic.fever_caution_c, clinic.fever_urgent_c = Decimal("37.8"), Decimal("38.5")
    clinic.save()

    assert run("reevaluate_flags") == "Flags opened: 0, withdrawn: 1."
    assert Flag.objects.get(patient=patient).status == "withdrawn"


def test_reevaluate_flags_raises_and_alerts_what_a_stricter_threshold_makes_urgent(
    patient, clinician, django_capture_on_commit_callbacks
):
    save_entry(patient, temperature_c=Decimal("37.6"))
    clinic = patient.clinic
    clinic.fever_caution_c, clinic.fever_urgent_c = Decimal("37.0"), Decimal("37.5")
    clinic.save()

    with django_capture_on_commit_callbacks(execute=True):
        output = run("reevaluate_flags")

    assert output == "Flags opened: 0, withdrawn: 0."  # the open flag became urgent
    flag = Flag.objects.get(patient=patient)
    assert (flag.status, flag.severity) == ("open", "urgent")
    assert [message.to for message in mail.outbox] == [["doctor@example.jp"]]


def test_reevaluate_flags_can_be_limited_to_one_clinic(patient, frozen_now):
    elsewhere = make_patient_injected(
        "kaito@example.jp", clinic=make_clinic("Kaede Clinic"), injected_days_ago=4
    )
    make_entry(patient, day=TODAY, unwell=True)
    make_entry(elsewhere, day=TODAY, unwell=True)

    assert run("reevaluate_flags", "--clinic", str(patient.clinic_id)) == (
        "Flags opened: 1, withdrawn: 0."
    )
    assert list(Flag.objects.values_list("patient", flat=True)) == [patient.pk]


# check_missed_entries


def injected_and_logged(email, clinic, *, injected_days_ago, logged_until_day):
    """A patient who logged every day from the injection to day `logged_until_day` (or never)."""
    patient = make_patient_injected(email, clinic=clinic, injected_days_ago=injected_days_ago)
    if logged_until_day is not None:
        for day_number in range(logged_until_day + 1):
            make_entry(patient, day=days_ago(injected_days_ago - day_number), pain=2, swelling=0)
    return patient


@pytest.mark.parametrize(
    ("injected_days_ago", "logged_until_day", "raised"),
    [
        (3, None, True),  # day 3, nothing since the injection: days 1 and 2 empty
        (4, 1, True),  # stopped after day 1
        (14, 11, True),  # the last day watched
        (14, 12, False),  # only one empty day
        (15, 12, False),  # day 15: no longer watched
        (5, 5, False),  # logged today
    ],
)
def test_check_missed_entries_raises_not_logging_in_days_1_to_14(
    clinic, frozen_now, injected_days_ago, logged_until_day, raised
):
    patient = injected_and_logged(
        "kenta@example.jp",
        clinic,
        injected_days_ago=injected_days_ago,
        logged_until_day=logged_until_day,
    )

    output = run("check_missed_entries")

    flags = list(Flag.objects.filter(patient=patient, code="missed_entries"))
    if raised:
        assert output == "'Not logging' flags raised: 1."
        (flag,) = flags
        assert (flag.severity, flag.status, flag.first_day) == ("info", "open", TODAY)
    else:
        assert output == "'Not logging' flags raised: 0."
        assert flags == []


def test_check_missed_entries_counts_each_patient_once_and_a_second_run_raises_none(
    clinic, frozen_now, time_machine
):
    stopped = injected_and_logged("a@example.jp", clinic, injected_days_ago=10, logged_until_day=6)
    never = injected_and_logged("b@example.jp", clinic, injected_days_ago=3, logged_until_day=None)
    injected_and_logged("c@example.jp", clinic, injected_days_ago=10, logged_until_day=10)
    injected_and_logged("d@example.jp", clinic, injected_days_ago=20, logged_until_day=6)

    assert run("check_missed_entries") == "'Not logging' flags raised: 2."
    assert run("check_missed_entries") == "'Not logging' flags raised: 0."
    assert sorted(Flag.objects.values_list("patient", "code")) == sorted(
        [(stopped.pk, "missed_entries"), (never.pk, "missed_entries")]
    )

    # The next morning the open flag gets another day rather than a second flag.
    time_machine.shift(timedelta(days=1))
    assert run("check_missed_entries") == "'Not logging' flags raised: 0."
    flag = Flag.objects.get(patient=stopped)
    assert (flag.first_day, flag.last_day) == (TODAY, TODAY + timedelta(days=1))


def test_check_missed_entries_skips_deactivated_patients(clinic, frozen_now):
    patient = injected_and_logged("e@example.jp", clinic, injected_days_ago=5, logged_until_day=1)
    patient.is_active = False
    patient.save(update_fields=["is_active"])
    assert run("check_missed_entries") == "'Not logging' flags raised: 0."
    assert not Flag.objects.exists()


# send_flag_digest


def test_send_flag_digest_reports_the_emails_sent_and_then_none(patient, clinician, clinic):
    make_clinician("nurse@example.jp", clinic=clinic)
    save_entry(patient, unwell=True)

    assert run("send_flag_digest") == "Digest e-mails sent: 2."
    assert sorted(message.to[0] for message in mail.outbox) == [
        "doctor@example.jp",
        "nurse@example.jp",
    ]
    assert run("send_flag_digest") == "Digest e-mails sent: 0."
    assert len(mail.outbox) == 2


def test_send_flag_digest_with_nothing_new_sends_nothing(patient, clinician):
    save_entry(patient, temperature_c=Decimal("38.4"))  # urgent: not a digest matter
    assert run("send_flag_digest") == "Digest e-mails sent: 0."
    assert mail.outbox == []
