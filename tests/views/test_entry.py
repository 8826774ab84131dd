"""The daily entry page: today, an earlier day, saving, and every kind of bad input."""

from datetime import timedelta
from decimal import Decimal

import pytest

from diary.models import DiaryEntry, DiaryEntryVersion
from tests.factories import (
    TODAY,
    days_ago,
    entry_form_data,
    make_entry,
    make_injection,
    make_patient,
)
from tests.views.html import (
    checked_values,
    element_text,
    field_block,
    field_error,
    html_lang,
    input_value,
)

pytestmark = pytest.mark.django_db


def in_english(user):
    user.language = "en"
    user.save(update_fields=["language"])


def post(client, url_day=TODAY, **overrides):
    """Submit the form shown at /diary/entry/<url_day>/ (the day field may say otherwise)."""
    overrides.setdefault("day", url_day)
    return client.post(f"/diary/entry/{url_day}/", entry_form_data(**overrides))


def test_today_opens_an_empty_form_for_the_clinics_today(patient_client, patient):
    in_english(patient)
    response = patient_client.get("/diary/entry/")
    assert response.status_code == 200
    assert response.context["day"] == TODAY
    assert response.context["day_number"] == 5
    assert response.context["existing"] is None
    content = response.content.decode()
    assert "Today's diary" in content
    assert 'action="/diary/entry/2026-11-26/"' in content
    # The day is the page's: no date on the form to change by accident (issue 18).
    assert 'name="day"' not in content
    for name in ("pain", "swelling", "warmth", "redness", "weight_bearing"):
        assert checked_values(content, name) == []  # nothing is chosen for the patient


def test_every_field_of_the_spec_is_on_the_form(patient_client):
    content = patient_client.get("/diary/entry/").content.decode()
    for name in (
        "pain",
        "swelling",
        "warmth",
        "redness",
        "weight_bearing",
        "temperature_c",
        "feverish",
        "unwell",
        "night_pain",
        "exercise_minutes",
        "painkiller",
        "notes",
    ):
        assert f'name="{name}"' in content
    # 0–10 as a row of eleven choices, 0–3 as four.
    assert content.count('name="pain" ') == 11
    assert content.count('name="swelling" ') == 4
    assert content.count('name="warmth" ') == 4


def test_a_saved_day_opens_with_its_answers_filled_in(patient_client, patient):
    in_english(patient)
    make_entry(patient, day=days_ago(1), pain=7, redness="present", notes="warm at night")
    response = patient_client.get(f"/diary/entry/{days_ago(1)}/")
    content = response.content.decode()
    assert response.context["existing"].pain == 7
    assert "Diary for 2026-11-25" in content
    assert "You already filled in this day" in content
    assert checked_values(content, "pain") == ["7"]
    assert checked_values(content, "redness") == ["present"]
    assert input_value(content, "temperature_c") == "36.8"
    assert "warm at night" in content


def test_posting_a_new_day_creates_the_entry_and_shows_it(patient_client, patient):
    response = post(patient_client, pain="6", temperature_c="37.1", feverish="on")
    assert response.status_code == 302
    assert response["Location"] == "/diary/entry/2026-11-26/saved/"
    entry = DiaryEntry.objects.get(patient=patient)
    assert (entry.day, entry.pain, entry.temperature_c) == (TODAY, 6, Decimal("37.1"))
    assert entry.feverish is True
    assert entry.painkiller is False


def test_it_updates_the_same_day_instead_of_adding_a_second_entry(patient_client, patient):
    post(patient_client, pain="6", notes="first")
    response = post(patient_client, pain="3", notes="second")
    assert response.status_code == 302
    entry = DiaryEntry.objects.get(patient=patient)
    assert (entry.pain, entry.notes) == (3, "second")
    version = DiaryEntryVersion.objects.get(entry=entry)
    assert (version.data["pain"], version.data["notes"]) == (6, "first")
    assert version.changed_by == patient


def test_an_earlier_day_can_be_filled_in_later(patient_client, patient):
    response = post(patient_client, url_day=days_ago(3), pain="5")
    assert response["Location"] == "/diary/entry/2026-11-23/saved/"
    assert DiaryEntry.objects.get(patient=patient).day == days_ago(3)


def test_a_day_before_the_first_injection_is_accepted_as_baseline(patient_client, patient):
    in_english(patient)
    before = days_ago(9)  # the injection was 5 days ago
    page = patient_client.get(f"/diary/entry/{before}/")
    assert page.context["is_baseline"] is True
    assert "before your first injection" in page.content.decode()
    response = post(patient_client, url_day=before, pain="6")
    assert response.status_code == 302
    assert DiaryEntry.objects.get(patient=patient).day == before
    saved = patient_client.get(response["Location"])
    assert "Baseline (before the injection)" in saved.content.decode()


def test_a_temperature_with_a_trailing_zero_is_saved_not_an_error(patient_client, patient):
    response = post(patient_client, temperature_c="36.80")
    assert response.status_code == 302
    assert DiaryEntry.objects.get(patient=patient).temperature_c == Decimal("36.8")


