"""The patient's answer after saving a day, and the open warnings on the home page.

Each finding is an element with data-flag and data-severity; urgent ones come first with the
clinic's phone as a tel: link and when to go to emergency care.
"""

from __future__ import annotations

import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.utils import translation

from diary.flag_text import flag_text
from diary.flagging import flag_acknowledge
from diary.models import Flag
from tests.factories import TODAY, days_ago, entry_form_data, make_patient_injected, save_entry
from tests.views.html import VOID

pytestmark = pytest.mark.django_db

EMERGENCY = (
    "If you cannot reach Sakura Clinic (at night or on a holiday), go to an emergency department "
    "today. If you feel very ill, call 119 for an ambulance."
)


class _Flagged(HTMLParser):
    """Collects every element with a data-flag attribute: its attributes and its text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[dict] = []
        self.open: list[list] = []  # [depth, index into found] of the elements being read
        self.links: list[tuple[str, str]] = []  # (href, text) of every tel: link
        self.in_link: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and (attrs.get("href") or "").startswith("tel:"):
            self.in_link = [attrs["href"], ""]
        if tag in VOID:
            return
        for reading in self.open:
            reading[0] += 1
        if "data-flag" in attrs:
            self.found.append({**attrs, "text": ""})
            self.open.append([1, len(self.found) - 1])

    def handle_endtag(self, tag):
        if tag == "a" and self.in_link:
            self.links.append(tuple(self.in_link))
            self.in_link = None
        if tag in VOID:
            return
        for reading in self.open:
            reading[0] -= 1
        self.open = [reading for reading in self.open if reading[0] > 0]

    def handle_data(self, data):
        for _depth, index in self.open:
            self.found[index]["text"] += data
        if self.in_link:
            self.in_link[1] += data


def read(content: bytes) -> _Flagged:
    parser = _Flagged()
    parser.feed(content.decode())
    for element in parser.found:
        element["text"] = re.sub(r"\s+", " ", element["text"]).strip()
    return parser


def findings(content: bytes) -> list[tuple[str, str]]:
    """(data-flag, data-severity) of every finding on the page, in page order."""
    return [(f["data-flag"], f.get("data-severity")) for f in read(content).found]


def in_language(user, language):
    user.language = language
    user.save(update_fields=["language"])


def save_day(client, day=TODAY, **answers):
    """Fill in the diary form and follow the redirect to the confirmation page."""
    response = client.post(f"/diary/entry/{day}/", entry_form_data(day, **answers), follow=True)
    assert response.redirect_chain == [(f"/diary/entry/{day}/saved/", 302)]
    return response


@pytest.fixture
def day_one_client(client, clinic, frozen_now):
    """Jun, whose injection was yesterday: today is day 1."""
    patient = make_patient_injected("jun@example.jp", clinic=clinic, injected_days_ago=1)
    in_language(patient, "en")
    client.force_login(patient)
    return client


# The confirmation page


def test_a_fever_of_38_4_shows_the_urgent_answer_with_the_clinics_phone(patient_client, patient):
    in_language(patient, "en")
    response = save_day(patient_client, temperature_c="38.4")
    page = read(response.content)

    (fever,) = page.found
    assert (fever["data-flag"], fever["data-severity"]) == ("fever", "urgent")
    assert fever["role"] == "alert"
    assert "Urgent: Fever" in fever["text"]
    assert "must be checked today" in fever["text"]
    content = response.content.decode()
    assert "Call your clinic today" in content
    assert ("tel:0311112222", "03-1111-2222") in page.links
    assert all(re.fullmatch(r"tel:\+?\d+", href) for href, _text in page.links)
    assert EMERGENCY in content
    # The stored flag is the same the page speaks of.
    assert Flag.objects.get(patient=patient).code == "fever"


def test_a_caution_tells_the_patient_to_tell_the_clinic_and_check_again(patient_client, patient):
    in_language(patient, "en")
    response = save_day(patient_client, temperature_c="37.6")
    page = read(response.content)

    assert findings(response.content) == [("fever", "caution")]
    assert "Tell your clinic, and measure your temperature again tomorrow" in page.found[0]["text"]
    content = response.content.decode()
    assert "Please tell Sakura Clinic:" in content
    assert "Fill in your diary again tomorrow" in content
    assert ("tel:0311112222", "03-1111-2222") in page.links
    assert "Call your clinic today" not in content
    assert "119" not in content


def test_an_early_reaction_on_day_1_is_shown_as_information(day_one_client):
    response = save_day(day_one_client, pain="5", swelling="1")
    content = response.content.decode()
    assert 'data-flag="early_reaction" data-severity="info"' in content
    (reaction,) = read(response.content).found
    assert "Good to know: Common early reaction" in reaction["text"]
    assert "Rest the joint for 1–2 days and avoid strenuous exercise" in reaction["text"]
    assert "Call your clinic today" not in content


def test_a_quiet_day_says_that_nothing_needs_attention(patient_client, patient):
    in_language(patient, "en")
    response = save_day(patient_client)
    assert findings(response.content) == [("none", None)]
    assert "Nothing in today's answers needs attention" in response.content.decode()


def test_findings_are_shown_most_severe_first(day_one_client):
    # Day 1: cannot bear weight (caution) and the early reaction (info), nothing urgent.
    response = save_day(day_one_client, weight_bearing="cannot", pain="6")
    assert findings(response.content) == [
        ("cannot_bear_weight", "caution"),
        ("early_reaction", "info"),
    ]


def test_urgent_findings_come_first_and_the_call_box_follows_them(patient_client, patient):
    in_language(patient, "en")
    save_entry(patient, day=days_ago(1), weight_bearing="cannot")
    response = save_day(
        patient_client,
        temperature_c="38.4",
        redness="spreading",
        unwell="on",
        weight_bearing="cannot",
    )
    assert findings(response.content) == [
        ("cannot_bear_weight", "urgent"),
        ("fever", "urgent"),
        ("redness_spreading", "urgent"),
    ]
    content = response.content.decode()
    assert content.index('data-flag="redness_spreading"') < content.index("Call your clinic today")


def test_a_caution_comes_before_information_and_after_urgent(patient_client, patient):
    in_language(patient, "en")
    response = save_day(patient_client, temperature_c="38.4", weight_bearing="cannot")
    assert findings(response.content) == [("fever", "urgent"), ("cannot_bear_weight", "caution")]
    content = response.content.decode()
    assert content.index("Call your clinic today") < content.index('data-flag="cannot_bear_weight"')


def test_the_confirmation_shows_the_findings_of_that_day_only(patient_client, patient):
    in_language(patient, "en")
    save_entry(patient, day=days_ago(1), temperature_c=Decimal("38.4"))
    response = save_day(patient_client, day=TODAY)
    assert findings(response.content) == [("none", None)]
    earlier = patient_client.get(f"/diary/entry/{days_ago(1)}/saved/")
    assert findings(earlier.content) == [("fever", "urgent")]


def test_the_answer_is_in_japanese_for_a_japanese_patient(patient_client, patient):
    in_language(patient, "ja")
    response = save_day(patient_client, temperature_c="38.4")
    page = read(response.content)
    with translation.override("ja"):
        title = str(flag_text("fever", "urgent").title)
        advice = str(flag_text("fever", "urgent").patient)
        call = translation.gettext("Call your clinic today")
    assert (title, call) != ("Fever", "Call your clinic today")  # really translated
    assert title in page.found[0]["text"] and advice in page.found[0]["text"]
    content = response.content.decode()
    assert call in content
    assert "119" in content
    assert "Call your clinic today" not in content
    assert "must be checked today" not in content
    assert ("tel:0311112222", "03-1111-2222") in page.links


def test_the_answer_is_in_english_for_an_english_patient(patient_client, patient):
    in_language(patient, "en")
    response = save_day(patient_client, temperature_c="38.4")
    with translation.override("ja"):
        japanese_call = translation.gettext("Call your clinic today")
    content = response.content.decode()
    assert "Call your clinic today" in content
    assert japanese_call not in content


def test_a_full_width_clinic_phone_still_gives_a_dialable_link(patient_client, patient):
    clinic = patient.clinic
    clinic.phone = "０３－１１１１－２２２２"
    clinic.save()
    response = save_day(patient_client, temperature_c="38.4")
    assert ("tel:0311112222", "０３－１１１１－２２２２") in read(response.content).links


# The home page


def test_home_lists_the_open_flags_until_they_are_acknowledged(patient_client, patient, clinician):
    in_language(patient, "en")
    save_entry(patient, day=days_ago(1), weight_bearing="cannot")
    save_entry(patient, temperature_c=Decimal("38.4"))

    response = patient_client.get("/diary/")
    assert findings(response.content) == [("fever", "urgent"), ("cannot_bear_weight", "caution")]
    assert "Call your clinic today" in response.content.decode()
    assert ("tel:0311112222", "03-1111-2222") in read(response.content).links

    flag_acknowledge(flag=Flag.objects.get(code="fever"), by=clinician, action="called")
    response = patient_client.get("/diary/")
    assert findings(response.content) == [("cannot_bear_weight", "caution")]
    assert "Call your clinic today" not in response.content.decode()

    flag_acknowledge(
        flag=Flag.objects.get(code="cannot_bear_weight"), by=clinician, action="called"
    )
    assert findings(patient_client.get("/diary/").content) == []


def test_home_does_not_show_the_clinics_not_logging_flag(patient_client, patient):
    from diary.flagging import flags_evaluate

    flags_evaluate(patient=patient)  # day 5 and nothing logged
    assert Flag.objects.get(patient=patient).code == "missed_entries"
    assert findings(patient_client.get("/diary/").content) == []


def test_home_shows_open_flags_in_the_patients_language(patient_client, patient):
    save_entry(patient, temperature_c=Decimal("37.6"))
    with translation.override("ja"):
        japanese_title = str(flag_text("fever", "caution").title)

    in_language(patient, "ja")
    japanese = read(patient_client.get("/diary/").content).found[0]["text"]
    in_language(patient, "en")
    english = read(patient_client.get("/diary/").content).found[0]["text"]

    assert japanese_title != "Raised temperature"
    assert japanese_title in japanese and "Raised temperature" not in japanese
    assert "Caution: Raised temperature" in english
