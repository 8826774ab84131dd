"""What the service worker keeps (issue 20), in real Chromium: the patient's last home page
opens without a connection; a clinician's page never comes from the cache; signing out empties
CacheStorage; an entry waiting on the phone is sent after a sign-in as the same patient only.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from accounts.models import User
from accounts.sessions import user_sessions_end
from diary.models import DiaryEntry
from diary.selectors import clinic_today
from tests.browser.offline_helpers import (
    CACHED_URLS_JS,
    WAITING_JS,
    worker_ready,
)
from tests.browser.people import PASSWORD, patient_injected, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# One round of sending for the page's own patient, as the page and the worker do it.
SEND_ROUND_JS = """() => window.DiaryOutbox.sendWaiting({
  scope: "/diary/",
  patient: document.querySelector('meta[name="diary-patient"]').content,
  attention: true,
})"""


def patient_signed_in_at_home(context, live_server, email: str):
    patient = patient_injected(email, language="ja", days_ago=3).patient
    page = context.new_page()
    sign_in(page, live_server.url, patient.email, PASSWORD)
    page.goto(f"{live_server.url}/diary/")
    worker_ready(page)
    page.reload()  # now through the worker, which keeps it
    return patient, page


def chart_drawn(page) -> None:
    chart = page.locator("img[src*='/diary/charts/symptoms.svg']")
    chart.scroll_into_view_if_needed()
    chart.evaluate("img => img.decode()")  # rejects when the image cannot be loaded


def sign_out(page) -> None:
    page.locator("form[action='/accounts/logout/'] button").click()
    page.wait_for_url("**/accounts/login/**")


def test_the_last_home_page_opens_offline_and_other_pages_say_there_is_no_connection(
    live_server, new_context, assert_accessible
):
    context = new_context("ja-JP")
    patient, page = patient_signed_in_at_home(context, live_server, "cache-home@example.jp")
    for days_ago in (2, 1):
        DiaryEntry.objects.create(
            patient=patient, day=clinic_today(patient.clinic) - timedelta(days=days_ago), pain=4,
            swelling=1, warmth=0, redness="none", weight_bearing="full",
        )  # fmt: skip
    page.reload()
    chart_drawn(page)  # seen online once: kept with the page
    page.goto(f"{live_server.url}/diary/entry/")
    context.set_offline(True)
    page.goto(f"{live_server.url}/diary/")
    assert patient.name in page.locator("h1").inner_text()
    chart_drawn(page)
    page.goto(f"{live_server.url}/diary/entry/")
    expect(page.locator("form.entry-form")).to_be_visible()  # today's form, opened today
    page.goto(f"{live_server.url}/diary/history/")  # never opened: the offline page
    assert page.locator("a[data-phone=clinic]").get_attribute("href") == "tel:0300000000"
    cached = page.evaluate(CACHED_URLS_JS)
    assert f"{live_server.url}/diary/" in cached
    assert f"{live_server.url}/diary/offline/" in cached
    assert not any("/history/" in url for url in cached)
    assert_accessible(page)


def test_a_clinician_page_is_never_served_from_the_cache(live_server, new_context):
    context = new_context("ja-JP", viewport={"width": 1366, "height": 900})
    patient, page = patient_signed_in_at_home(context, live_server, "cache-staff@example.jp")
    # The same computer, then used by a clinician (the worker and its cache are still there).
    clinician = User.objects.create_user(
        "cache-doctor@example.jp", PASSWORD, name="Doctor", role=User.Role.CLINICIAN,
        clinic=patient.clinic,
    )  # fmt: skip
    client = Client()
    client.force_login(clinician)
    context.clear_cookies()
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    detail = f"{live_server.url}/clinic/patients/{patient.public_id}/"
    for url in (f"{live_server.url}/clinic/", detail):
        response = page.goto(url)
        assert response.ok
        assert "no-store" in response.headers["cache-control"]
        assert response.from_service_worker is False

    context.set_offline(True)
    with pytest.raises(PlaywrightError, match="ERR_INTERNET_DISCONNECTED"):
        page.reload()
    (worker,) = context.service_workers
    cached = worker.evaluate(CACHED_URLS_JS)
    assert f"{live_server.url}/diary/" in cached  # the patient's page is kept, no staff page
    assert not [url for url in cached if "/clinic/" in url or "/accounts/" in url]


def test_signing_out_empties_the_cache_but_keeps_waiting_entries(live_server, new_context):
    context = new_context("ja-JP")
    patient, page = patient_signed_in_at_home(context, live_server, "cache-out@example.jp")
    assert page.evaluate(CACHED_URLS_JS)
    waiting = {"id": "0b6c2a86-0d7c-4a53-9b8e-3f3f7c1d2e11", "patient": "someone", "fields": []}
    page.evaluate("record => window.DiaryOutbox.put(record)", waiting)
    sign_out(page)
    page.wait_for_function("async () => (await caches.keys()).length === 0")
    (worker,) = context.service_workers
    assert worker.evaluate(CACHED_URLS_JS) == []
    kept = worker.evaluate("() => self.DiaryOutbox.all()")
    assert [record["id"] for record in kept] == [waiting["id"]]


def test_a_waiting_entry_is_sent_after_a_sign_in_as_the_same_patient_only(live_server, new_context):
    context = new_context("ja-JP")
    patient, page = patient_signed_in_at_home(context, live_server, "cache-first@example.jp")
    other = User.objects.create_user(
        "cache-second@example.jp", PASSWORD, name="Second Patient", role=User.Role.PATIENT,
        clinic=patient.clinic, language="ja",
    )  # fmt: skip
    today = clinic_today(patient.clinic)
    page.goto(f"{live_server.url}/diary/entry/")
    page.locator("label[for=id_pain_4]").click()
    for label in ("id_swelling_1", "id_warmth_0", "id_redness_0", "id_weight_bearing_0"):
        page.locator(f"label[for={label}]").click()
    context.set_offline(True)
    page.locator("form.entry-form button[type=submit]").click()
    expect(page.locator("#offline-saved")).to_be_visible()

    # The session ends while the entry waits (expired, or signed out on another device).
    user_sessions_end(user=patient)
    context.set_offline(False)
    with page.expect_response(lambda response: "/accounts/login/" in response.url):
        page.locator("#offline-send-now").click()  # asks who is signed in: nobody
    assert not DiaryEntry.objects.exists()
    assert len(page.evaluate(WAITING_JS)) == 1

    # Another patient signs in on this phone: it is not sent for them, nor shown to them.
    sign_in(page, live_server.url, other.email, PASSWORD)
    page.wait_for_url("**/diary/")
    page.wait_for_timeout(1000)  # the page's own round of sending has had its chance
    # … and a round now, waiting for any other sender (the worker) to finish first.
    assert page.evaluate(SEND_ROUND_JS) == []
    expect(page.locator("#offline-waiting")).to_be_hidden()
    assert not DiaryEntry.objects.exists()
    assert len(page.evaluate(WAITING_JS)) == 1

    # The same patient again: it is sent, for its own day, and the answer is shown.
    sign_out(page)
    sign_in(page, live_server.url, patient.email, PASSWORD)
    page.wait_for_url(f"**/diary/entry/{today.isoformat()}/saved/")
    entry = DiaryEntry.objects.get()
    assert (entry.patient, entry.day, entry.pain) == (patient, today, 4)
    assert page.evaluate(WAITING_JS) == []


# The kept copy of today's form, stamped as kept a day earlier (as if the phone slept since).
AGE_KEPT_FORM_JS = """async () => {
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    const kept = await cache.match("/diary/entry/", { ignoreVary: true });
    if (!kept) continue;
    const headers = new Headers(kept.headers);
    headers.set("X-Diary-Cached-At", String(Date.now() - 24 * 3600 * 1000));
    const body = await kept.blob();
    await cache.put("/diary/entry/", new Response(body, { status: 200, headers }));
    return true;
  }
  return false;
}"""


def test_a_form_kept_on_an_earlier_day_is_not_shown_offline(live_server, new_context):
    """Yesterday's form would save yesterday's day: without a connection the offline page
    comes instead, with the clinic's number."""
    context = new_context("ja-JP")
    patient, page = patient_signed_in_at_home(context, live_server, "cache-stale@example.jp")
    page.goto(f"{live_server.url}/diary/entry/")
    (worker,) = context.service_workers
    assert worker.evaluate(AGE_KEPT_FORM_JS)
    context.set_offline(True)
    page.goto(f"{live_server.url}/diary/entry/")
    assert page.locator("form.entry-form").count() == 0
    assert page.locator("a[data-phone=clinic]").get_attribute("href") == "tel:0300000000"
    page.goto(f"{live_server.url}/diary/")  # the home page has no such limit
    assert patient.name in page.locator("h1").inner_text()
