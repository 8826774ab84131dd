"""Fixtures of the register: the clinic's PRP plan and Kenji, treated under it."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import days_ago, make_patient
from tests.registry.helpers import make_plan, treat


@pytest.fixture
def plan(clinic):
    return make_plan(clinic)


@pytest.fixture
def kenji(clinic, plan, frozen_now):
    """Treated with PRP under the plan 10 days ago."""
    patient = make_patient(
        "kenji@example.jp",
        clinic=clinic,
        name="Kenji Ito",
        patient_number="P-7",
        birth_date=date(1955, 6, 1),
    )
    treat(patient, plan, day=days_ago(10))
    return patient


@pytest.fixture
def other_plan(other_clinic):
    return make_plan(other_clinic, number="PC3269999")
