"""What each finding means, in plain words: for the patient and, shorter, for the clinician.

The rules module knows no language; the words live here, translated with gettext. Urgent texts
tell the patient to call *now* (never "today"); caution texts to tell the clinic today.

A shoulder (or another joint that is not a leg) is not asked about bearing weight: the diary asks
whether the arm or the joint can be used, and the words for `cannot_bear_weight` follow (LIMB).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from diary import red_flags as rf

# What the weight-bearing question asks about, from the injected joint.
LEG = "leg"  # knee, hip, or no injection recorded
ARM = "arm"  # shoulder
JOINT = "joint"  # another joint
LIMBS = (LEG, ARM, JOINT)
LIMB_OF_JOINT = {"knee": LEG, "hip": LEG, "shoulder": ARM, "other": JOINT}


def limb_of(joint: str | None) -> str:
    """The limb the diary asks about for an injected joint (the leg when none is known)."""
    return LIMB_OF_JOINT.get(joint or "", LEG)


# The clinician's one name for each finding, whatever its severity or the limb: the dashboard, the
# patient page, the call list, the report, the registry and every export read it from here
# (`FlagCode`'s labels are these). The severity is shown beside it (▲ urgent, ◆ caution), and the
# rule behind it in `FlagText.clinician`. The patient's own pages keep `FlagText.title`, which
# words the advice for their severity and limb.
NAMES: dict[str, Promise] = {
    rf.FEVER: _("Fever"),
    rf.UNWELL: _("Generally unwell"),
    rf.SWELLING_WORSENING: _("Swelling getting worse"),
    rf.EARLY_REACTION: _("Expected early reaction"),
    rf.REDNESS_SPREADING: _("Spreading redness"),
    rf.HOT_SWOLLEN_JOINT: _("Hot, swollen, painful joint"),
    rf.WARM_RED_JOINT: _("Warm, red joint"),
    rf.CANNOT_BEAR_WEIGHT: _("Cannot bear weight"),
    rf.NOT_EASING: _("Not easing"),
    rf.MISSED_ENTRIES: _("Not logging"),
}


def flag_name(code: str) -> str:
    """The clinician's name of a finding in the active language: "Fever" / 「発熱」."""
    return str(NAMES[code])


@dataclass(frozen=True)
class FlagText:
    title: Promise
    patient: Promise
    clinician: Promise


TEXTS: dict[tuple[str, str], FlagText] = {
    (rf.FEVER, rf.URGENT): FlagText(
        _("Fever"),
        _(
            "You have a fever, or you feel feverish and also feel unwell or have signs in the "
            "joint (such as warmth, swelling or redness). After an injection this can be a sign "
            "of infection. Call your clinic now."
        ),
        _(
            "Temperature ≥ urgent threshold, or a fever sign with unwell or a local sign "
            "(warmth ≥ 2, swelling ≥ 2, redness, cannot bear weight)."
        ),
    ),
    (rf.FEVER, rf.CAUTION): FlagText(
        _("Raised temperature"),
        _(
            "Your temperature is slightly raised, or you feel feverish, without other warning "
            "signs. Tell your clinic today. Measure your temperature again later today and "
            "tomorrow morning."
        ),
        _("Temperature ≥ caution threshold or feverish, without unwell or a local sign."),
    ),
    (rf.UNWELL, rf.URGENT): FlagText(
        _("Feeling unwell, with signs in the joint"),
        _(
            "You feel generally unwell, and the joint shows signs (such as warmth, swelling or "
            "redness). After an injection this can be a sign of infection, even without a "
            "fever. Call your clinic now."
        ),
        _(
            "Generally unwell without a fever sign, with a local sign (warmth ≥ 2, swelling ≥ 2, "
            "redness, cannot bear weight)."
        ),
    ),
    (rf.UNWELL, rf.CAUTION): FlagText(
        _("Feeling unwell"),
        _(
            "You feel generally unwell, and no fever is recorded. Tell your clinic today. Measure "
            "your temperature later today, and look at the joint again."
        ),
        _("Generally unwell, without a fever sign or a local sign."),
    ),
    (rf.REDNESS_SPREADING, rf.URGENT): FlagText(
        _("Spreading redness"),
        _(
            "Redness is spreading around the joint. This can be a sign of infection. Call your "
            "clinic now. If you can, trace the edge of the redness with a pen, so you can see "
            "whether it spreads further."
        ),
        _("Redness reported as spreading."),
    ),
    (rf.HOT_SWOLLEN_JOINT, rf.URGENT): FlagText(
        _("Hot, swollen, painful joint"),
        _(
            "The joint is clearly warm, swollen and very painful, later than the usual reaction "
            "to an injection. This can be a sign of infection, even without a fever. Call your "
            "clinic now."
        ),
        _("Warmth ≥ 2, swelling ≥ 2 and pain ≥ 7, from day 3."),
    ),
    (rf.HOT_SWOLLEN_JOINT, rf.CAUTION): FlagText(
        _("Strong reaction: hot, swollen, painful joint"),
        _(
            "The joint is clearly warm, swollen and very painful. In the first days after an "
            "injection this can be a strong reaction, but tell your clinic today. Rest the joint."
        ),
        _("Warmth ≥ 2, swelling ≥ 2 and pain ≥ 7 on days 0–2."),
    ),
    (rf.SWELLING_WORSENING, rf.URGENT): FlagText(
        _("Swelling getting worse"),
        _(
            "The swelling has grown across your last three entries, later than the usual "
            "reaction to an injection. Call your clinic now."
        ),
        _("Swelling rising across the last three entries (within 4 days), from day 3."),
    ),
    (rf.WARM_RED_JOINT, rf.CAUTION): FlagText(
        _("Warm, red joint"),
        _(
            "The joint has been clearly warm and red on this entry and the one before, or red "
            "on your last three entries. Tell your clinic today. If the redness spreads, call "
            "at once."
        ),
        _(
            "Warmth ≥ 2 with redness on this and the previous entry, or redness on the last "
            "three entries from day 3."
        ),
    ),
    (rf.CANNOT_BEAR_WEIGHT, rf.URGENT): FlagText(
        _("Still cannot bear weight"),
        _("You could not put weight on the leg on two entries in a row. Call your clinic now."),
        _(
            "Cannot bear weight (shoulder, other joint: cannot use it) on this entry and on one "
            "of the 2 days before."
        ),
    ),
    (rf.CANNOT_BEAR_WEIGHT, rf.CAUTION): FlagText(
        _("Cannot bear weight"),
        _(
            "You could not put weight on the leg. Tell your clinic today. If you still cannot "
            "tomorrow, call at once."
        ),
        _("Cannot bear weight (shoulder, other joint: cannot use it) on this entry."),
    ),
    (rf.NOT_EASING, rf.CAUTION): FlagText(
        _("Not easing"),
        _(
            "The pain or swelling is not easing as expected after the first days, or it has "
            "gone up again. Tell your clinic today."
        ),
        _(
            "Days 3–14: pain or swelling above days 0–2, pain ≥ 2 above the lowest of the 3 days "
            "before, or swelling 3 on two entries in a row."
        ),
    ),
    (rf.EARLY_REACTION, rf.INFO): FlagText(
        _("Common early reaction"),
        _(
            "Some pain, swelling or warmth in the joint in the first days after an injection is "
            "common and usually settles within a few days. Rest the joint for 1–2 days and avoid "
            "strenuous exercise. If it gets worse day after day, or you get a fever, call your "
            "clinic."
        ),
        _("Expected reaction on days 0–2."),
    ),
    (rf.MISSED_ENTRIES, rf.INFO): FlagText(
        _("Not logging"),
        _("You have not filled in your diary for a few days. Please fill in today's entry."),
        _("No diary entry for 2 or more days during days 1–14."),
    ),
}

