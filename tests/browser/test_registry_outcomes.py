"""The demo clinician reaches "what works in our clinic" from the menu, in Japanese, on a phone
and on a desk: a chart per measure with its table, too-small groups said as such, and axe-core
finds nothing serious. Then the serious adverse event due in 3 days, from the dashboard."""

from __future__ import annotations

import pytest

from diary.demo import PASSWORD, demo_load
from tests.browser.conftest import PHONE
from tests.browser.people import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1366, "height": 900}])
def test_the_outcomes_page_in_japanese(live_server, new_page, assert_accessible, viewport):
    demo_load()
    page = new_page(locale="ja-JP", viewport=viewport)
    sign_in(page, live_server.url, "doctor@example.jp", PASSWORD)
    page.get_by_role("link", name="治療成績", exact=True).click()
    page.wait_for_load_state()

    assert page.get_by_role("heading", level=1).inner_text() == "当院の治療成績"
    sections = page.locator("section[data-measure]")
    assert sections.count() == 5
    for index in range(5):
        section = sections.nth(index)
        chart = section.locator("img.outcome-chart")
        assert chart.get_attribute("alt").startswith("グラフ：")
        assert chart.evaluate("img => img.complete && img.naturalWidth > 0")
        assert section.locator("table tbody tr").count() >= 1
    # The whole clinic is counted; the demo's small groups are too few to say.
    responders = page.locator("section[data-measure=responders]")
    assert responders.locator("tbody th", has_text="全体").count() == 1
    assert responders.locator("[data-too-few]").first.inner_text().startswith("人数が少なく")
    assert_accessible(page)

    page.get_by_label("分け方", exact=True).select_option("joint")
    page.get_by_role("button", name="表示", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("section[data-measure=responders] tbody th", has_text="膝").count() == 1
    assert_accessible(page)


def test_the_deadline_on_the_dashboard_leads_to_the_event(live_server, new_page, assert_accessible):
    demo_load()
    page = new_page(locale="ja-JP", viewport={"width": 1366, "height": 900})
    sign_in(page, live_server.url, "doctor@example.jp", PASSWORD)
    deadlines = page.locator("[data-report-deadlines]")
    assert "報告期限まであと3日" in deadlines.inner_text()
    assert_accessible(page)
    deadlines.get_by_role("link", name="伊藤 美和").click()
    page.wait_for_load_state()
    assert page.locator("[data-days-left='3']").count() == 1
    assert_accessible(page)
    page.get_by_role("link", name="報告用まとめ（A4）").click()
    page.wait_for_load_state()
    assert "計画番号" in page.content()
    assert_accessible(page)
