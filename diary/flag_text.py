"""What each finding means, in plain words: for the patient and, shorter, for the clinician.

The rules module knows no language; the words live here, translated with gettext.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from diary import red_flags as rf


@dataclass(frozen=True)
class FlagText:
    title: Promise
    patient: Promise
    clinician: Promise


TEXTS: dict[tuple[str, str], FlagText] = {
    (rf.FEVER, rf.URGENT): FlagText(
        _("Fever"),
        _(
            "You have a fever, or feel feverish together with a warm or swollen joint or feeling "
            "unwell. After an injection this can be a sign of infection and must be checked today."
        ),
        _("Fever ≥ urgent threshold, or raised temperature/feverish with joint or general signs."),
    ),
    (rf.FEVER, rf.CAUTION): FlagText(
        _("Raised temperature"),
        _(
            "Your temperature is slightly raised or you feel feverish. Tell your clinic, and "
            "measure your temperature again tomorrow."
        ),
        _("Temperature ≥ caution threshold or feverish, without other signs."),
    ),
    (rf.UNWELL, rf.CAUTION): FlagText(
        _("Feeling unwell"),
        _("You feel generally unwell. Tell your clinic, and check again tomorrow."),
        _("Generally unwell without fever."),
    ),
    (rf.SWELLING_WORSENING, rf.URGENT): FlagText(
        _("Swelling getting worse"),
        _(
            "The swelling has become worse three days in a row, later than the usual reaction "
            "to an injection. This must be checked today."
        ),
        _("Swelling rising on three consecutive days, from day 3 on."),
    ),
    (rf.EARLY_REACTION, rf.INFO): FlagText(
        _("Common early reaction"),
        _(
            "Some pain, swelling or warmth in the first days after an injection is common and "
            "usually settles within a few days. Rest the joint for 1–2 days and avoid strenuous "
            "exercise. If it gets worse day after day, or you get a fever, call your clinic."
        ),
        _("Expected reaction in days 0–2."),
    ),
    (rf.REDNESS_SPREADING, rf.URGENT): FlagText(
        _("Spreading redness"),
        _("Redness that spreads around the joint must be checked today."),
        _("Redness reported as spreading."),
    ),
    (rf.WARM_RED_JOINT, rf.CAUTION): FlagText(
        _("Warm, red joint"),
        _(
            "Your joint has been clearly warm and red for two days. Tell your clinic, and "
            "check again tomorrow."
        ),
        _("Warmth ≥ 2 with redness on two consecutive days."),
    ),
    (rf.CANNOT_BEAR_WEIGHT, rf.URGENT): FlagText(
        _("Still cannot bear weight"),
        _(
            "You have not been able to put weight on the leg for two days. "
            "This must be checked today."
        ),
        _("Cannot bear weight on two consecutive days."),
    ),
    (rf.CANNOT_BEAR_WEIGHT, rf.CAUTION): FlagText(
        _("Cannot bear weight"),
        _("You could not put weight on the leg today. Tell your clinic, and check again tomorrow."),
        _("Cannot bear weight today."),
    ),
    (rf.NOT_EASING, rf.CAUTION): FlagText(
        _("Not easing"),
        _("The pain or swelling is not easing as expected after the first days. Tell your clinic."),
        _("From day 3: pain or swelling above days 0–2, or pain up ≥ 2 points in two days."),
    ),
    (rf.MISSED_ENTRIES, rf.INFO): FlagText(
        _("Not logging"),
        _("You have not filled in your diary for a few days. Please fill in today's entry."),
        _("No diary entry for 2 or more days during days 1–14."),
    ),
}


def flag_text(code: str, severity: str) -> FlagText:
    return TEXTS[(code, severity)]


def tel_href(phone: str) -> str:
    """A `tel:` link target: digits and a leading + only (03-1234-5678 → tel:0312345678).

    Full-width input (０３－１２３４, common with a Japanese keyboard) becomes ASCII first: a
    `tel:` URI allows only ASCII digits, and str.isdigit() alone would keep ０ as it is.
    """
    phone = unicodedata.normalize("NFKC", phone)
    digits = "".join(ch for ch in phone if ch in "0123456789")
    return "tel:" + ("+" if phone.strip().startswith("+") else "") + digits
