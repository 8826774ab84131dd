"""axe-core over every page each role can open in the demo clinic, in Japanese and English.

The journeys check the pages on their way; this sweep also reaches the pages no journey passes
(injection form, password change, two-factor set-up, erasure requests, the plain ratings page).
"""

from __future__ import annotations

import pytest

from accounts.models import User
from diary.demo import PASSWORD, demo_load
from diary.models import Injection
from tests.browser.people import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_page_of_every_role_has_no_serious_accessibility_violation(
    live_server, new_page, assert_accessible, language
):
    demo_load()
    User.objects.update(language=language)
    patient = User.objects.get(email="patient@example.jp")
    injection = Injection.objects.filter(patient=patient).latest("day")
    goal = patient.goals.first()
    pages = {
        "patient@example.jp": [
            "/diary/",
            "/diary/entry/",
            "/diary/history/",
            "/diary/ratings/",
            "/diary/settings/",
            "/diary/entry/earlier/",
            "/diary/my-data/",
            "/diary/report/",
            "/accounts/password/",
            "/accounts/passkeys/",
            "/accounts/sessions/",
            "/accounts/reauth/?next=/diary/my-data/",
            "/accounts/password/reset/",
            "/accounts/password/reset/sent/",
            "/accounts/password/reset/done/",
        ],
        "doctor@example.jp": [
            "/clinic/",
            "/clinic/?filter=attention",
            "/clinic/?q=no-such-patient",
            f"/clinic/patients/{patient.public_id}/",
            f"/clinic/patients/{patient.public_id}/report/",
            f"/clinic/patients/{patient.public_id}/goals/new/",
            f"/clinic/patients/{patient.public_id}/goals/{goal.pk}/edit/",
            f"/clinic/patients/{patient.public_id}/injections/new/",
            f"/clinic/patients/{patient.public_id}/injections/{injection.pk}/edit/",
            "/clinic/patients/new/",
            "/clinic/calls/",
            "/clinic/quality/",
            f"/clinic/patients/{patient.public_id}/contact/",
            "/accounts/mfa/",
            "/accounts/passkeys/",
        ],
        "admin@example.jp": [
            "/clinic/access-log/",
            "/clinic/erasure-requests/",
        ],
    }
    for email, paths in pages.items():
        page = new_page(locale="ja-JP" if language == "ja" else "en-GB", viewport=DESKTOP)
        sign_in(page, live_server.url, email, PASSWORD)
        for path in paths:
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, path
            assert page.locator("html").get_attribute("lang") == language
            assert_accessible(page)
        page.context.close()

    assert len(assert_accessible.paths) == sum(len(paths) for paths in pages.values())