def test_full_width_digits_from_a_japanese_keyboard_are_saved(patient_client, patient):
    response = post(patient_client, temperature_c="３７．５")
    assert response.status_code == 302
    assert DiaryEntry.objects.get(patient=patient).temperature_c == Decimal("37.5")


def test_opening_a_future_day_explains_at_once_that_it_cannot_be_filled_in(patient_client, patient):
    in_english(patient)
    response = patient_client.get(f"/diary/entry/{TODAY + timedelta(days=1)}/")
    assert response.status_code == 200
    error = field_error(response.content, "day")
    assert "You cannot fill in a day in the future. Today is 2026-11-26." in error


def test_the_day_in_the_address_is_saved_whatever_the_form_says(patient_client, patient):
    response = post(patient_client, url_day=days_ago(2), day=TODAY.isoformat())
    assert response.status_code == 302
    assert [entry.day for entry in DiaryEntry.objects.filter(patient=patient)] == [days_ago(2)]


def test_posting_a_future_day_explains_it_and_writes_nothing(patient_client, patient):
    in_english(patient)
    response = post(patient_client, url_day=TODAY + timedelta(days=1))
    assert response.status_code == 200
    assert "You cannot fill in a day in the future." in field_error(response.content, "day")
    assert "Nothing has been saved yet" in response.content.decode()
    assert not DiaryEntry.objects.exists()


def test_a_day_that_is_not_a_date_is_not_found(patient_client):
    assert patient_client.get("/diary/entry/2026-11-32/").status_code == 404
    assert patient_client.post("/diary/entry/2026-11-32/", entry_form_data()).status_code == 404
    assert not DiaryEntry.objects.exists()


# (overrides, field, English message shown next to that field)
BAD_INPUT = [
    ({"pain": None}, "pain", "Please choose one of the answers."),
    ({"swelling": None}, "swelling", "Please choose one of the answers."),
    ({"warmth": None}, "warmth", "Please choose one of the answers."),
    ({"redness": None}, "redness", "Please choose one of the answers."),
    ({"weight_bearing": None}, "weight_bearing", "Please choose one of the answers."),
    ({"pain": "11"}, "pain", "Please choose one of the answers shown."),
    ({"pain": "-1"}, "pain", "Please choose one of the answers shown."),
    ({"pain": "abc"}, "pain", "Please choose one of the answers shown."),
    ({"swelling": "4"}, "swelling", "Please choose one of the answers shown."),
    ({"redness": "purple"}, "redness", "Please choose one of the answers shown."),
    ({"temperature_c": "99.5"}, "temperature_c", "99.5 looks like °F (about 37.5 °C)."),
    ({"temperature_c": "33.9"}, "temperature_c", "between 34.0 and 42.5 °C"),
    ({"temperature_c": "42.6"}, "temperature_c", "between 34.0 and 42.5 °C"),
    ({"temperature_c": "37.55"}, "temperature_c", "at most one decimal"),
    ({"temperature_c": "hot"}, "temperature_c", "Enter the temperature as a number"),
    ({"exercise_minutes": "-1"}, "exercise_minutes", "greater than or equal to 0"),
    ({"exercise_minutes": "601"}, "exercise_minutes", "less than or equal to 600"),
    ({"notes": "x" * 2001}, "notes", "at most 2000 characters"),
]


@pytest.mark.parametrize(("overrides", "field", "message"), BAD_INPUT)
def test_bad_input_comes_back_in_english_next_to_the_field_and_writes_nothing(
    patient_client, patient, overrides, field, message
):
    in_english(patient)
    response = post(patient_client, **overrides)
    assert response.status_code == 200
    assert html_lang(response.content) == "en"
    assert message in field_error(response.content, field)
    assert message in field_block(response.content, field)
    assert "Nothing has been saved yet" in response.content.decode()
    assert not DiaryEntry.objects.exists()


@pytest.mark.parametrize(("overrides", "field", "message"), BAD_INPUT)
def test_bad_input_comes_back_in_japanese_next_to_the_field_and_writes_nothing(
    patient_client, overrides, field, message
):
    response = post(patient_client, **overrides)
    assert response.status_code == 200
    assert html_lang(response.content) == "ja"
    error = field_error(response.content, field)
    assert error  # an explanation is shown next to the field
    assert element_text(response.content, f"div_id_{field}") is not None
    assert not DiaryEntry.objects.exists()


def test_bad_input_on_a_saved_day_leaves_the_entry_and_history_untouched(patient_client, patient):
    entry = make_entry(patient, day=TODAY, pain=5, notes="before")
    response = post(patient_client, pain="5", temperature_c="99.5", notes="after")
    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.notes == "before"
    assert not DiaryEntryVersion.objects.exists()


