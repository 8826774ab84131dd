"""The patient's pages as issue 18 left them: a home page that tells the truth about each
warning, an urgent answer that leads with the call and says whether the clinic was alerted,
earlier days in their own words, confirmations that lead back where the patient came from, a
history that marks warning days and keeps earlier answers, and one settings page."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.mail.backends.base import BaseEmailBackend

from accounts.models import User
from diary.alerts import flag_digest_send
from diary.flagging import flag_acknowledge
from diary.models import DiaryEntry, Flag
from tests.factories import (
    FROZEN_NOW,
    TODAY,
    days_ago,
    entry_form_data,
    make_clinician,
    make_entry,
    save_entry,
)
from tests.views.html import element_text, field_error

pytestmark = pytest.mark.django_db


class MailServerDown(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def in_language(user, language):
    User.objects.filter(pk=user.pk).update(language=language)


def text_of(content: bytes) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", content.decode())).strip()


def warning_block(content: bytes, code: str) -> str:
    """The HTML of the home page's warning of this code."""
    html = content.decode()
    start = html.index(f'data-flag="{code}"')
    end = html.find('<li class="warning ', start)
    return html[start : end if end != -1 else html.index("</section>", start)]


def warning_items(content: bytes) -> dict[str, str]:
    """The text of each warning on the home page, by its code."""
    codes = re.findall(r'<li class="warning [^"]*" data-flag="(\w+)"', content.decode())
    return {code: text_of(warning_block(content, code).encode()) for code in codes}


def facts(content: bytes, code: str) -> dict[str, str]:
    """data-fact → the attribute that says it (data-told / data-seen) or "shown"."""
    found = {}
    for fact, rest in re.findall(r'data-fact="(\w+)"([^>]*)>', warning_block(content, code)):
        value = re.search(r'data-(?:told|seen)="(\w+)"', rest)
        found[fact] = value.group(1) if value else "shown"
    return found


def save_day(client, day=TODAY, *, query="", **answers):
    return client.post(f"/diary/entry/{day}/{query}", entry_form_data(day, **answers), follow=True)


def save_and_alert(client, capture, day=TODAY, **answers):
    """Save as the browser does, the alert e-mail sent after the save's transaction (as
    on_commit does outside a test), then open the confirmation the redirect leads to."""
    with capture(execute=True):
        response = client.post(f"/diary/entry/{day}/", entry_form_data(day, **answers))
    return client.get(response["Location"])


@pytest.fixture
def english(patient):
    in_language(patient, "en")


# --- Home: today's card first, then one card with what is true about each warning -------------


def test_todays_card_comes_before_the_warnings(patient_client, patient, english):
    save_entry(patient, temperature_c=Decimal("38.4"))
    content = patient_client.get("/diary/").content.decode()
    assert content.index('id="today-heading"') < content.index('id="warnings-heading"')
    assert content.count('id="warnings-heading"') == 1


def test_a_warning_says_the_day_it_started_and_its_latest_day(patient_client, patient, english):
    save_entry(patient, day=days_ago(2), temperature_c=Decimal("37.6"))
    save_entry(patient, day=days_ago(1), temperature_c=Decimal("37.7"))
    text = warning_items(patient_client.get("/diary/").content)["fever"]
    assert "Caution: Raised temperature" in text
    assert "Started on November 24 (day 3), latest on November 25" in text


