"""Phone numbers and names in kana as people type them (accounts/contact.py): no database."""

from __future__ import annotations

import pytest

from accounts.contact import (
    normalise_kana,
    normalise_phone,
    phone_query,
    phones_search_key,
    search_key,
)


@pytest.mark.parametrize(
    "typed",
    ["すずき はなこ", "スズキ　ハナコ", "ｽｽﾞｷ ﾊﾅｺ", "  すずき   ハナコ ", "すずき　はなこ"],
)
def test_kana_in_any_script_and_width_is_stored_as_full_width_katakana(typed):
    assert normalise_kana(typed) == "スズキ\u3000ハナコ"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ゔぁいおりん", "ヴァイオリン"),  # small and voiced kana keep their katakana twins
        ("じょん・すみす", "ジョン・スミス"),  # the middle dot between parts of a foreign name
        ("ゆーこ", "ユーコ"),  # the long-vowel mark
        ("ｻﾄｳ ﾕｳｺ", "サトウ\u3000ユウコ"),
        ("さゝき", "サヽキ"),  # the kana iteration mark is kana
        ("さ々き", None),  # the kanji one is not
        ("", ""),
        ("   ", ""),
    ],
)
def test_kana_edge_cases(typed, stored):
    assert normalise_kana(typed) == stored


@pytest.mark.parametrize("typed", ["鈴木 花子", "Suzuki Hanako", "すずき1", "スズキ。", "<script>"])
def test_anything_but_kana_is_refused(typed):
    assert normalise_kana(typed) is None


def test_hiragana_katakana_and_half_width_give_the_same_search_key():
    keys = {search_key(text) for text in ("すずき", "スズキ", "ｽｽﾞｷ", "ス ズ キ", "すズき")}
    assert keys == {"スズキ"}


def test_the_search_key_holds_the_name_and_the_kana_on_separate_lines():
    assert search_key("鈴木 花子", "スズキ　ハナコ") == "鈴木花子\nスズキハナコ"
    assert search_key("Hanako SATO", "") == "hanakosato"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("090-1234-5678", "090-1234-5678"),
        ("０９０－１２３４－５６７８", "090-1234-5678"),  # a Japanese keyboard's full width
        ("090ー1234ー5678", "090-1234-5678"),  # an IME's long-vowel mark as the dash
        ("09012345678", "09012345678"),
        (" 03 (1234) 5678 ", "03 (1234) 5678"),
        ("+81 90-1234-5678", "+81 90-1234-5678"),
        ("＋８１　９０　１２３４　５６７８", "+81 90 1234 5678"),
        ("", ""),
    ],
)
def test_phone_numbers_are_accepted_as_typed_and_normalised(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "1234-5678",  # no area code: 8 digits
        "090-1234-5678-9999-12",  # 17 digits
        "090-1234-567a",
        "tel:09012345678",
        "090+1234+5678",  # a + only in front
        "電話 090-1234-5678",
    ],
)
def test_what_is_not_a_phone_number_is_refused(typed):
    assert normalise_phone(typed) is None


def test_phone_search_keys_are_digits_with_japanese_numbers_in_national_form():
    assert phones_search_key("090-1234-5678", "") == "09012345678"
    assert phones_search_key("+81 90 1234 5678", "03-1111-2222") == "09012345678\n0311112222"
    assert phones_search_key("+44 20 7946 0000", "") == "442079460000"


@pytest.mark.parametrize(
    ("query", "digits"),
    [
        ("090-1234-5678", "09012345678"),
        ("０９０１２３４５６７８", "09012345678"),
        ("5678", "5678"),
        ("+81 90 1234", "0901234"),
        ("567", ""),  # too short to be read as a phone number
        ("P-1234", ""),  # a patient number
        ("すずき", ""),
    ],
)
def test_a_query_reads_as_a_phone_number_only_when_it_looks_like_one(query, digits):
    assert phone_query(query) == digits
