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
from diary.templatetags.offline import offline_patient_key
from tests.browser.offline_helpers import (
    CACHED_URLS_JS,
    WAITING_JS,
    until,
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


def cache_names(page) -> list[str]:
    return page.evaluate("() => caches.keys()")


def patient_pages_kept(page) -> list[str]:
    return [url for url in page.evaluate(CACHED_URLS_JS) if "/static/" not in url]


def test_another_patient_signed_in_without_the_sign_in_page_never_sees_the_first_ones_pages(
    live_server, new_context
):
    """A new link from the clinic signs a patient in and goes home, past the sign-in page's
    script: the worker still serves nothing of the patient before, and keeps nothing of theirs."""
    context = new_context("ja-JP")
    first, page = patient_signed_in_at_home(context, live_server, "cache-a@example.jp")
    page.goto(f"{live_server.url}/diary/entry/")  # kept, for this patient
    first_key = offline_patient_key(first)
    assert any(first_key in name for name in cache_names(page))
    second = User.objects.create_user(
        "cache-b@example.jp", PASSWORD, name="Second Patient", role=User.Role.PATIENT,
        clinic=first.clinic, language="ja",
    )  # fmt: skip
    client = Client()
    client.force_login(second)
    context.clear_cookies()
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/diary/")  # online, through the worker
    assert "Second Patient" in page.locator("h1").inner_text()
    second_key = offline_patient_key(second)
    kept_offline_page = """async (key) => {
          for (const name of await caches.keys()) {
            if (!name.endsWith("-p-" + key)) continue;
            const cache = await caches.open(name);
            if (await cache.match("/diary/offline/", { ignoreVary: true })) return true;
          }
          return false;
        }"""
    until(lambda: page.evaluate(kept_offline_page, second_key))  # the second one's offline page
    assert not any(first_key in name for name in cache_names(page))

    context.set_offline(True)
    page.goto(f"{live_server.url}/diary/entry/")
    assert page.locator("form.entry-form").count() == 0  # not the first patient's form
    assert page.locator("meta[name=diary-patient]").get_attribute("content") == second_key
    assert page.locator("a[data-phone=clinic]").get_attribute("href") == "tel:0300000000"
    (worker,) = context.service_workers
    assert not any(first_key in name for name in worker.evaluate("() => caches.keys()"))


def test_a_patient_page_that_comes_back_signed_out_empties_the_patient_cache(
    live_server, new_context
):
    """The worker itself forgets the patient's pages when the session has ended (here with no
    help from the sign-in page's script, which the test replaces by a bare page)."""
    context = new_context("ja-JP")
    patient, page = patient_signed_in_at_home(context, live_server, "cache-ended@example.jp")
    key = offline_patient_key(patient)
    assert any(key in name for name in cache_names(page))
    page.route(
        "**/accounts/login/**",
        lambda route: route.fulfill(
            body="<!doctype html><title>x</title>", content_type="text/html"
        ),
    )
    user_sessions_end(user=patient)
    page.goto(f"{live_server.url}/diary/")
    assert "/accounts/login/" in page.url
    until(lambda: not patient_pages_kept(page))
    assert not any(key in name for name in cache_names(page))


def test_a_page_kept_longer_than_a_session_is_not_served(live_server, new_context):
    context = new_context("ja-JP")
    patient, page = patient_signed_in_at_home(context, live_server, "cache-old@example.jp")
    (worker,) = context.service_workers
    # Kept 13 hours ago: longer than a session lasts (SESSION_ABSOLUTE_HOURS, 12).
    assert worker.evaluate(AGE_KEPT_JS, {"path": "/diary/", "hours": 13})
    context.set_offline(True)
    page.goto(f"{live_server.url}/diary/")
    assert patient.name not in page.locator("h1").inner_text()
    assert page.locator("a[data-phone=clinic]").get_attribute("href") == "tel:0300000000"
    worker.evaluate(AGE_KEPT_JS, {"path": "/diary/offline/", "hours": 13})
    with pytest.raises(PlaywrightError):
        page.goto(f"{live_server.url}/diary/")  # not even the old offline page


AGE_KEPT_JS = """async ({ path, hours }) => {
  let done = false;
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      if (new URL(request.url).pathname !== path) continue;
      const kept = await cache.match(request, { ignoreVary: true });
      const headers = new Headers(kept.headers);
      headers.set("X-Diary-Cached-At", String(Date.now() - hours * 3600 * 1000));
      await cache.put(request, new Response(await kept.blob(), { status: 200, headers }));
      done = true;
    }
  }
  return done;
}"""