def test_an_urgent_warning_says_when_the_alert_e_mail_went_out(
    patient_client, patient, clinician, english, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        save_entry(patient, temperature_c=Decimal("38.4"))
    content = patient_client.get("/diary/").content
    assert facts(content, "fever")["told"] == "sent"
    assert "The clinic was sent an alert e-mail on November 26 at 10:00." in text_of(content)
    assert facts(content, "fever")["seen"] == "no"


def test_an_urgent_warning_no_e_mail_reached_says_to_call_yourself(
    patient_client, patient, clinician, english, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.views.test_patient_pages_issue18.MailServerDown"
    with django_capture_on_commit_callbacks(execute=True):
        save_entry(patient, temperature_c=Decimal("38.4"))
    content = patient_client.get("/diary/").content
    assert facts(content, "fever")["told"] == "pending"
    assert "No alert e-mail has reached the clinic yet. Please call the clinic yourself." in (
        text_of(content)
    )
    assert "alert e-mail on" not in text_of(content)


def test_a_clinic_without_a_clinician_to_e_mail_has_not_been_told(
    patient_client, patient, english, django_capture_on_commit_callbacks
):
    # The day is marked as handled, but nobody received an e-mail: the page must not say so.
    with django_capture_on_commit_callbacks(execute=True):
        save_entry(patient, temperature_c=Decimal("38.4"))
    assert facts(patient_client.get("/diary/").content, "fever")["told"] == "pending"


def test_a_caution_says_whether_it_was_in_the_clinics_daily_summary(
    patient_client, patient, clinician, english
):
    save_entry(patient, temperature_c=Decimal("37.6"))
    content = patient_client.get("/diary/").content
    assert facts(content, "fever")["told"] == "digest_pending"
    assert "It has not been in the clinic's daily summary e-mail yet." in text_of(content)
    flag_digest_send()
    content = patient_client.get("/diary/").content
    assert facts(content, "fever")["told"] == "digest_sent"
    assert "It was in the clinic's daily summary e-mail on November 26." in text_of(content)


def test_a_warning_the_clinic_has_seen_says_so_for_a_week(
    patient_client, patient, clinician, english, time_machine
):
    save_entry(patient, temperature_c=Decimal("38.4"))
    flag_acknowledge(flag=Flag.objects.get(patient=patient), by=clinician, action="called")
    content = patient_client.get("/diary/").content
    assert facts(content, "fever") == {"since": "shown", "seen": "yes"}
    assert "The clinic saw it on November 26." in text_of(content)
    assert 'data-call="' not in content.decode()  # nothing left to call about

    time_machine.move_to(FROZEN_NOW + timedelta(days=8), tick=False)
    patient_client.force_login(patient)
    assert 'data-flag="fever"' not in patient_client.get("/diary/").content.decode()


def test_after_a_quieter_day_the_warning_says_the_latest_answers_no_longer_show_it(
    patient_client, patient, clinician, english
):
    save_entry(patient, day=days_ago(1), temperature_c=Decimal("38.4"))
    save_entry(patient, temperature_c=Decimal("36.6"))
    content = patient_client.get("/diary/").content
    assert facts(content, "fever")["quieter"] == "shown"
    text = text_of(content)
    assert "Your answers on November 26 no longer show this sign." in text
    assert "whether anything needs to be done is for the clinic to decide" in text
    # Still open: the patient is asked to call today, no longer "now".
    assert 'data-call="today"' in content.decode()
    assert 'data-call="now"' not in content.decode()


def test_the_quieter_line_in_japanese(patient_client, patient, clinician):
    save_entry(patient, day=days_ago(1), temperature_c=Decimal("38.4"))
    save_entry(patient, temperature_c=Decimal("36.6"))
    text = text_of(patient_client.get("/diary/").content)
    assert "11月26日の回答では、このサインは出ていません。" in text
    assert "クリニックが判断します" in text
    assert "11月25日から（注射後4日目）" in text


def test_a_current_urgent_warning_keeps_the_call_now_box(patient_client, patient, english):
    save_entry(patient, temperature_c=Decimal("38.4"))
    content = patient_client.get("/diary/").content.decode()
    assert 'data-call="now"' in content
    assert "quieter" not in content


def test_each_warning_links_to_the_advice_of_its_latest_day(patient_client, patient, english):
    save_entry(patient, day=days_ago(1), temperature_c=Decimal("37.6"))
    content = patient_client.get("/diary/").content.decode()
    assert f'href="/diary/entry/{days_ago(1)}/saved/"' in content


# --- The urgent answer: the call first, and whether the clinic was alerted ----------------------


def test_the_urgent_answer_leads_with_call_now_and_the_alert_line(
    patient_client, patient, clinician, english, django_capture_on_commit_callbacks
):
    response = save_and_alert(
        patient_client, django_capture_on_commit_callbacks, temperature_c="38.4"
    )
    content = response.content.decode()
    assert element_text(content, "call-now-heading") == "Call your clinic now"
    assert "<title>Call your clinic now" in content
    line = re.search(r'data-alert="(\w+)">(.*?)</p>', content, re.S)
    assert line.group(1) == "sent"
    assert "We sent an e-mail to tell the clinic on November 26 at 10:00." in line.group(2)
    # The clinic's number comes right after the headline and the alert line.
    assert content.index('data-alert="') < content.index('href="tel:0311112222"')


def test_the_urgent_answer_in_japanese(
    patient_client, patient, clinician, django_capture_on_commit_callbacks
):
    response = save_and_alert(
        patient_client, django_capture_on_commit_callbacks, temperature_c="38.4"
    )
    content = response.content.decode()
    assert element_text(content, "call-now-heading") == "すぐにクリニックへ電話してください"
    assert "11月26日 10:00に、クリニックへお知らせのメールを送りました。" in text_of(
        response.content
    )
    assert "今日中に" not in content


def test_when_the_mail_server_is_down_the_answer_says_the_clinic_was_not_alerted(
    patient_client, patient, clinician, english, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.views.test_patient_pages_issue18.MailServerDown"
    response = save_and_alert(
        patient_client, django_capture_on_commit_callbacks, temperature_c="38.4"
    )
    content = response.content.decode()
    assert 'data-alert="pending"' in content
    assert "The clinic has not been alerted by e-mail yet. Please call now." in content
    assert "We sent an e-mail" not in content


def test_a_day_without_an_urgent_sign_has_no_alert_line(patient_client, patient, english):
    content = save_day(patient_client, temperature_c="37.6").content.decode()
    assert "data-alert" not in content
    assert '<h1 class="h3 mb-2">Saved</h1>' in content


# --- Earlier days: their own words, and the way back -------------------------------------------


def test_an_earlier_days_form_asks_about_that_day(patient_client, patient):
    content = patient_client.get(f"/diary/entry/{days_ago(2)}/").content.decode()
    for words in (
        "その日は熱っぽかった・寒気がした",
        "その日は全身の調子が悪かった",
        "その日、注射した関節をさわると熱く感じましたか？",
        "その日、注射した側の脚に体重をかけられましたか？",
        "前の日の記録です。",
    ):
        assert words in content, words
    form = content[content.index('class="entry-form"') :]
    form = form[: form.index("</form>")]
    assert "今日" not in form
    in_language(patient, "en")
    english = patient_client.get(f"/diary/entry/{days_ago(2)}/").content.decode()
    form = english[english.index('class="entry-form"') :]
    form = form[: form.index("</form>")]
    assert "today" not in form.lower()
    assert "That day I felt feverish or had chills" in form


def test_todays_form_still_says_today(patient_client):
    content = patient_client.get("/diary/entry/").content.decode()
    assert "熱っぽい・寒気がする" in content
    assert "前の日の記録です。" not in content


def test_an_earlier_urgent_day_names_that_day(patient_client, patient, english):
    response = save_day(patient_client, days_ago(2), temperature_c="38.4")
    assert "Your answers for November 24 show a sign that needs a call right away." in (
        response.content.decode()
    )


def test_a_confirmation_from_the_history_leads_back_to_that_day_in_the_history(
    patient_client, patient, english
):
    make_entry(patient, day=days_ago(1))
    response = save_day(patient_client, days_ago(1), query="?from=history")
    assert response.redirect_chain == [(f"/diary/entry/{days_ago(1)}/saved/?from=history", 302)]
    content = response.content.decode()
    assert f'href="/diary/history/#day-{days_ago(1)}"' in content
    assert "Back to my entries" in content
    assert f'href="/diary/entry/{days_ago(1)}/?from=history"' in content  # change it again


def test_the_way_back_finds_the_page_of_the_history_that_lists_the_day(patient_client, patient):
    for n in range(35):
        make_entry(patient, day=days_ago(n))
    content = patient_client.get(f"/diary/entry/{days_ago(33)}/saved/?from=history").content
    assert f'href="/diary/history/?page=2#day-{days_ago(33)}"' in content.decode()


def test_a_confirmation_from_home_leads_home_and_nothing_else_is_followed(
    patient_client, patient, english
):
    make_entry(patient, day=TODAY)
    for query in ("", "?from=home", "?from=https://example.com/"):
        content = patient_client.get(f"/diary/entry/{TODAY}/saved/{query}").content.decode()
        assert '<a class="btn btn-primary btn-lg" href="/diary/" data-back="home">' in content
        assert "example.com" not in content


# --- Choosing an earlier day: on a page of its own --------------------------------------------


def test_choosing_an_earlier_day_opens_its_form_and_comes_back_to_the_history(patient_client):
    response = patient_client.get("/diary/entry/earlier/", {"day": days_ago(3).isoformat()})
    assert response.status_code == 302
    assert response["Location"] == f"/diary/entry/{days_ago(3)}/?from=history"
    page = patient_client.get(response["Location"]).content.decode()
    assert f'action="/diary/entry/{days_ago(3)}/?from=history"' in page


def test_choosing_today_opens_todays_form(patient_client):
    response = patient_client.get("/diary/entry/earlier/", {"day": TODAY.isoformat()})
    assert response["Location"] == "/diary/entry/"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-11-27", "You cannot fill in a day in the future. Today is 2026-11-26."),
        ("yesterday", "Enter a date such as 2026-11-26."),
        ("", "Please choose a day."),
    ],
)
def test_a_day_that_cannot_be_filled_in_is_explained(patient_client, patient, value, message):
    in_language(patient, "en")
    response = patient_client.get("/diary/entry/earlier/", {"day": value})
    assert response.status_code == 200
    assert message in field_error(response.content, "day")
    assert 'aria-invalid="true"' in response.content.decode()


def test_the_history_offers_to_fill_in_an_earlier_day(patient_client):
    assert 'href="/diary/entry/earlier/"' in patient_client.get("/diary/history/").content.decode()


# --- The history: warning days marked, earlier answers kept ------------------------------------


def test_the_history_marks_the_days_that_raised_a_warning(patient_client, patient, english):
    save_entry(patient, day=days_ago(2))
    save_entry(patient, day=days_ago(1), temperature_c=Decimal("38.4"))
    content = patient_client.get("/diary/history/").content.decode()
    item = content[content.index(f'id="day-{days_ago(1)}"') :]
    item = item[: item.index("</li>\n  \n")] if "</li>\n  \n" in item else item[:3000]
    assert (
        'data-severity="urgent"' in content[content.index(f'id="day-{days_ago(1)}"') - 200 :][:400]
    )
    assert "Urgent: Fever" in text_of(item.encode())
    assert f'href="/diary/entry/{days_ago(1)}/saved/?from=history"' in item
    quiet = content[content.index(f'id="day-{days_ago(2)}"') - 200 :][:400]
    assert "data-severity" not in quiet


def test_the_history_shows_each_edited_days_earlier_answers(patient_client, patient, english):
    save_entry(patient, day=days_ago(1), pain=6, feverish=True)
    save_entry(patient, day=days_ago(1), pain=3, feverish=False)
    content = patient_client.get("/diary/history/").content
    text = text_of(content)
    assert "Changed once: the earlier answers" in text
    assert "Before the change on November 26 at 10:00:" in text
    assert "Pain 6" in text
    assert "Felt feverish or had chills yes" in text


def test_the_history_reads_a_fixed_number_of_queries(
    patient_client, patient, django_assert_max_num_queries
):
    for n in range(3):
        save_entry(patient, day=days_ago(n))
    with django_assert_max_num_queries(40) as few:
        patient_client.get("/diary/history/")
    for n in range(3, 25):
        save_entry(patient, day=days_ago(n), pain=n % 11)
        save_entry(patient, day=days_ago(n), pain=(n + 1) % 11)
    with django_assert_max_num_queries(len(few.captured_queries)):
        patient_client.get("/diary/history/")


# --- Settings and my data ----------------------------------------------------------------------


def test_the_patients_header_has_one_row_of_links_and_settings_holds_the_rest(
    patient_client, patient, english
):
    home = patient_client.get("/diary/").content.decode()
    header = home[home.index("<header") : home.index("</header>")]
    assert 'href="/diary/settings/"' in header
    assert 'href="/diary/history/"' in header
    assert 'href="/accounts/password/"' not in header
    assert "accounts/language" not in header
    settings = patient_client.get("/diary/settings/").content.decode()
    assert 'href="/accounts/password/"' in settings
    assert 'href="/diary/my-data/"' in settings
    assert 'action="/accounts/language/"' in settings


def test_a_clinicians_header_keeps_the_password_and_language(clinician_client):
    content = clinician_client.get("/clinic/").content.decode()
    header = content[content.index("<header") : content.index("</header>")]
    assert 'href="/accounts/password/"' in header
    assert "accounts/language" in header


def test_an_account_page_that_does_not_exist_yet_is_left_out(patient_client, monkeypatch):
    from diary.views import patient as views

    monkeypatch.setattr(
        views,
        "ACCOUNT_LINKS",
        (("accounts:password_change", "Password"), ("accounts:no_such_page", "Nothing")),
    )
    response = patient_client.get("/diary/settings/")
    assert response.status_code == 200
    assert response.context["account_links"] == [("/accounts/password/", "Password")]


def test_the_text_size_is_remembered_on_the_account(client, patient_client, patient):
    assert "data-text-size" not in patient_client.get("/diary/").content.decode()
    response = patient_client.post("/diary/settings/text-size/", {"text_size": "xlarge"})
    assert response["Location"] == "/diary/settings/"
    patient.refresh_from_db()
    assert patient.text_size == "xlarge"
    other_phone = type(client)()
    other_phone.force_login(patient)
    assert 'data-text-size="xlarge"' in other_phone.get("/diary/").content.decode()
    assert 'data-text-size="xlarge"' in other_phone.get("/diary/report/").content.decode()


@pytest.mark.parametrize("value", ["huge", "", "<script>"])
def test_an_unknown_text_size_is_refused_with_a_message(patient_client, patient, value):
    in_language(patient, "en")
    response = patient_client.post("/diary/settings/text-size/", {"text_size": value}, follow=True)
    assert "Please choose one of the text sizes shown." in response.content.decode()
    patient.refresh_from_db()
    assert patient.text_size == "normal"


def test_downloads_are_named_in_plain_words(patient_client, patient, english):
    content = patient_client.get("/diary/my-data/").content.decode()
    assert "My diary entries, for Excel" in content
    assert "My recent diary, for another clinic's system" in content
    japanese = patient_client.get("/diary/my-data/")
    in_language(patient, "ja")
    japanese = patient_client.get("/diary/my-data/").content.decode()
    assert "Excel" in japanese and "ほかの医療機関" in japanese
    assert "表計算用 CSV" not in japanese


# --- The icon ----------------------------------------------------------------------------------


def test_every_page_has_the_products_icon_and_touch_icon(patient_client):
    from django.test import Client

    sign_in = Client().get("/accounts/login/").content
    for content in (sign_in, patient_client.get("/diary/").content):
        html = content.decode()
        assert 'rel="icon" href="/static/icons/favicon.svg"' in html
        assert 'rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png"' in html
        assert 'href="data:,"' not in html


def test_the_icon_files_are_the_drawing_of_tools_make_icons():
    import importlib.util
    from pathlib import Path

    from PIL import Image

    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location("make_icons", root / "tools" / "make_icons.py")
    make_icons = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_icons)
    icons = root / "static" / "icons"
    assert (icons / "favicon.svg").read_text(encoding="utf-8") == make_icons.svg()
    for name, size in (("apple-touch-icon.png", 180), ("icon-192.png", 192), ("icon-512.png", 512)):
        with Image.open(icons / name) as image:
            assert image.size == (size, size), name
    with Image.open(icons / "apple-touch-icon.png") as image:
        assert image.mode == "RGB"  # iOS draws a transparent corner black


