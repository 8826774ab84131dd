"""The goal form in real Chromium: only the chosen kind's fields (static/js/goal-kind.js). An
ability goal hides the diary measure and each hint says what the value means for the kind;
the page without JavaScript shows every field (tests/views/test_goal_views.py)."""

from __future__ import annotations

import pytest

from accounts.models import Clinic, User
from tests.browser.people import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-Staff-Password-2026"


@pytest.mark.parametrize(("language", "locale"), [("ja", "ja-JP"), ("en", "en-GB")])
def test_the_form_shows_only_the_fields_of_the_chosen_kind(
    live_server, new_page, assert_accessible, language, locale
):
    clinic = Clinic.objects.create(name="Goal Clinic", phone="03-1234-5678")
    doctor = User.objects.create_user(
        "doctor-goals@example.jp", PASSWORD, name="Dr. Goals", role="clinician", clinic=clinic,
        language=language,
    )  # fmt: skip
    patient = User.objects.create_user(
        "goal-patient@example.jp", None, name="Goal Patient", role="patient", clinic=clinic
    )
    page = new_page(locale=locale, viewport={"width": 1366, "height": 900})
    sign_in(page, live_server.url, doctor.email, PASSWORD)
    page.goto(f"{live_server.url}/clinic/patients/{patient.public_id}/goals/new/")
    measure = page.locator("#div_id_measure")
    hint = page.locator("#id_baseline_helptext")
    both = hint.inner_text()
    assert measure.is_visible()  # no kind chosen yet: everything shows

    page.locator("input[name=kind][value=ability]").check()
    assert measure.is_hidden()
    assert hint.inner_text() == page.locator("#id_baseline").get_attribute("data-hint-ability")
    assert hint.inner_text() != both
    assert_accessible(page)

    page.locator("input[name=kind][value=symptom]").check()
    assert measure.is_visible()
    assert hint.inner_text() == page.locator("#id_baseline").get_attribute("data-hint-symptom")
    assert_accessible(page)
