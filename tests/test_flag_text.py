"""The words for every finding, in English and Japanese, and the clinic's phone as a tel: link."""

from datetime import date, timedelta

import pytest
from django.utils import translation

from diary import red_flags
from diary.flag_text import ARM, JOINT, LEG, LIMB_TEXTS, TEXTS, flag_text, limb_of, tel_href
from diary.models import FlagCode
from diary.red_flags import DayRecord, evaluate

INJECTION = date(2026, 11, 1)

# Every (code, severity) pair the SPEC §3 version-2 table lets the rules produce.
SPEC_PAIRS = {
    ("fever", "urgent"),
    ("fever", "caution"),
    ("unwell", "urgent"),
    ("unwell", "caution"),
    ("redness_spreading", "urgent"),
    ("hot_swollen_joint", "urgent"),
    ("hot_swollen_joint", "caution"),
    ("swelling_worsening", "urgent"),
    ("warm_red_joint", "caution"),
    ("cannot_bear_weight", "urgent"),
    ("cannot_bear_weight", "caution"),
    ("not_easing", "caution"),
    ("early_reaction", "info"),
    ("missed_entries", "info"),
}


def on_day(number: int, **answers) -> DayRecord:
    values = {"pain": 1, "swelling": 0, "warmth": 0, "redness": "none", "weight_bearing": "full"}
    return DayRecord(day=INJECTION + timedelta(days=number), **{**values, **answers})


# A history in which the rules produce each pair (day numbers after INJECTION).
PRODUCING = {
    ("fever", "urgent"): [on_day(4, temperature_c=38.0)],
    ("fever", "caution"): [on_day(4, temperature_c=37.5)],
    ("unwell", "urgent"): [on_day(4, unwell=True, warmth=2)],
    ("unwell", "caution"): [on_day(4, unwell=True)],
    ("redness_spreading", "urgent"): [on_day(4, redness="spreading")],
    ("hot_swollen_joint", "urgent"): [on_day(4, warmth=2, swelling=2, pain=7)],
    ("hot_swollen_joint", "caution"): [on_day(1, warmth=2, swelling=2, pain=7)],
    ("swelling_worsening", "urgent"): [on_day(n, swelling=n - 3) for n in (3, 4, 5)],
    ("warm_red_joint", "caution"): [on_day(n, warmth=2, redness="present") for n in (3, 4)],
    ("cannot_bear_weight", "urgent"): [on_day(n, weight_bearing="cannot") for n in (3, 4)],
    ("cannot_bear_weight", "caution"): [on_day(4, weight_bearing="cannot")],
    ("not_easing", "caution"): [on_day(1, pain=2), on_day(4, pain=3)],
    ("early_reaction", "info"): [on_day(1, pain=4)],
    ("missed_entries", "info"): [],  # day 5 and nothing logged
}


def in_language(language: str, text) -> str:
    with translation.override(language):
        return str(text)


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
@pytest.mark.parametrize("limb", [LEG, ARM, JOINT])
def test_every_text_exists_in_english_and_japanese(code, severity, limb):
    text = flag_text(code, severity, limb)
    english = [in_language("en", part) for part in (text.title, text.patient, text.clinician)]
    japanese = [in_language("ja", part) for part in (text.title, text.patient, text.clinician)]
    for english_text, japanese_text in zip(english, japanese, strict=True):
        assert english_text.strip() and japanese_text.strip()
        assert japanese_text != english_text, f"not translated: {english_text!r}"
        assert any("\u3040" <= ch <= "\u9fff" for ch in japanese_text)  # kana or kanji


def test_the_titles_tell_the_findings_apart():
    """Two findings on one page must not read the same."""
    titles = [text.title for text in TEXTS.values()] + [title for title, _ in LIMB_TEXTS.values()]
    english = [in_language("en", title) for title in titles]
    japanese = [in_language("ja", title) for title in titles]
    assert len(set(english)) == len(english)
    assert len(set(japanese)) == len(japanese)