# The patient's words where the injected joint is not a leg; the clinician's stay the same.
LIMB_TEXTS: dict[tuple[str, str, str], tuple[Promise, Promise]] = {
    (rf.CANNOT_BEAR_WEIGHT, rf.URGENT, ARM): (
        _("Still cannot use the arm"),
        _("You could not use the arm on two entries in a row. Call your clinic now."),
    ),
    (rf.CANNOT_BEAR_WEIGHT, rf.URGENT, JOINT): (
        _("Still cannot use the joint"),
        _("You could not use the joint on two entries in a row. Call your clinic now."),
    ),
    (rf.CANNOT_BEAR_WEIGHT, rf.CAUTION, ARM): (
        _("Cannot use the arm"),
        _(
            "You could not use the arm. Tell your clinic today. If you still cannot "
            "tomorrow, call at once."
        ),
    ),
    (rf.CANNOT_BEAR_WEIGHT, rf.CAUTION, JOINT): (
        _("Cannot use the joint"),
        _(
            "You could not use the joint. Tell your clinic today. If you still cannot "
            "tomorrow, call at once."
        ),
    ),
}


def flag_text(code: str, severity: str, limb: str = LEG) -> FlagText:
    """The words for a finding; `limb` (LEG, ARM, JOINT) words the patient's text to match."""
    text = TEXTS[(code, severity)]
    if (code, severity, limb) in LIMB_TEXTS:
        title, patient = LIMB_TEXTS[(code, severity, limb)]
        return replace(text, title=title, patient=patient)
    return text


def tel_href(phone: str) -> str:
    """A `tel:` link target: digits and a leading + only (03-1234-5678 → tel:0312345678).

    Full-width input (０３－１２３４, common with a Japanese keyboard) becomes ASCII first: a
    `tel:` URI allows only ASCII digits, and str.isdigit() alone would keep ０ as it is.
    """
    phone = unicodedata.normalize("NFKC", phone)
    digits = "".join(ch for ch in phone if ch in "0123456789")
    return "tel:" + ("+" if phone.strip().startswith("+") else "") + digits


# An acknowledgement refused because the flag is urgent otherwise than the page showed it
# (diary.flagging.FlagBecameUrgent), from the patient page and from the register's button.
BECAME_URGENT = _(
    "%(flag)s was not acknowledged: it became urgent after this page was opened. Read it "
    "again, then acknowledge it."
)
