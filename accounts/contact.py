"""How the clinic reaches a patient: phone numbers and the name in kana, normalised.

Pure Python, no Django: the forms validate with these, `User.save` stores the search keys, and
the dashboard normalises a query the same way, so 「すずき」, 「スズキ」 and 「ｽｽﾞｷ」 find the
same patient, and 090-1234-5678, ０９０１２３４５６７８ and +81 90 1234 5678 the same number.
"""

from __future__ import annotations

import re
import unicodedata

# Hiragana ぁ (U+3041) … ゖ (U+3096) and ゝゞ (U+309D, U+309E) sit 0x60 below their katakana.
HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in (*range(0x3041, 0x3097), 0x309D, 0x309E)}
# After NFKC (half-width ｽﾞ becomes ズ, full-width space a space): katakana ァ…ヺ, the middle
# dot ・ (between the parts of a foreign name), the long-vowel mark ー, ヽヾ, and spaces.
_KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fb\u30fc\u30fd\u30fe ]+")
FULL_WIDTH_SPACE = "\u3000"

# The User fields that hold them (accounts/models.py), as the forms and services name them.
CONTACT_FIELDS = ("name_kana", "phone", "phone2", "phone2_label")

# Dashes people type between the parts of a number, beyond the ASCII hyphen NFKC leaves: the
# katakana long-vowel mark (an IME's 「ー」), hyphen, non-breaking hyphen, figure dash, en and
# em dash, minus sign.
_DASHES = str.maketrans(dict.fromkeys("ー‐‑‒–—−", "-"))
_PHONE = re.compile(r"\+?[0-9()\- ]+")
PHONE_MIN_DIGITS = 10  # a Japanese number with its area code: 03-1234-5678 (mobiles have 11)
PHONE_MAX_DIGITS = 15  # the longest international number (ITU-T E.164)
# A query must have this many digits to be read as (part of) a phone number: fewer match
# patient numbers and names more often than phones.
PHONE_QUERY_MIN_DIGITS = 4
JAPAN_PREFIX = "81"


def to_katakana(text: str) -> str:
    """NFKC (half-width katakana and full-width letters to their usual forms), then hiragana to
    katakana by code point: the one form the diary stores and compares."""
    return unicodedata.normalize("NFKC", text).translate(HIRAGANA_TO_KATAKANA)


def normalise_kana(text: str) -> str | None:
    """A name in kana as stored (full-width katakana, one full-width space between the parts);
    None when it holds anything but kana and spaces. An empty value stays empty."""
    katakana = " ".join(to_katakana(text).split())
    if not katakana:
        return ""
    if not _KATAKANA.fullmatch(katakana):
        return None
    return katakana.replace(" ", FULL_WIDTH_SPACE)


def search_key(*texts: str) -> str:
    """What the dashboard search compares: katakana, NFKC, case-folded, without spaces, one line
    per text (a query without line breaks cannot match across two of them)."""
    return "\n".join(
        "".join(to_katakana(text).casefold().split()) for text in texts if text and text.strip()
    )


def normalise_phone(text: str) -> str | None:
    """A phone number as stored: NFKC (full-width digits and ＋－), one kind of dash, single
    spaces; None when it is not a phone number (other characters, a + not in front, fewer than
    PHONE_MIN_DIGITS or more than PHONE_MAX_DIGITS digits). An empty value stays empty."""
    phone = " ".join(unicodedata.normalize("NFKC", text).translate(_DASHES).split())
    if not phone:
        return ""
    if not _PHONE.fullmatch(phone):
        return None
    if not PHONE_MIN_DIGITS <= len(_digits(phone)) <= PHONE_MAX_DIGITS:
        return None
    return phone


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch in "0123456789")


def phone_search_digits(phone: str) -> str:
    """The digits the search compares, a Japanese number written +81 … as 0 …; "" when empty."""
    normalised = unicodedata.normalize("NFKC", phone).strip()
    digits = _digits(normalised)
    if normalised.startswith("+") and digits.startswith(JAPAN_PREFIX):
        return "0" + digits[len(JAPAN_PREFIX) :]
    return digits


def phones_search_key(*phones: str) -> str:
    return "\n".join(key for phone in phones if (key := phone_search_digits(phone)))


def phone_query(query: str) -> str:
    """The digits to look for when a query reads as a phone number ("" when it does not): only
    digits, +, dashes, brackets and spaces, with at least PHONE_QUERY_MIN_DIGITS digits."""
    text = unicodedata.normalize("NFKC", query).translate(_DASHES).strip()
    if not _PHONE.fullmatch(text) or len(_digits(text)) < PHONE_QUERY_MIN_DIGITS:
        return ""
    return phone_search_digits(text)