@pytest.mark.parametrize("limb", [LEG, ARM, JOINT])
def test_urgent_says_call_now_never_today(limb):
    """SPEC §3: urgent is 「すぐに」, never 「今日中に」 — "today" would let a patient wait."""
    for code, severity in TEXTS:
        if severity != "urgent":
            continue
        text = flag_text(code, severity, limb)
        english, japanese = in_language("en", text.patient), in_language("ja", text.patient)
        assert "Call your clinic now." in english, code
        assert "today" not in english, code
        assert "すぐにクリニックに電話してください" in japanese, code
        assert "今日中" not in japanese and "本日" not in japanese, code


@pytest.mark.parametrize("limb", [LEG, ARM, JOINT])
def test_caution_says_tell_the_clinic_today_during_opening_hours(limb):
    for code, severity in TEXTS:
        if severity != "caution":
            continue
        text = flag_text(code, severity, limb)
        japanese = in_language("ja", text.patient)
        assert "tell your clinic today" in in_language("en", text.patient).lower(), code
        assert "本日の診療時間内に、クリニックに伝えてください" in japanese, code
        assert "今日中" not in japanese, code


def test_the_early_reaction_advises_rest_for_one_to_two_days():
    words = in_language("en", flag_text("early_reaction", "info").patient)
    assert "Rest the joint for 1–2 days" in words
    assert "avoid strenuous exercise" in words
    assert "1〜2日は関節を休め" in in_language("ja", flag_text("early_reaction", "info").patient)


def test_the_joint_warmth_is_never_called_feverishness():
    """関節の熱感 is the joint; 熱っぽい・寒気がする is the body. 熱っぽさ is used for neither."""
    for limb in (LEG, ARM, JOINT):
        for code, severity in TEXTS:
            text = flag_text(code, severity, limb)
            for part in (text.title, text.patient, text.clinician):
                assert "熱っぽさ" not in in_language("ja", part), (code, severity)
    early = in_language("ja", flag_text("early_reaction", "info").patient)
    assert "関節の痛み・腫れ・熱感" in early
    assert "熱っぽい・寒気" in in_language("ja", flag_text("fever", "caution").patient)


def test_the_texts_speak_of_entries_not_of_days_in_a_row():
    """Version 2 reads the entries a patient made: a skipped day does not hide a trend."""
    swelling = in_language("en", flag_text("swelling_worsening", "urgent").patient)
    assert "across your last three entries" in swelling and "in a row" not in swelling
    cannot = in_language("en", flag_text("cannot_bear_weight", "urgent").patient)
    assert "on two entries in a row" in cannot
    assert "最近3回の記録" in in_language("ja", flag_text("swelling_worsening", "urgent").patient)


def test_fever_companions_include_redness_and_not_bearing_weight_for_the_clinician():
    clinician = in_language("en", flag_text("fever", "urgent").clinician)
    assert "redness" in clinician and "cannot bear weight" in clinician
    japanese = in_language("ja", flag_text("fever", "urgent").clinician)
    assert "赤み" in japanese and "荷重不能" in japanese


@pytest.mark.parametrize(
    ("joint", "limb"),
    [("knee", LEG), ("hip", LEG), ("shoulder", ARM), ("other", JOINT), (None, LEG)],
)
def test_the_injected_joint_decides_what_is_asked(joint, limb):
    assert limb_of(joint) == limb


@pytest.mark.parametrize("severity", ["urgent", "caution"])
def test_a_shoulder_is_not_told_about_the_leg(severity):
    leg = flag_text("cannot_bear_weight", severity, LEG)
    arm = flag_text("cannot_bear_weight", severity, ARM)
    joint = flag_text("cannot_bear_weight", severity, JOINT)
    assert "leg" in in_language("en", leg.patient) and "脚" in in_language("ja", leg.patient)
    for text, word in ((arm, "腕"), (joint, "関節")):
        assert "leg" not in in_language("en", text.patient)
        assert "脚" not in in_language("ja", text.patient)
        assert "体重" not in in_language("ja", text.title + text.patient)
        assert word in in_language("ja", text.patient)
    assert arm.clinician == leg.clinician  # the clinician's words name the rule, not the limb


def test_other_findings_read_the_same_for_every_limb():
    for code, severity in TEXTS:
        if code != "cannot_bear_weight":
            assert flag_text(code, severity, ARM) == flag_text(code, severity, LEG)


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