def test_a_saved_entry_is_not_touched_by_reading_its_pages(patient_client, patient):
    entry = make_entry(patient, day=days_ago(1))
    for path in (
        f"/diary/entry/{days_ago(1)}/?from=history",
        f"/diary/entry/{days_ago(1)}/saved/?from=history",
        "/diary/history/",
        "/diary/settings/",
    ):
        assert patient_client.get(path).status_code == 200
    assert DiaryEntry.objects.get(pk=entry.pk).versions.count() == 0


def test_other_roles_cannot_open_the_new_pages(clinician_client):
    for path in ("/diary/settings/", "/diary/entry/earlier/"):
        assert clinician_client.get(path).status_code == 404
    assert (
        clinician_client.post("/diary/settings/text-size/", {"text_size": "large"}).status_code
        == 404
    )
    assert make_clinician  # the clinician fixture is a clinician of the patient's own clinic


# --- The phone's chart: asked for by the page, cached like the wide one -------------------------


@pytest.mark.parametrize("name", ["symptoms", "goals"])
def test_the_narrow_chart_has_its_own_etag_and_answers_304(patient_client, patient, name):
    from tests.factories import make_goal

    make_entry(patient, day=days_ago(1))
    make_goal(patient, injection=patient.injections.get())
    url = f"/diary/charts/{name}.svg"
    wide = patient_client.get(url)
    narrow = patient_client.get(url, {"layout": "narrow"})
    assert narrow.status_code == 200
    assert narrow["Content-Type"] == "image/svg+xml"
    assert b'width="240pt"' in narrow.content  # the phone's portrait drawing
    assert narrow["ETag"] != wide["ETag"]
    assert patient_client.get(url, {"layout": "narrow"}).content == narrow.content
    again = patient_client.get(url, {"layout": "narrow"}, headers={"if-none-match": narrow["ETag"]})
    assert again.status_code == 304
    # Anything else is the wide drawing.
    assert patient_client.get(url, {"layout": "tiny"}).content == wide.content


def test_the_clinics_chart_of_a_patient_has_the_narrow_drawing_too(clinician_client, patient):
    make_entry(patient, day=days_ago(1))
    url = f"/clinic/patients/{patient.public_id}/charts/symptoms.svg"
    assert b'width="240pt"' in clinician_client.get(url, {"layout": "narrow"}).content


def test_the_page_asks_for_the_narrow_drawing_on_a_phone_without_javascript(
    patient_client, patient
):
    make_entry(patient, day=days_ago(1))
    content = patient_client.get("/diary/").content.decode()
    source = re.search(r'<source media="\(max-width: 575.98px\)" srcset="([^"]+)"', content)
    assert source and "layout=narrow" in source.group(1)
    figure = content[content.index('<figure class="chart') :]
    assert "<script" not in figure[: figure.index("</figure>")]  # the browser picks, no script
