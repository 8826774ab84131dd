"""An entry made without a connection (issue 20), in real Chromium with the service worker.

The patient fills today's entry offline and sees that it is kept on the phone, with the
clinic's number; back online it arrives exactly once, for its own day, and the rules run. A
second sending of the same entry stores nothing twice; an entry changed elsewhere meanwhile
shows both versions; without JavaScript the form still saves.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.utils import translation
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from accounts.models import User
from diary.models import DiaryEntry, DiaryEntryVersion, Flag, FlagNotice
from diary.selectors import clinic_today
from diary.services import entry_save
from tests.browser.offline_helpers import (
    WAITING_JS,
    until,
    worker_ready,
)
from tests.browser.people import PASSWORD, patient_injected, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def patient_with_a_doctor(email: str, language: str = "ja") -> User:
    """A patient injected yesterday, and a clinician of the clinic to receive urgent e-mails."""
    patient = patient_injected(email, language=language, days_ago=1).patient
    User.objects.create_user(
        f"doctor-{email}", PASSWORD, name="Doctor", role=User.Role.CLINICIAN, clinic=patient.clinic
    )
    mail.outbox.clear()
    return patient


def words(language: str, msgid: str) -> str:
    """The panel's words as the page shows them in `language` (the server engineer's msgids)."""
    with translation.override(language):
        return translation.gettext(msgid)


def todays_form(live_server, new_context, patient: User, *args, **kwargs):
    """A new browser context (`new_context`'s arguments), the patient signed in, on today's form."""
    context = new_context(*args, **kwargs)
    page = context.new_page()
    sign_in(page, live_server.url, patient.email, PASSWORD)
    page.goto(f"{live_server.url}/diary/entry/")
    return context, page


def fill_urgent_fever(page) -> None:
    """Pain 6, severe swelling, clearly warm, redness, painful to stand on, 38.6 °C."""
    for label in ("id_pain_6", "id_swelling_3", "id_warmth_2", "id_redness_1"):
        page.locator(f"label[for={label}]").click()
    page.locator("label[for=id_weight_bearing_1]").click()
    page.locator("#id_temperature_c").fill("38.6")
    page.locator("#id_notes").fill("夜から熱っぽい")


def save(page) -> None:
    page.locator("form.entry-form button[type=submit]").click()


def save_offline(context, page) -> dict:
    """Save with no connection: the panel says it is kept; the record waiting on the phone."""
    context.set_offline(True)
    save(page)
    expect(page.locator("#offline-saved")).to_be_visible()
    (kept,) = page.evaluate(WAITING_JS)
    return kept


@pytest.mark.parametrize("language", ["ja", "en"])
def test_an_urgent_entry_made_offline_waits_on_the_phone_and_arrives_once(
    live_server, new_context, assert_accessible, language
):
    patient = patient_with_a_doctor(f"offline-urgent-{language}@example.jp", language)
    today = clinic_today(patient.clinic)
    locale = "ja-JP" if language == "ja" else "en-GB"
    context, page = todays_form(live_server, new_context, patient, locale)
    worker_ready(page)
    fill_urgent_fever(page)

    context.set_offline(True)
    save(page)
    panel = page.locator("#offline-saved")
    expect(panel).to_be_visible()
    assert words(language, "Saved on this phone — not yet sent") in panel.inner_text()
    call = panel.locator("a[data-phone=clinic]")
    assert call.inner_text() == "03-0000-0000"
    assert call.get_attribute("href") == "tel:0300000000"
    assert page.url.endswith("/diary/entry/")  # the page stayed; nothing was lost
    assert not DiaryEntry.objects.filter(patient=patient).exists()
    (waiting,) = page.evaluate(WAITING_JS)
    assert waiting["day"] == today.isoformat()
    assert ["temperature_c", "38.6"] in waiting["fields"]
    assert_accessible(page)

    context.set_offline(False)
    page.wait_for_url(f"**/diary/entry/{today.isoformat()}/saved/")
    entry = DiaryEntry.objects.get(patient=patient)
    assert entry.day == today
    assert (entry.pain, entry.swelling, entry.warmth, entry.redness) == (6, 3, 2, "present")
    assert entry.temperature_c == Decimal("38.6")
    assert entry.notes == "夜から熱っぽい"
    # The rules ran: the urgent fever flag, its answer on the page, one e-mail to the clinic.
    flag = Flag.objects.get(patient=patient, code="fever")
    assert flag.severity == "urgent"
    assert page.locator("[data-flag=fever]").get_attribute("data-severity") == "urgent"
    assert len(mail.outbox) == 1
    assert FlagNotice.objects.filter(flag=flag).count() == 1
    assert page.evaluate(WAITING_JS) == []
    assert_accessible(page)


def test_an_entry_sent_twice_is_stored_once(live_server, new_context):
    patient = patient_with_a_doctor("offline-twice@example.jp")
    context, page = todays_form(live_server, new_context, patient, "ja-JP")
    fill_urgent_fever(page)
    kept = save_offline(context, page)
    context.set_offline(False)
    page.wait_for_url("**/saved/")
    assert DiaryEntry.objects.filter(patient=patient).count() == 1

    # The same sending once more (its answer was lost, say): the home page sends it again.
    page.evaluate("record => window.DiaryOutbox.put(record)", kept)
    page.goto(f"{live_server.url}/diary/")
    page.wait_for_url("**/saved/")
    assert DiaryEntry.objects.filter(patient=patient).count() == 1
    assert not DiaryEntryVersion.objects.filter(entry__patient=patient).exists()
    assert len(mail.outbox) == 1  # the urgent e-mail went once
    assert page.evaluate(WAITING_JS) == []


def test_an_entry_changed_elsewhere_meanwhile_shows_both_versions(live_server, new_context):
    patient = patient_with_a_doctor("offline-conflict@example.jp")
    today = clinic_today(patient.clinic)
    context, page = todays_form(live_server, new_context, patient, "ja-JP")
    # Saved on another device after this form was loaded.
    values = {"pain": 2, "swelling": 0, "warmth": 0, "redness": "none", "weight_bearing": "full"}
    entry_save(patient=patient, day=today, values=values, saved_by=patient)
    page.locator("label[for=id_pain_7]").click()
    for label in ("id_swelling_1", "id_warmth_0", "id_redness_0", "id_weight_bearing_0"):
        page.locator(f"label[for={label}]").click()
    context.set_offline(True)
    save(page)
    expect(page.locator("#offline-saved")).to_be_visible()

    context.set_offline(False)
    page.locator("[data-conflict]").wait_for()
    pain = page.locator("#conflict-pain, .conflict-row[data-field=pain]")
    assert pain.locator("[data-version=saved]").inner_text() == "2 / 10"
    assert pain.locator("[data-version=yours]").inner_text() == "7 / 10"
    assert DiaryEntry.objects.get(patient=patient).pain == 2  # nothing overwritten yet
    assert len(page.evaluate(WAITING_JS)) == 1  # still kept until the patient chooses

    # "Keep my answers" with no connection at that moment: the copy on the phone stays …
    context.set_offline(True)
    with pytest.raises(PlaywrightError), page.expect_navigation():
        page.locator("form[data-choice=keep-mine] button").click()
    context.set_offline(False)
    page.goto(f"{live_server.url}/diary/")
    assert len(page.evaluate(WAITING_JS)) == 1
    # … and the home page says it waits (not sent again by itself: the patient must choose).
    expect(page.locator("#offline-waiting")).to_be_visible()
    page.wait_for_timeout(500)
    assert DiaryEntry.objects.get(patient=patient).pain == 2
    page.locator("#offline-send-now").click()
    page.locator("[data-conflict]").wait_for()
    page.locator("form[data-choice=keep-mine] button").click()
    page.wait_for_url("**/saved/")
    assert DiaryEntry.objects.get(patient=patient).pain == 7
    assert DiaryEntryVersion.objects.filter(entry__patient=patient).count() == 1
    until(lambda: page.evaluate(WAITING_JS) == [])  # deleted by the saved page


def test_without_javascript_the_form_still_saves(live_server, new_context):
    patient = patient_with_a_doctor("offline-nojs@example.jp")
    today = clinic_today(patient.clinic)
    context, page = todays_form(live_server, new_context, patient, "ja-JP", javascript=False)
    fill_urgent_fever(page)
    save(page)
    page.wait_for_url(f"**/diary/entry/{today.isoformat()}/saved/")
    entry = DiaryEntry.objects.get(patient=patient)
    assert entry.temperature_c == Decimal("38.6")
    assert page.locator("#offline-saved").count() == 0  # the saved page has no such panel
    assert len(mail.outbox) == 1


def test_background_sync_sends_the_entry_with_no_page_open(live_server, new_context):
    patient = patient_with_a_doctor("offline-sync@example.jp")
    today = clinic_today(patient.clinic)
    context, page = todays_form(live_server, new_context, patient, "ja-JP")
    worker_ready(page)
    page.locator("label[for=id_pain_3]").click()
    for label in ("id_swelling_0", "id_warmth_0", "id_redness_0", "id_weight_bearing_0"):
        page.locator(f"label[for={label}]").click()
    context.set_offline(True)
    save(page)
    expect(page.locator("#offline-saved")).to_be_visible()
    (worker,) = context.service_workers
    assert worker.evaluate("async () => (await self.registration.sync.getTags())") == [
        "diary-entries"
    ]
    page.close()  # the phone's browser is closed; the worker is still registered

    context.set_offline(False)
    for _ in range(50):
        if DiaryEntry.objects.filter(patient=patient).exists():
            break
        worker.evaluate("() => new Promise(resolve => setTimeout(resolve, 200))")
    entry = DiaryEntry.objects.get(patient=patient)
    assert (entry.day, entry.pain) == (today, 3)
    assert worker.evaluate("() => self.DiaryOutbox.all()") == []


def test_answers_to_correct_come_back_on_the_form_and_are_kept_until_saved(
    live_server, new_context
):
    patient = patient_with_a_doctor("offline-invalid@example.jp")
    context, page = todays_form(live_server, new_context, patient, "ja-JP")
    fill_urgent_fever(page)
    page.locator("#id_temperature_c").fill("45.0")
    save(page)
    expect(page.locator("#id_temperature_c[aria-invalid=true]")).to_be_visible()
    expect(page.locator(".alert-danger")).to_be_visible()
    assert page.locator("#id_temperature_c").input_value() == "45.0"  # the answer is still there
    assert not DiaryEntry.objects.exists()
    assert len(page.evaluate(WAITING_JS)) == 1  # until the server has the answers
    expect(page.locator("#offline-saved")).to_be_hidden()  # not waiting for the connection
    page.locator("#id_temperature_c").fill("38.6")
    save(page)
    page.wait_for_url("**/saved/")
    assert DiaryEntry.objects.get(patient=patient).temperature_c == Decimal("38.6")
    assert page.evaluate(WAITING_JS) == []


def test_a_stale_token_does_not_lose_answers_to_correct(live_server, new_context):
    """The form's CSRF token no longer matches (a page kept from before a sign-in): the
    answers come back on the form to correct, not on a "forbidden" page."""
    patient = patient_with_a_doctor("offline-token@example.jp")
    context, page = todays_form(live_server, new_context, patient, "ja-JP")
    fill_urgent_fever(page)
    page.locator("#id_temperature_c").fill("45.0")
    page.evaluate(
        """() => { document.querySelector('input[name="csrfmiddlewaretoken"]').value =
                   "x".repeat(64); }"""
    )
    answers = []
    page.on("response", lambda r: r.request.method == "POST" and answers.append(r.status))
    save(page)
    expect(page.locator("#id_temperature_c[aria-invalid=true]")).to_be_visible()
    assert page.locator("#id_temperature_c").input_value() == "45.0"
    assert answers[0] == 403 and answers[-1] == 200  # refused, then posted with a fresh token
    assert len(page.evaluate(WAITING_JS)) == 1
    page.locator("#id_temperature_c").fill("38.6")
    save(page)
    page.wait_for_url("**/saved/")
    assert DiaryEntry.objects.filter(patient=patient).count() == 1
    assert page.evaluate(WAITING_JS) == []


def fill_calm_day(page) -> None:
    page.locator("label[for=id_pain_3]").click()
    for label in ("id_swelling_0", "id_warmth_0", "id_redness_0", "id_weight_bearing_0"):
        page.locator(f"label[for={label}]").click()


def test_a_save_after_the_pages_record_was_sent_gets_a_new_key(live_server, new_context):
    """The first sending timed out here but reached the server (the worker then deleted the
    record): the next save must not reuse its spent key."""
    patient = patient_with_a_doctor("offline-newkey@example.jp")
    context, page = todays_form(live_server, new_context, patient, "ja-JP")
    fill_calm_day(page)
    first = save_offline(context, page)
    page.evaluate("id => window.DiaryOutbox.remove(id)", first["id"])  # sent meanwhile
    page.locator("label[for=id_pain_4]").click()
    save(page)
    page.wait_for_function("async () => (await window.DiaryOutbox.all()).length === 1")
    (second,) = page.evaluate(WAITING_JS)
    assert second["id"] != first["id"]
    assert ["submission_id", second["id"]] in second["fields"]


# What the worker tells every open page after Background Sync sent an entry.
SENT_MESSAGE_JS = """(message) => self.clients.matchAll({ type: "window" })
  .then((pages) => pages.forEach((page) => page.postMessage(message)))"""


def test_an_entry_sent_in_the_background_moves_only_its_own_page(live_server, new_context):
    patient = patient_with_a_doctor("offline-tabs@example.jp")
    context = new_context("ja-JP")
    page = context.new_page()
    sign_in(page, live_server.url, patient.email, PASSWORD)
    page.goto(f"{live_server.url}/diary/")
    worker_ready(page)
    (worker,) = context.service_workers
    other = {"type": "diary-entry-sent", "url": f"{live_server.url}/diary/history/",
             "id": "5f0c6a2e-1111-4222-8333-944445555666", "day": "2020-01-01"}  # fmt: skip
    worker.evaluate(SENT_MESSAGE_JS, other)  # another tab's entry
    page.wait_for_timeout(1000)
    assert page.url == f"{live_server.url}/diary/"


def test_older_answers_that_arrive_late_do_not_replace_their_correction(live_server, new_context):
    """Saved offline as pain 3, corrected on the phone to pain 4 before anything was sent: the
    record keeps its key and counts up. The first answers, arriving late (a sending delayed on
    the way), save nothing: the day stays at pain 4."""
    patient = patient_with_a_doctor("offline-late@example.jp")
    context, page = todays_form(live_server, new_context, patient, "ja-JP")
    fill_calm_day(page)  # pain 3
    first = save_offline(context, page)
    assert first["revision"] == 1 and ["answers_revision", "1"] in first["fields"]
    page.locator("label[for=id_pain_4]").click()
    save(page)
    page.wait_for_function(
        "async () => (await window.DiaryOutbox.all()).some((r) => r.revision === 2)"
    )
    (second,) = page.evaluate(WAITING_JS)
    assert second["id"] == first["id"]  # the same answers' key, not yet sent
    assert ["answers_revision", "2"] in second["fields"]
    context.set_offline(False)
    page.wait_for_url("**/saved/")
    entry = DiaryEntry.objects.get(patient=patient)
    assert entry.pain == 4

    page.evaluate("record => window.DiaryOutbox.put(record)", first)  # the late first sending
    page.goto(f"{live_server.url}/diary/")
    page.wait_for_url("**/saved/")
    until(lambda: page.evaluate(WAITING_JS) == [])
    entry.refresh_from_db()
    assert (entry.pain, entry.revision) == (4, 0)  # as first saved, never changed
    assert not DiaryEntryVersion.objects.filter(entry=entry).exists()


def test_the_form_opened_again_offline_shows_the_kept_answers_and_keeps_one_entry(
    live_server, new_context
):
    """Saved offline, then the form opened again before the answers left (from the phone's
    copy of the page): it shows the answers kept on the phone, and saving it again replaces
    them, so that one entry for the day waits and arrives."""
    patient = patient_with_a_doctor("offline-again@example.jp")
    context, page = todays_form(live_server, new_context, patient, "ja-JP")
    worker_ready(page)
    page.reload()  # through the worker: today's form is kept for offline use
    fill_calm_day(page)  # pain 3
    first = save_offline(context, page)

    page.goto(f"{live_server.url}/diary/entry/")  # the phone's copy of the form
    expect(page.locator("#offline-saved")).to_be_visible()
    assert page.locator("#id_pain_3").is_checked()  # the kept answers, not the server's
    assert page.locator("#id_weight_bearing_0").is_checked()
    page.locator("label[for=id_pain_5]").click()
    save(page)
    page.wait_for_function(
        "async () => (await window.DiaryOutbox.all()).some((r) => r.revision === 2)"
    )
    (again,) = page.evaluate(WAITING_JS)
    assert again["id"] == first["id"]  # replaced under its key: one entry waits
    context.set_offline(False)
    page.wait_for_url("**/saved/")
    entry = DiaryEntry.objects.get(patient=patient)
    assert entry.pain == 5
    until(lambda: page.evaluate(WAITING_JS) == [])


def test_a_page_whose_entry_the_worker_sent_goes_to_its_answer_by_itself(live_server, new_context):
    """Background Sync sent the page's entry, and its message did not reach the page (not yet
    controlled by the worker): back online, the page finds its record gone and goes to the
    day's saved page, as after any save."""
    patient = patient_with_a_doctor("offline-worker-sent@example.jp")
    context, page = todays_form(live_server, new_context, patient, "ja-JP")
    fill_calm_day(page)
    kept = save_offline(context, page)
    values = {"pain": 3, "swelling": 0, "warmth": 0, "redness": "none", "weight_bearing": "full"}
    entry_save(patient=patient, day=clinic_today(patient.clinic), values=values,
               saved_by=patient)  # fmt: skip
    page.evaluate("id => window.DiaryOutbox.remove(id)", kept["id"])  # as the worker does
    context.set_offline(False)
    page.wait_for_url(f"**/diary/entry/{clinic_today(patient.clinic)}/saved/")
    assert DiaryEntry.objects.filter(patient=patient).count() == 1
