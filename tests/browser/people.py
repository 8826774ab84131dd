"""People for the browser tests: an injected patient, and signing in as anyone."""

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


def sign_in(page, base_url: str, email: str, password: str, *, button: str = "") -> None:
    """Sign in on the login page; `button` names the button, which proves the page's language."""
    page.goto(f"{base_url}/accounts/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(password)
    if button:
        page.get_by_role("button", name=button, exact=True).click()
    else:
        page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