def test_bad_input_keeps_what_the_patient_typed(patient_client, patient):
    in_english(patient)
    response = post(patient_client, pain="8", temperature_c="99.5", notes="ice pack helped")
    assert input_value(response.content, "temperature_c") == "99.5"
    assert checked_values(response.content, "pain") == ["8"]
    assert "ice pack helped" in response.content.decode()


# The words of the questions (SPEC §3, what the patient reads)


def form_html(content: bytes) -> str:
    text = content.decode()
    start = text.index('class="entry-form"')
    return text[start : text.index("</form>", start)]


def test_the_japanese_form_keeps_the_two_kinds_of_heat_apart(patient_client):
    response = patient_client.get("/diary/entry/")
    content = response.content.decode()
    warmth = field_block(response.content, "warmth")
    assert warmth.startswith("関節の熱感：注射した関節をさわると、熱く感じますか？")
    assert "熱っぽ" not in warmth
    assert "熱っぽい・寒気がする" in content  # the body: feverish or chills
    assert "熱っぽさ" not in content
    notes = field_block(response.content, "notes")
    assert "関節に熱感があるか" in notes and "熱っぽい" not in notes


def test_the_english_form_asks_whether_the_joint_feels_warm_to_the_touch(patient_client, patient):
    in_english(patient)
    response = patient_client.get("/diary/entry/")
    assert field_block(response.content, "warmth").startswith(
        "Joint warmth: does the injected joint feel warm when you touch it?"
    )
    assert "I feel feverish or have chills" in response.content.decode()


def test_a_knee_is_asked_about_the_leg(patient_client):
    block = field_block(patient_client.get("/diary/entry/").content, "weight_bearing")
    assert block.startswith("注射した側の脚に、体重をかけられますか？")
    assert "はい、普通にかけられる" in block


@pytest.mark.parametrize(
    ("joint", "question", "english"),
    [
        (
            "shoulder",
            "注射した側の腕を、ふだんどおりに使えますか？",
            "Can you use the arm on the injected side as usual?",
        ),
        (
            "other",
            "注射した関節を、ふだんどおりに使えますか？",
            "Can you use the injected joint as usual?",
        ),
    ],
)
def test_a_shoulder_or_another_joint_is_asked_about_using_it(
    client, clinic, frozen_now, joint, question, english
):
    patient = make_patient("aiko@example.jp", clinic=clinic)
    make_injection(patient, day=days_ago(3), joint=joint, side="right")
    client.force_login(patient)

    block = field_block(client.get("/diary/entry/").content, "weight_bearing")
    assert block.startswith(question)
    for answer in ("はい、ふだんどおり使える", "使えるが痛い", "いいえ、使えない"):
        assert answer in block
    assert "脚" not in block and "体重" not in block and "かけられ" not in block

    patient.language = "en"
    patient.save(update_fields=["language"])
    english_block = field_block(client.get("/diary/entry/").content, "weight_bearing")
    assert english_block.startswith(english) and "leg" not in english_block

    # The answers are stored as for a leg: the rules read the same values.
    response = post(client, weight_bearing="cannot")
    assert response.status_code == 302
    assert DiaryEntry.objects.get(patient=patient).weight_bearing == "cannot"


def test_a_form_sent_back_with_an_error_keeps_the_shoulders_wording(client, clinic, frozen_now):
    patient = make_patient("aiko@example.jp", clinic=clinic)
    make_injection(patient, day=days_ago(3), joint="shoulder")
    client.force_login(patient)
    response = post(client, pain=None)
    assert response.status_code == 200
    block = field_block(response.content, "weight_bearing")
    assert block.startswith("注射した側の腕を、ふだんどおりに使えますか？")


def test_an_earlier_day_is_not_called_today(patient_client, patient):
    response = patient_client.get(f"/diary/entry/{days_ago(2)}/")
    form = form_html(response.content)
    assert "今日" not in form
    assert "その日いちばん強かった関節の痛み" in field_block(response.content, "pain")
    assert "その日に測った場合のみ" in field_block(response.content, "temperature_c")

    in_english(patient)
    english = form_html(patient_client.get(f"/diary/entry/{days_ago(2)}/").content)
    assert "today" not in english.lower()
    assert "Worst pain in the joint that day" in english


def test_today_is_called_today(patient_client):
    response = patient_client.get("/diary/entry/")
    assert "今日いちばん強かった関節の痛み" in field_block(response.content, "pain")


@pytest.mark.parametrize(
    ("injected_days_ago", "japanese", "english"),
    [(0, "注射当日", "Injection day"), (5, "注射後5日目", "Day 5 after the injection")],
)
def test_the_day_is_named_from_the_injection(
    patient_client, patient, injected_days_ago, japanese, english
):
    patient.injections.update(day=days_ago(injected_days_ago))
    content = patient_client.get("/diary/entry/").content.decode()
    assert f'<span class="badge text-bg-light border">{japanese}</span>' in content
    assert "0日目" not in content
    in_english(patient)
    assert english in patient_client.get("/diary/entry/").content.decode()
