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
from tests.factories import (
    TODAY,
    days_ago,
    entry_form_data,
    make_injection,
    make_patient,
    make_patient_injected,
    save_entry,
)
from tests.views.html import VOID

pytestmark = pytest.mark.django_db

EMERGENCY_DEPARTMENT = (
    "If you cannot reach the clinic (at night or on a holiday), call a hospital with an "
    "emergency department before you go."
)
# The patient fixture's injection, five days before TODAY: a left knee, hyaluronic acid.
INJECTED_JA = ("2026年11月21日", "膝（左）", "ヒアルロン酸")
REASONS_FOR_119_JA = (
    "意識がぼんやりしている、話がかみ合わない",
    "息が苦しい",
    "体がガタガタ震えるほどの寒気がある",
    "ぐったりして動けない",
)
TEL_7119 = "tel:%237119"


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


def text_of(content: bytes) -> str:
    """The page's visible text, whitespace collapsed (tags dropped)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", content.decode())).strip()


def dialable(href: str) -> bool:
    return bool(re.fullmatch(r"tel:\+?\d+", href)) or href == TEL_7119


# The confirmation page


def test_a_fever_of_38_4_shows_the_urgent_answer_with_the_clinics_phone(patient_client, patient):
    in_language(patient, "en")
    response = save_day(patient_client, temperature_c="38.4")
    page = read(response.content)

    (fever,) = page.found
    assert (fever["data-flag"], fever["data-severity"]) == ("fever", "urgent")
    assert fever["role"] == "alert"
    assert "Urgent: Fever" in fever["text"]
    assert "Call your clinic now." in fever["text"]
    content = response.content.decode()
    assert "Call your clinic now" in content
    assert page.links[0] == ("tel:0311112222", "03-1111-2222")  # the clinic's number comes first
    assert all(dialable(href) for href, _text in page.links)
    assert EMERGENCY_DEPARTMENT in content  # Sakura Clinic has no after-hours number
    assert (TEL_7119, "#7119 (emergency advice line)") in page.links
    assert "not available in every region" in content
    for reason in (
        "you are drowsy or confused",
        "you are short of breath",
        "you have shaking chills",
        "you are too weak to move",
    ):
        assert reason in content
    answer = content[content.index('class="findings') : content.index("Thank you for filling in")]
    assert "today" not in answer.lower(), "an urgent answer says now, not today"
    # The stored flag is the same the page speaks of.
    assert Flag.objects.get(patient=patient).code == "fever"


def test_the_urgent_answer_in_japanese_says_now_and_what_to_do_at_night(patient_client, patient):
    response = save_day(patient_client, temperature_c="38.4")
    page = read(response.content)
    content = response.content.decode()
    text = text_of(response.content)

    assert "すぐにクリニックへ電話してください" in text
    assert page.links[0] == ("tel:0311112222", "03-1111-2222")
    assert "今日中に" not in content
    # No after-hours number: call a hospital with an emergency department before going.
    assert "救急外来のある病院に電話してから受診してください" in text
    assert 'data-phone="after-hours"' not in content
    # #7119 as a link that dials, with the words that it is not everywhere.
    assert (TEL_7119, "#7119（救急安心センター）") in page.links
    assert f'href="{TEL_7119}"' in content
    assert "救急安心センター（#7119）に相談できます。実施していない地域もあります。" in text
    # When not to wait for the clinic at all.
    assert "すぐに119番で救急車を呼んでください" in text
    for reason in REASONS_FOR_119_JA:
        assert f"<li>{reason}</li>" in content
    # What to tell them: this patient's injection, filled in.
    assert "電話で伝えること" in text
    for value in INJECTED_JA:
        assert value in text
    assert "注射した日" in text and "関節" in text and "注射した薬" in text


def test_the_urgent_answer_gives_the_after_hours_number_when_the_clinic_has_one(
    patient_client, patient
):
    clinic = patient.clinic
    clinic.after_hours_phone = "０３－９９９９－００００"  # typed on a Japanese keyboard
    clinic.save()
    response = save_day(patient_client, temperature_c="38.4")
    page = read(response.content)
    text = text_of(response.content)

    assert page.links[:2] == [
        ("tel:0311112222", "03-1111-2222"),
        ("tel:0399990000", "０３－９９９９－００００"),
    ]
    assert (
        "夜間・休日などでクリニックにつながらないときは、クリニックの夜間・休日の連絡先に電話してください"
        in text
    )
    # Only if that does not answer either: the emergency department.
    assert "そちらにもつながらないときは、救急外来のある病院に電話してから受診してください" in text
    assert "今日中に" not in response.content.decode()


def test_the_urgent_answer_without_an_injection_asks_for_the_injection_details(
    client, clinic, frozen_now
):
    """No injection recorded, 39.5 °C: the fever is judged anyway (SPEC §3, every day)."""
    patient = make_patient("kenji@example.jp", clinic=clinic)
    client.force_login(patient)
    response = save_day(client, temperature_c="39.5")

    assert findings(response.content)[0] == ("fever", "urgent")
    text = text_of(response.content)
    assert "すぐにクリニックへ電話してください" in text
    assert (
        "注射を受けている場合は、注射した日・関節・薬と、日記に記録した内容を伝えてください" in text
    )
    assert (TEL_7119, "#7119（救急安心センター）") in read(response.content).links
    assert "今日中に" not in response.content.decode()
    assert Flag.objects.get(patient=patient).severity == "urgent"  # the clinic hears of it too


def test_a_caution_tells_the_patient_to_call_today_during_opening_hours(patient_client, patient):
    in_language(patient, "en")
    response = save_day(patient_client, temperature_c="37.6")
    page = read(response.content)

    assert findings(response.content) == [("fever", "caution")]
    assert "Tell your clinic today" in page.found[0]["text"]
    assert "Measure your temperature again later today" in page.found[0]["text"]
    content = response.content.decode()
    assert "Call your clinic today, during opening hours" in content
    assert "If the clinic is already closed, call as soon as it opens." in content
    assert ("tel:0311112222", "03-1111-2222") in page.links
    # What to re-check, and what would make it urgent.
    assert "look at the joint: is it swollen, warm or red?" in content
    assert "Call at once, even at night or on a holiday, if:" in content
    assert "a temperature of 38.0 °C or higher" in content
    assert "Call your clinic now" not in content
    assert "119" not in content


def test_a_caution_in_japanese_gives_a_time_and_what_would_make_it_urgent(patient_client):
    response = save_day(patient_client, temperature_c="37.6")
    text = text_of(response.content)

    assert "本日の診療時間内に、クリニックへ電話してください" in text
    assert "すでに診療時間外のときは、次の診療が始まったらすぐに電話してください" in text
    assert "数時間後にもう一度体温を測り、関節の腫れ・熱感・赤みを確かめてください" in text
    assert "次のようなときは、夜間・休日でも、すぐに電話してください" in text
    for sign in (
        "38.0 °C 以上の熱が出た",
        "関節に熱感と腫れが出てきた、または強くなった",
        "関節のまわりの赤みが広がってきた",
        "脚に体重をかけられなくなった",
    ):
        assert sign in text
    # At night: the emergency department, as the clinic has no after-hours number.
    assert "救急外来のある病院に電話してから受診してください" in text
    assert "今日中に" not in response.content.decode()
    assert "すぐにクリニックへ電話してください" not in text


def test_an_early_reaction_on_day_1_is_shown_as_information(day_one_client):
    response = save_day(day_one_client, pain="5", swelling="1")
    content = response.content.decode()
    assert 'data-flag="early_reaction" data-severity="info"' in content
    (reaction,) = read(response.content).found
    assert "Good to know: Common early reaction" in reaction["text"]
    assert "Rest the joint for 1–2 days and avoid strenuous exercise" in reaction["text"]
    assert "Call your clinic now" not in content
    # The safety net is there too: what would make it urgent.
    assert "Call Sakura Clinic whenever you are worried" in content


def test_a_quiet_day_promises_nothing_and_keeps_the_safety_net(patient_client, patient):
    in_language(patient, "en")
    response = save_day(patient_client)
    assert findings(response.content) == [("none", None)]
    content = response.content.decode()
    assert "In today's answers we found no sign that needs a call right away." in content
    assert "Call Sakura Clinic whenever you are worried, and at once" in content
    assert "you cannot put weight on the leg" in content
    assert "needs attention" not in content
    assert "only fever and general signs" not in content  # the knee was judged too


def test_a_quiet_day_in_japanese_does_not_promise_safety(patient_client):
    response = save_day(patient_client)
    text = text_of(response.content)
    assert "今日の回答では、すぐに連絡が必要なサインは見つかりませんでした。" in text
    assert "心配なときは、いつでもSakura Clinicに電話してください。" in text
    assert "関節に熱感と腫れが出てきた、または強くなった" in text
    assert "問題はありません" not in text and "注意が必要な点はありません" not in text


def test_a_quiet_earlier_day_is_not_called_today(patient_client):
    response = save_day(patient_client, day=days_ago(2))
    text = text_of(response.content)
    assert "この日の回答では、すぐに連絡が必要なサインは見つかりませんでした。" in text
    assert "今日の回答" not in text


def test_without_an_injection_only_fever_and_general_signs_could_be_checked(
    client, clinic, frozen_now
):
    patient = make_patient("kenji@example.jp", clinic=clinic)
    client.force_login(patient)
    response = save_day(client, swelling="2", warmth="2")  # no rule reads the joint yet
    assert findings(response.content) == [("none", None)]
    text = text_of(response.content)
    assert "注射の記録がまだないため、確かめられたのは熱と全身の状態だけです。" in text
    assert "心配なときは、いつでも" in text

    in_language(patient, "en")
    english = client.get(f"/diary/entry/{TODAY}/saved/").content.decode()
    assert "No injection is recorded yet, so only fever and general signs could be checked." in (
        english
    )


def test_a_day_before_the_first_injection_says_only_general_signs_were_checked(
    patient_client, patient
):
    in_language(patient, "en")
    response = save_day(patient_client, day=days_ago(8))  # the injection was 5 days ago
    content = response.content.decode()
    assert "This day is before your first injection, so only fever and general signs" in content


def test_a_shoulder_is_asked_about_the_arm_in_the_answer_too(client, clinic, frozen_now):
    patient = make_patient("aiko@example.jp", clinic=clinic)
    make_injection(patient, day=days_ago(4), joint="shoulder", side="right")
    client.force_login(patient)
    response = save_day(client, weight_bearing="cannot")

    assert findings(response.content)[0] == ("cannot_bear_weight", "caution")
    text = text_of(response.content)
    assert "腕が使えない" in text and "腕が使えませんでした" in text
    assert "腕が使えなくなった" in text  # what would make it urgent
    assert "腕を使えるか いいえ、使えない" in text  # the summary of the answers
    assert "脚" not in text and "体重" not in text


def test_the_usual_reaction_is_not_shown_beside_a_caution(day_one_client):
    # Day 1: cannot bear weight (caution) with pain 6; the "common early reaction" would
    # reassure where the clinic should hear about it today (SPEC §3 version 2).
    response = save_day(day_one_client, weight_bearing="cannot", pain="6")
    assert findings(response.content) == [("cannot_bear_weight", "caution")]
    assert "Common early reaction" not in response.content.decode()


def test_the_urgent_answer_leads_with_the_call_then_says_why(patient_client, patient):
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
    # The headline says "call now", the clinic's number follows, then what was found.
    assert "<h1" in content[: content.index('data-headline="call-now"')]
    assert content.index('data-headline="call-now"') < content.index('data-call="now"')
    assert content.index('data-call="now"') < content.index('data-flag="cannot_bear_weight"')
    assert content.count('data-call="now"') == 1


def test_a_caution_comes_before_information_and_after_urgent(patient_client, patient):
    in_language(patient, "en")
    response = save_day(patient_client, temperature_c="38.4", weight_bearing="cannot")
    assert findings(response.content) == [("fever", "urgent"), ("cannot_bear_weight", "caution")]
    content = response.content.decode()
    assert content.index('data-call="now"') < content.index('data-flag="cannot_bear_weight"')


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
        call = translation.gettext("Call your clinic now")
    assert (title, call) != ("Fever", "Call your clinic now")  # really translated
    assert title in page.found[0]["text"] and advice in page.found[0]["text"]
    content = response.content.decode()
    assert call in content
    assert "119" in content
    assert "Call your clinic now" not in content
    assert "emergency department" not in content
    assert ("tel:0311112222", "03-1111-2222") in page.links


def test_the_answer_is_in_english_for_an_english_patient(patient_client, patient):
    in_language(patient, "en")
    response = save_day(patient_client, temperature_c="38.4")
    with translation.override("ja"):
        japanese_call = translation.gettext("Call your clinic now")
    content = response.content.decode()
    assert "Call your clinic now" in content
    assert japanese_call not in content


def test_a_full_width_clinic_phone_still_gives_a_dialable_link(patient_client, patient):
    clinic = patient.clinic
    clinic.phone = "０３－１１１１－２２２２"
    clinic.save()
    response = save_day(patient_client, temperature_c="38.4")
    assert ("tel:0311112222", "０３－１１１１－２２２２") in read(response.content).links


# The home page


def test_home_lists_the_warnings_and_says_when_the_clinic_has_seen_them(
    patient_client, patient, clinician
):
    in_language(patient, "en")
    save_entry(patient, day=days_ago(1), weight_bearing="cannot")
    save_entry(patient, temperature_c=Decimal("38.4"))

    response = patient_client.get("/diary/")
    assert findings(response.content) == [("fever", "urgent"), ("cannot_bear_weight", "caution")]
    assert "Call your clinic now" in response.content.decode()
    assert ("tel:0311112222", "03-1111-2222") in read(response.content).links

    flag_acknowledge(flag=Flag.objects.get(code="fever"), by=clinician, action="called")
    response = patient_client.get("/diary/")
    # Still listed, as seen by the clinic; the open caution comes first and asks for a call today.
    assert findings(response.content) == [("cannot_bear_weight", "caution"), ("fever", "urgent")]
    assert "The clinic saw it on November 26." in response.content.decode()
    assert "Call your clinic now" not in response.content.decode()
    assert "Call your clinic today, during opening hours" in response.content.decode()

    flag_acknowledge(
        flag=Flag.objects.get(code="cannot_bear_weight"), by=clinician, action="called"
    )
    response = patient_client.get("/diary/")
    assert 'data-open="true"' not in response.content.decode()
    assert "Call your clinic today" not in response.content.decode()


def test_home_shows_the_urgent_answer_with_the_after_hours_number(patient_client, patient):
    clinic = patient.clinic
    clinic.after_hours_phone = "03-9999-0000"
    clinic.save()
    save_entry(patient, temperature_c=Decimal("39.0"))

    response = patient_client.get("/diary/")
    page = read(response.content)
    text = text_of(response.content)
    assert findings(response.content) == [("fever", "urgent")]
    assert page.links[:2] == [
        ("tel:0311112222", "03-1111-2222"),
        ("tel:0399990000", "03-9999-0000"),
    ]
    assert (TEL_7119, "#7119（救急安心センター）") in page.links
    for value in INJECTED_JA:
        assert value in text
    assert "今日中に" not in response.content.decode()
    # And where the clinic's number is given at the foot of the page.
    assert "夜間・休日の連絡先：03-9999-0000" in text


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
