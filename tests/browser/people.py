"""People for the browser tests: a clinic with a patient who had an injection some days ago."""

from __future__ import annotations

from datetime import timedelta

from accounts.models import Clinic, User
from diary.models import Injection
from diary.selectors import clinic_today

PASSWORD = "browser-Test-2026"


def patient_injected(email: str, *, language: str, days_ago: int, **injection) -> Injection:
    """A new clinic's patient (password PASSWORD) and their knee injection `days_ago` days ago."""
    clinic = Clinic.objects.create(name="Browser Clinic", phone="03-0000-0000")
    patient = User.objects.create_user(
        email, PASSWORD, name="Browser Patient", role=User.Role.PATIENT, clinic=clinic,
        language=language,
    )  # fmt: skip
    values = {"joint": "knee", "side": "left", "agent": "hyaluronic_acid", **injection}
    return Injection.objects.create(
        patient=patient, day=clinic_today(clinic) - timedelta(days=days_ago), **values
    )
