"""Shared fixtures: a clinic with a patient, another patient, a clinician and an administrator,
and a second clinic with its own clinician, so every view is tried by someone who must not see it.

Dates matter in this app ("today" is the clinic's day), so users are created at a fixed time,
`frozen_now`. A test can move the clock further with `time_machine.move_to(...)`.
"""

from __future__ import annotations

import pytest

from accounts.models import User
from tests.factories import (
    FROZEN_NOW,
    days_ago,
    make_clinic,
    make_clinician,
    make_injection,
    make_patient,
    make_user,
)


@pytest.fixture
def frozen_now(time_machine):
    """2026-11-26 10:00 in Tokyo, with the clock standing still."""
    time_machine.move_to(FROZEN_NOW, tick=False)
    return FROZEN_NOW


@pytest.fixture
def clinic(db):
    return make_clinic("Sakura Clinic", phone="03-1111-2222")


@pytest.fixture
def other_clinic(db):
    return make_clinic("Momiji Clinic", phone="06-3333-4444")


@pytest.fixture
def patient(clinic, frozen_now):
    """Hanako, with a left-knee hyaluronic acid injection 5 days ago (today is day 5)."""
    user = make_patient(
        "hanako@example.jp", clinic=clinic, name="Hanako Sato", patient_number="P-1"
    )
    make_injection(user, day=days_ago(5), joint="knee", side="left", agent="hyaluronic_acid")
    return user


@pytest.fixture
def other_patient(clinic, frozen_now):
    return make_patient(
        "ichiro@example.jp", clinic=clinic, name="Ichiro Suzuki", patient_number="P-2"
    )


@pytest.fixture
def clinician(clinic, frozen_now):
    return make_clinician("doctor@example.jp", clinic=clinic, name="Dr. Taro Yamada")


@pytest.fixture
def other_clinician(other_clinic, frozen_now):
    return make_clinician("doctor@momiji.example.jp", clinic=other_clinic, name="Dr. Ken Mori")


@pytest.fixture
def clinic_admin(clinic, frozen_now):
    return make_user(
        "admin@example.jp",
        clinic=clinic,
        role=User.Role.CLINIC_ADMIN,
        name="Kimura Office",
        is_staff=True,
    )


def _client_for(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def patient_client(client, patient):
    return _client_for(client, patient)


@pytest.fixture
def other_patient_client(client, other_patient):
    return _client_for(client, other_patient)


@pytest.fixture
def clinician_client(client, clinician):
    return _client_for(client, clinician)


@pytest.fixture
def other_clinician_client(client, other_clinician):
    return _client_for(client, other_clinician)


@pytest.fixture
def clinic_admin_client(client, clinic_admin):
    return _client_for(client, clinic_admin)
