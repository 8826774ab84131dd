"""`manage.py load_demo`: a believable clinic for `make run`, never on a real deployment."""

from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import override_settings

from accounts.models import Clinic, User
from diary.models import DiaryEntry, Injection
from tests.factories import TODAY

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "diary-demo-2026"


def load() -> str:
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    models = [*apps.get_app_config("accounts").get_models()]
    models += apps.get_app_config("diary").get_models()
    return {model._meta.label: model.objects.count() for model in models}


@pytest.fixture
def demo(frozen_now):
    load()
    return Clinic.objects.get()


def by_email(email: str) -> User:
    return User.objects.get(email=email)


def test_it_refuses_to_run_with_debug_off(db):
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", stdout=StringIO())
    assert not Clinic.objects.exists()
    assert not User.objects.exists()


def test_it_creates_the_clinician_and_prints_the_logins(frozen_now):
    output = load()
    doctor = by_email("doctor@example.jp")
    assert doctor.role == User.Role.CLINICIAN
    assert authenticate(username="doctor@example.jp", password=DEMO_PASSWORD) == doctor
    for login in ("doctor@example.jp", "patient@example.jp", "patient2@example.jp"):
        assert login in output
    assert DEMO_PASSWORD in output


def test_every_demo_account_uses_the_demo_password(demo):
    for email in ("patient@example.jp", "patient2@example.jp"):
        assert authenticate(username=email, password=DEMO_PASSWORD) == by_email(email)


def test_the_first_patient_had_hyaluronic_acid_in_the_left_knee_10_days_ago(demo):
    patient = by_email("patient@example.jp")
    (injection,) = patient.injections.all()
    assert (injection.joint, injection.side) == ("knee", "left")
    assert injection.agent == "hyaluronic_acid"
    assert injection.day == TODAY - timedelta(days=10)
    assert patient.clinic == demo


def test_the_first_patients_reaction_settled(demo):
    entries = {e.day: e for e in by_email("patient@example.jp").diary_entries.all()}
    injected = TODAY - timedelta(days=10)
    assert entries[injected].pain >= 4  # a short reaction on the day
    assert max(e.pain for day, e in entries.items() if day >= TODAY - timedelta(days=3)) <= 3
    assert all(e.temperature_c is None or e.temperature_c < 37.5 for e in entries.values())


def test_the_second_patient_has_rising_swelling_and_fever_on_day_5(demo):
    patient = by_email("patient2@example.jp")
    (injection,) = patient.injections.all()
    assert (injection.joint, injection.side) == ("knee", "right")
    assert injection.day == TODAY - timedelta(days=6)
    entries = {(e.day - injection.day).days: e for e in patient.diary_entries.all()}
    swelling = [entries[n].swelling for n in (3, 4, 5)]
    assert swelling == sorted(swelling)
    assert swelling[0] < swelling[2]
    assert str(entries[5].temperature_c) == "38.3"


def test_at_least_twelve_more_patients_with_weeks_of_diary(demo):
    others = User.objects.filter(clinic=demo, role=User.Role.PATIENT).exclude(
        email__in=["patient@example.jp", "patient2@example.jp"]
    )
    assert others.count() >= 12
    for patient in others:
        days = list(patient.diary_entries.values_list("day", flat=True))
        assert len(days) >= 7, patient.email
        assert (max(days) - min(days)).days <= 8 * 7 + 7, patient.email


def test_the_crowd_is_varied_like_a_real_clinic(demo):
    injections = Injection.objects.filter(patient__clinic=demo)
    assert {"knee", "hip"} <= set(injections.values_list("joint", flat=True))
    assert len(set(injections.values_list("agent", flat=True))) >= 3
    second_courses = injections.filter(course_number__gte=2)
    assert second_courses.exists()
    # Some days before the first injection (baseline) and some gaps.
    baseline = [
        p
        for p in User.objects.filter(clinic=demo, role=User.Role.PATIENT)
        if p.diary_entries.filter(day__lt=p.injections.order_by("day").first().day).exists()
    ]
    assert len(baseline) >= 10
    gaps = 0
    for patient in User.objects.filter(clinic=demo, role=User.Role.PATIENT):
        days = sorted(patient.diary_entries.values_list("day", flat=True))
        gaps += any((b - a).days > 1 for a, b in zip(days, days[1:], strict=False))
    assert gaps >= 1


def test_every_demo_entry_is_valid_and_none_is_in_the_future(demo):
    entries = DiaryEntry.objects.filter(patient__clinic=demo)
    assert entries.count() > 200
    for entry in entries:
        entry.full_clean()
        assert entry.day <= TODAY


def test_a_second_run_changes_nothing(demo):
    before = row_counts()
    output = load()
    assert row_counts() == before
    assert "nothing changed" in output
    assert before["accounts.User"] >= 16


def test_a_patient_with_only_a_hot_swollen_very_painful_knee_on_day_4_is_urgent(demo):
    """SPEC §3 version 2: a joint infection often comes without fever."""
    from diary.dashboard import dashboard_page
    from diary.models import Flag
    from diary.triage import GROUP_URGENT

    patient = by_email("mori@example.jp")
    (injection,) = patient.injections.all()
    assert injection.day == TODAY - timedelta(days=4)
    after = patient.diary_entries.filter(day__gte=injection.day)
    assert [(e.day, e.temperature_c < 37.5, e.feverish) for e in after] == [(TODAY, True, False)]
    flags = Flag.objects.filter(patient=patient, status=Flag.Status.OPEN)
    assert [(f.code, f.severity) for f in flags] == [("hot_swollen_joint", "urgent")]
    _, rows = dashboard_page(demo, TODAY, filter_name="all")
    (row,) = [row for row in rows if row.patient_number == "P-0017"]
    assert row.group == GROUP_URGENT
    assert [badge.code for badge in row.flags] == ["hot_swollen_joint"]
