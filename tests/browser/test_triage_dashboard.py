"""The demo clinician triages: patient2 first with an urgent badge, acknowledged, then gone
from the urgent group, where Mori (a hot, swollen knee without fever) stays."""

from __future__ import annotations

import pytest

from accounts.models import User
from diary.demo import PASSWORD, demo_load
from tests.browser.people import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clinician_acknowledges_the_urgent_patient_who_then_leaves_the_urgent_group(
    live_server, new_page
):
    demo_load()
    patient2 = User.objects.get(email="patient2@example.jp")
    page = new_page(locale="ja-JP", viewport={"width": 1280, "height": 900})
    sign_in(page, live_server.url, "doctor@example.jp", PASSWORD)

    first = page.locator("tr.dashboard-row").first
    assert first.get_attribute("data-patient") == patient2.patient_number
    assert first.get_attribute("data-group") == "urgent"
    assert first.locator("[data-severity=urgent]").count() >= 1
    # patient2 (since yesterday) before Mori (a hot, swollen knee today): oldest urgent first.
    assert page.locator("[data-count=urgent] strong").inner_text() == "2"

    first.get_by_role("link", name=patient2.name).click()
    open_urgent = page.locator("[data-severity=urgent][data-status=open]")
    while open_urgent.count():
        card = open_urgent.first
        card.locator("summary.flag-summary").click()  # the form is collapsed until used
        card.get_by_label("患者に電話した").check()
        card.locator("textarea[name=note]").fill("電話で状態を確認し、本日受診を指示")
        card.get_by_role("button", name="対応済みにする").click()
        page.wait_for_load_state()

    # Fever, swelling worse, and a hot, swollen, very painful knee on day 5.
    assert page.locator("[data-severity=urgent][data-status=acknowledged]").count() == 3
    page.get_by_role("link", name="患者一覧").click()
    row = page.locator(f"tr[data-patient='{patient2.patient_number}']")
    assert row.get_attribute("data-group") != "urgent"
    urgent_rows = page.locator("tr.dashboard-row[data-group=urgent]")
    assert urgent_rows.count() == 1
    assert urgent_rows.first.get_attribute("data-patient") == "P-0017"
    assert page.locator("[data-count=urgent] strong").inner_text() == "1"
