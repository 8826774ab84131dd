"""The words for every finding, in English and Japanese, and the clinic's phone as a tel: link."""

from datetime import date, timedelta

import pytest
from django.utils import translation

from diary import red_flags
from diary.flag_text import TEXTS, flag_text, tel_href
from diary.models import FlagCode
from diary.red_flags import DayRecord, evaluate

INJECTION = date(2026, 11, 1)

# Every (code, severity) pair SPEC §3 lets the rules produce.
SPEC_PAIRS = {
    ("fever", "urgent"),
    ("fever", "caution"),
    ("unwell", "caution"),
    ("swelling_worsening", "urgent"),
    ("early_reaction", "info"),
    ("redness_spreading", "urgent"),
    ("warm_red_joint", "caution"),
    ("cannot_bear_weight", "urgent"),
    ("cannot_bear_weight", "caution"),
    ("not_easing", "caution"),
    ("missed_entries", "info"),
}


def on_day(number: int, **answers) -> DayRecord:
    values = {"pain": 1, "swelling": 0, "warmth": 0, "redness": "none", "weight_bearing": "full"}
    return DayRecord(day=INJECTION + timedelta(days=number), **{**values, **answers})


# A history in which the rules produce each pair (day numbers after INJECTION).
PRODUCING = {
    ("fever", "urgent"): [on_day(4, temperature_c=38.0)],
    ("fever", "caution"): [on_day(4, temperature_c=37.5)],
    ("unwell", "caution"): [on_day(4, unwell=True)],
    ("swelling_worsening", "urgent"): [on_day(n, swelling=n - 3) for n in (3, 4, 5)],
    ("early_reaction", "info"): [on_day(1, pain=4)],
    ("redness_spreading", "urgent"): [on_day(4, redness="spreading")],
    ("warm_red_joint", "caution"): [on_day(n, warmth=2, redness="present") for n in (3, 4)],
    ("cannot_bear_weight", "urgent"): [on_day(n, weight_bearing="cannot") for n in (3, 4)],
    ("cannot_bear_weight", "caution"): [on_day(4, weight_bearing="cannot")],
    ("not_easing", "caution"): [on_day(1, pain=2), on_day(4, pain=3)],
    ("missed_entries", "info"): [],  # day 3 and nothing logged
}


@pytest.mark.parametrize(("code", "severity"), sorted(PRODUCING))
def test_the_rules_produce_each_pair_of_the_spec(code, severity):
    findings = evaluate(PRODUCING[code, severity], [INJECTION], INJECTION + timedelta(days=5))
    assert (code, severity) in {(f.code, f.severity) for f in findings}


def test_the_pairs_of_the_spec_are_all_there_are():
    assert set(PRODUCING) == SPEC_PAIRS
    assert {code for code, _severity in SPEC_PAIRS} == set(red_flags.ALL_CODES)
    assert set(FlagCode.values) == set(red_flags.ALL_CODES)


def test_there_is_a_text_for_every_pair_and_no_other():
    assert set(TEXTS) == SPEC_PAIRS


@pytest.mark.parametrize(("code", "severity"), sorted(SPEC_PAIRS))
def test_every_text_exists_in_english_and_japanese(code, severity):
    text = flag_text(code, severity)
    with translation.override("en"):
        english = [str(text.title), str(text.patient), str(text.clinician)]
    with translation.override("ja"):
        japanese = [str(text.title), str(text.patient), str(text.clinician)]
    for english_text, japanese_text in zip(english, japanese, strict=True):
        assert english_text.strip() and japanese_text.strip()
        assert japanese_text != english_text, f"not translated: {english_text!r}"
        assert any("\u3040" <= ch <= "\u9fff" for ch in japanese_text)  # kana or kanji


def test_the_titles_tell_the_findings_apart():
    """Two findings on one page must not read the same."""
    with translation.override("ja"):
        japanese = [str(text.title) for text in TEXTS.values()]
    english = [str(text.title) for text in TEXTS.values()]
    assert len(set(english)) == len(english)
    assert len(set(japanese)) == len(japanese)


def test_the_patients_text_matches_the_severity():
    """Urgent: checked today; caution: tell the clinic; the early reaction: rest 1–2 days."""
    with translation.override("en"):
        for (code, severity), text in TEXTS.items():
            words = str(text.patient)
            if severity == "urgent":
                assert "today" in words, code
            elif code == "early_reaction":
                assert "Rest the joint for 1–2 days" in words
                assert "avoid strenuous exercise" in words
            elif severity == "caution":
                assert "Tell your clinic" in words, code


def test_an_unknown_pair_has_no_text():
    with pytest.raises(KeyError):
        flag_text("fever", "info")


@pytest.mark.parametrize(
    ("phone", "href"),
    [
        ("03-1111-2222", "tel:0311112222"),
        ("(03) 1111-2222", "tel:0311112222"),
        ("03.1111.2222", "tel:0311112222"),
        ("0120 123 456", "tel:0120123456"),
        ("+81 3-1111-2222", "tel:+81311112222"),
        ("  +81 (3) 1111 2222 ", "tel:+81311112222"),
        ("81+3", "tel:813"),  # a + that does not lead is dropped
        # Typed with a Japanese keyboard: full-width digits, dashes and plus sign.
        ("０３－１１１１－２２２２", "tel:0311112222"),
        ("＋８１ ３ １１１１ ２２２２", "tel:+81311112222"),
    ],
)
def test_tel_href_keeps_ascii_digits_and_a_leading_plus(phone, href):
    assert tel_href(phone) == href
