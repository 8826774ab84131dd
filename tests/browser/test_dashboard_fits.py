"""The dashboard with the demo clinic, in a real Chromium: at 1366 px wide it needs no sideways
scrolling, in English and in Japanese, and neither does its table; at 375 px each patient is a
card with the red flags under the name; the count cards filter the list, their number equal to
the rows listed, and the filter can be cleared."""

from __future__ import annotations

import pytest

from accounts.models import User
from diary.demo import PASSWORD, demo_load
from tests.browser.conftest import PHONE
from tests.browser.people import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}
OVERFLOW = """() => ({
    page: document.documentElement.scrollWidth,
    table: document.querySelector('.table-responsive').scrollWidth,
    box: document.querySelector('.table-responsive').clientWidth,
})"""

LINES = "els => els.map(e => e.offsetHeight / parseFloat(getComputedStyle(e).lineHeight))"


@pytest.fixture
def demo(live_server):
    demo_load()
    return live_server


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_dashboard_fits_a_1366_px_screen(demo, new_page, assert_accessible, language):
    User.objects.filter(email="doctor@example.jp").update(language=language)
    page = new_page(locale=language, viewport=LAPTOP)
    sign_in(page, demo.url, "doctor@example.jp", PASSWORD)
    page.goto(f"{demo.url}/clinic/?filter=all")
    assert page.locator("tr.dashboard-row").count() >= 10
    width = page.evaluate(OVERFLOW)
    assert width["page"] <= LAPTOP["width"], width
    assert width["table"] <= width["box"], width  # no scrolling inside the table either
    # A name in kana is never broken inside.
    heights = page.locator(".name-kana").evaluate_all(LINES)
    assert max(heights) < 1.5, heights
    assert_accessible(page)


@pytest.mark.parametrize("language", ["en", "ja"])
def test_on_a_phone_each_patient_is_a_card_with_the_flags_under_the_name(
    demo, new_page, assert_accessible, language
):
    User.objects.filter(email="doctor@example.jp").update(language=language)
    page = new_page(locale=language, viewport=PHONE)
    sign_in(page, demo.url, "doctor@example.jp", PASSWORD)
    page.goto(f"{demo.url}/clinic/?filter=urgent")
    width = page.evaluate(OVERFLOW)
    assert width["page"] <= PHONE["width"] and width["table"] <= width["box"], width
    row = page.locator("tr.dashboard-row").first
    name = row.locator(".patient-cell").bounding_box()
    flags = row.locator(".flags-cell").bounding_box()
    values = row.locator("td[data-label]").nth(1).bounding_box()  # the latest values
    assert name["y"] < flags["y"] < values["y"]
    assert flags["x"] + flags["width"] <= PHONE["width"]
    assert_accessible(page)  # with a filter on: the chosen card and the notice


def test_the_count_cards_filter_the_list_and_the_filter_clears(demo, new_page):
    User.objects.filter(email="doctor@example.jp").update(language="en")
    page = new_page(locale="en", viewport=LAPTOP)
    sign_in(page, demo.url, "doctor@example.jp", PASSWORD)
    total = page.locator("tr.dashboard-row").count()
    for name in ("urgent", "caution", "not_logging", "review"):
        page.goto(f"{demo.url}/clinic/")
        card = page.locator(f"[data-count={name}] a")
        count = int(card.locator("strong").inner_text())
        card.click()
        page.wait_for_load_state()
        assert page.locator(f"[data-count={name}] a[aria-current=true]").count() == 1
        rows = page.locator("tr.dashboard-row")
        assert rows.count() == count, name
        assert set(rows.evaluate_all("rs => rs.map(r => r.dataset.group)")) <= {name}
        assert page.locator(".dashboard-filter-active").is_visible()
    page.get_by_role("link", name="Show all patients").click()
    page.wait_for_load_state()
    assert page.locator("tr.dashboard-row").count() == total
    assert page.locator(".dashboard-filter-active").count() == 0
