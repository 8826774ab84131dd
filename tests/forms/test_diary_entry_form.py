"""Every way the daily entry can be filled in wrongly, and the near misses that are fine."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from diary.flag_text import ARM, JOINT, LEG
from diary.forms import DiaryEntryForm
from tests.factories import TODAY, entry_form_data


def form(**overrides) -> DiaryEntryForm:
    return DiaryEntryForm(entry_form_data(**overrides), today=TODAY)


def errors_in_english(bound: DiaryEntryForm, field: str) -> list[str]:
    with translation.override("en"):
        return [str(message) for message in bound.errors[field]]


def test_complete_answers_are_valid_and_typed():
    bound = form()
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["day"] == TODAY
    assert bound.cleaned_data["pain"] == 4
    assert bound.cleaned_data["swelling"] == 1
    assert bound.cleaned_data["temperature_c"] == Decimal("36.8")
    assert bound.cleaned_data["exercise_minutes"] == 20


def test_entry_values_are_everything_but_the_day():
    bound = form(feverish="on")
    assert bound.is_valid(), bound.errors
    values = bound.entry_values()
    assert "day" not in values
    assert values["feverish"] is True
    assert values["painkiller"] is False
    assert values["redness"] == "none"


def test_only_the_required_answers_are_enough():
    bound = form(temperature_c=None, night_pain=None, exercise_minutes=None, notes=None)
    assert bound.is_valid(), bound.errors
    values = bound.entry_values()
    assert values["temperature_c"] is None
    assert values["night_pain"] is None
    assert values["exercise_minutes"] is None
    assert values["notes"] == ""


def test_a_day_in_the_future_is_refused_with_todays_date_in_the_message():
    bound = form(day=TODAY + timedelta(days=1))
    assert not bound.is_valid()
    assert bound.has_error("day", "future")
    (message,) = errors_in_english(bound, "day")
    assert "future" in message
    assert TODAY.isoformat() in message


def test_today_and_earlier_days_are_fine():
    assert form(day=TODAY).is_valid()
    assert form(day=TODAY - timedelta(days=400)).is_valid()


def test_the_date_picker_cannot_go_past_today():
    assert DiaryEntryForm(today=TODAY).fields["day"].widget.attrs["max"] == "2026-11-26"


@pytest.mark.parametrize("value", ["26/11/2026", "2026-02-30", "yesterday"])
def test_a_day_that_is_not_a_date_is_refused(value):
    bound = form(day=value)
    assert bound.has_error("day", "invalid")
    assert "2026-11-26" in errors_in_english(bound, "day")[0]


@pytest.mark.parametrize(
    "field", ["day", "pain", "swelling", "warmth", "redness", "weight_bearing"]
)
def test_each_required_answer_must_be_given(field):
    bound = form(**{field: None})
    assert not bound.is_valid()
    assert bound.has_error(field, "required")
    assert list(bound.errors) == [field]


@pytest.mark.parametrize("field", ["pain", "swelling", "warmth", "redness", "weight_bearing"])
def test_a_required_choice_left_empty_asks_to_choose(field):
    bound = form(**{field: ""})
    assert bound.has_error(field, "required")
    assert errors_in_english(bound, field) == ["Please choose one of the answers."]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("pain", "11"),
        ("pain", "-1"),
        ("pain", "abc"),
        ("pain", "4.5"),
        ("swelling", "4"),
        ("swelling", "-1"),
        ("warmth", "4"),
        ("night_pain", "11"),
        ("redness", "purple"),
        ("weight_bearing", "maybe"),
    ],
)
def test_an_answer_that_is_not_one_of_the_choices_is_refused(field, value):
    bound = form(**{field: value})
    assert not bound.is_valid()
    assert bound.has_error(field, "invalid_choice")
    assert errors_in_english(bound, field) == ["Please choose one of the answers shown."]


@pytest.mark.parametrize("value", ["99.5", "98.6", "101.3", "93.0", "108.5"])
def test_a_fahrenheit_reading_gets_its_own_message(value):
    bound = form(temperature_c=value)
    assert bound.has_error("temperature_c", "fahrenheit")
    (message,) = errors_in_english(bound, "temperature_c")
    assert "°F" in message
    assert "°C" in message


def test_the_fahrenheit_message_gives_the_celsius_equivalent():
    (message,) = errors_in_english(form(temperature_c="99.5"), "temperature_c")
    assert message.startswith("99.5 looks like °F")
    assert "about 37.5 °C" in message


@pytest.mark.parametrize("value", ["33.9", "42.6", "50", "20", "0", "-37"])
def test_a_temperature_outside_34_to_42_5_is_refused(value):
    bound = form(temperature_c=value)
    assert bound.has_error("temperature_c", "range")
    (message,) = errors_in_english(bound, "temperature_c")
    assert "34.0" in message
    assert "42.5" in message


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("34.0", Decimal("34.0")),
        ("42.5", Decimal("42.5")),
        ("37", Decimal("37.0")),
        ("３７．５", Decimal("37.5")),
        ("37,5", Decimal("37.5")),
        (" 36.9 ", Decimal("36.9")),
    ],
)
def test_a_plausible_temperature_is_accepted(typed, expected):
    bound = form(temperature_c=typed)
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["temperature_c"] == expected


def test_a_temperature_with_a_trailing_zero_is_stored_with_one_decimal():
    bound = form(temperature_c="36.80")
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["temperature_c"].as_tuple().exponent == -1


def test_a_temperature_with_two_decimals_is_refused():
    bound = form(temperature_c="37.55")
    assert bound.has_error("temperature_c", "decimals")
    assert "one decimal" in errors_in_english(bound, "temperature_c")[0]


@pytest.mark.parametrize("value", ["abc", "37.5.1", "NaN", "Infinity", "三十七"])
def test_a_temperature_that_is_not_a_number_is_refused(value):
    bound = form(temperature_c=value)
    assert bound.has_error("temperature_c", "invalid")
    assert "36.8" in errors_in_english(bound, "temperature_c")[0]


@pytest.mark.parametrize(("value", "code"), [("-1", "min_value"), ("601", "max_value")])
def test_exercise_minutes_must_be_between_0_and_600(value, code):
    bound = form(exercise_minutes=value)
    assert bound.has_error("exercise_minutes", code)


@pytest.mark.parametrize("value", ["0", "600"])
def test_exercise_minutes_at_the_limits_are_fine(value):
    bound = form(exercise_minutes=value)
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["exercise_minutes"] == int(value)


def test_notes_longer_than_2000_characters_are_refused():
    bound = form(notes="膝" * 2001)
    assert bound.has_error("notes", "max_length")
    assert "2000" in errors_in_english(bound, "notes")[0]


def test_notes_of_exactly_2000_characters_are_fine():
    bound = form(notes="膝" * 2000)
    assert bound.is_valid(), bound.errors


def test_messages_follow_the_active_language():
    bound = form(temperature_c="99.5")
    assert not bound.is_valid()
    with translation.override("en"):
        english = str(bound.errors["temperature_c"][0])
    with translation.override("ja"):
        japanese = str(bound.errors["temperature_c"][0])
    assert english.startswith("99.5 looks like")
    assert "99.5" in japanese
    assert japanese != english


# The wording: one kind of heat per question, the injected limb, an earlier day


def labels_in(language: str, bound: DiaryEntryForm) -> dict:
    with translation.override(language):
        return {name: str(field.label) for name, field in bound.fields.items()}


def answers_in(language: str, bound: DiaryEntryForm, name: str) -> list[tuple[str, str]]:
    with translation.override(language):
        return [(value, str(label)) for value, label in bound.fields[name].choices]


def test_joint_warmth_is_the_joint_feeling_hot_to_the_touch_in_japanese():
    labels = labels_in("ja", DiaryEntryForm(today=TODAY))
    assert labels["warmth"].startswith("関節の熱感：")
    assert "さわると、熱く感じますか" in labels["warmth"]
    assert labels["feverish"] == "熱っぽい・寒気がする"
    assert not any("熱っぽさ" in label for label in labels.values())


def test_a_knee_or_no_injection_is_asked_about_the_leg():
    for bound in (DiaryEntryForm(today=TODAY), DiaryEntryForm(today=TODAY, limb=LEG)):
        assert labels_in("en", bound)["weight_bearing"] == "Can you put your weight on the leg?"
        assert answers_in("ja", bound, "weight_bearing") == [
            ("full", "はい、普通にかけられる"),
            ("painful", "かけられるが痛い"),
            ("cannot", "いいえ、かけられない"),
        ]


def test_a_shoulder_is_asked_about_using_the_arm_with_the_same_stored_answers():
    bound = DiaryEntryForm(today=TODAY, limb=ARM)
    assert (
        labels_in("ja", bound)["weight_bearing"] == "注射した側の腕を、ふだんどおりに使えますか？"
    )
    assert answers_in("ja", bound, "weight_bearing") == [
        ("full", "はい、ふだんどおり使える"),
        ("painful", "使えるが痛い"),
        ("cannot", "いいえ、使えない"),
    ]
    assert "leg" not in labels_in("en", bound)["weight_bearing"]
    posted = DiaryEntryForm(entry_form_data(weight_bearing="cannot"), today=TODAY, limb=ARM)
    assert posted.is_valid(), posted.errors
    assert posted.cleaned_data["weight_bearing"] == "cannot"


def test_another_joint_is_asked_about_using_the_joint():
    bound = DiaryEntryForm(today=TODAY, limb=JOINT)
    assert labels_in("ja", bound)["weight_bearing"] == "注射した関節を、ふだんどおりに使えますか？"
    assert labels_in("en", bound)["weight_bearing"] == "Can you use the injected joint as usual?"


def test_an_earlier_day_is_asked_about_that_day_not_today():
    earlier = DiaryEntryForm(today=TODAY, day=TODAY - timedelta(days=2))
    for language, today_word in (("en", "today"), ("ja", "今日")):
        labels = labels_in(language, earlier)
        with translation.override(language):
            help_texts = [str(field.help_text) for field in earlier.fields.values()]
        assert not any(today_word in text.lower() for text in [*labels.values(), *help_texts])
    assert labels_in("en", earlier)["pain"] == "Worst pain in the joint that day"
    today = labels_in("en", DiaryEntryForm(today=TODAY, day=TODAY))
    assert today["pain"] == "Worst pain in the joint today"
