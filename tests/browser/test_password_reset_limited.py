"""The "Forgot your password?" page past the limit for one network address: a 429 page a patient
can read on a phone, in Japanese and English, with no serious accessibility violation."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    "locale, text",
    [("ja-JP", "今回はメールをお送りしていません"), ("en-US", "no e-mail was sent this time")],
)
def test_the_limited_page_reads_well(
    live_server, new_page, assert_accessible, settings, locale, text
):
    settings.PASSWORD_RESET_ADDRESS_LIMIT = 1
    page = new_page(locale=locale, viewport=PHONE)
    for _try in range(2):
        page.goto(f"{live_server.url}/accounts/password/reset/")
        page.fill("input[name=email]", "nobody@example.jp")
        with page.expect_navigation() as navigation:
            page.click("form:has(input[name=email]) button[type=submit]")
    assert navigation.value.status == 429
    assert text in page.inner_text("main")
    assert_accessible(page)
