"""Finding a patient by what a clinician types: a name in any kana or width, a patient number,
or (part of) a phone number."""

from __future__ import annotations

from django.db.models import Q

from accounts.contact import phone_query, search_key


def patient_search_q(query: str) -> Q:
    """Patients whose name, kana, patient number or phone number holds `query`.

    The name and kana are compared through the stored `search_key` (katakana, NFKC, no spaces,
    `accounts.contact`), so 「すずき」, 「スズキ」 and 「ｽｽﾞｷ」 find the same patient; a query of
    digits and dashes is also compared with the stored digits of both phone numbers.
    """
    condition = Q(name__icontains=query) | Q(patient_number__icontains=query)
    if key := search_key(query):
        condition |= Q(search_key__contains=key)
    if digits := phone_query(query):
        condition |= Q(phone_search_key__contains=digits)
    return condition
