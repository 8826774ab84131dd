"""The patient's rights: a copy of all their data, and erasure on request.

Erasing never touches the access log: who looked at the record stays on file.
"""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date, datetime, time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.contact import CONTACT_FIELDS
from accounts.models import Invitation, User
from accounts.passkeys import passkeys_forget
from diary.models import (
    ENTRY_FIELDS,
    INJECTION_FIELDS,
    CallOutcome,
    DiaryEntry,
    DiaryEntryVersion,
    ErasureRequest,
    Flag,
    FlagNotice,
    FlagOccurrence,
    GlobalRating,
    Goal,
    GoalRating,
    Injection,
)
from diary.red_flags import days_since_injection
from diary.triage import triage_refresh
from registry.hooks import patient_adverse_events
from registry.retention import erasure_guard

EXPORT_FORMAT_VERSION = 1


def _plain(value):
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _rows(queryset, fields) -> list[dict]:
    return [{name: _plain(getattr(row, name)) for name in fields} for row in queryset]


def patient_export(patient: User) -> dict:
    """Everything the diary holds about the patient, as plain JSON-able data."""
    goals = Goal.objects.filter(patient=patient).order_by("id")
    return {
        "format": "injection-diary-export",
        "version": EXPORT_FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "patient": {
            "name": patient.name,
            "email": patient.email,
            "patient_number": patient.patient_number,
            "birth_date": _plain(patient.birth_date),
            **{name: getattr(patient, name) for name in CONTACT_FIELDS},
            "clinic": patient.clinic.name if patient.clinic_id else None,
            "language": patient.language,
        },
        "injections": _rows(
            Injection.objects.filter(patient=patient).order_by("day"), INJECTION_FIELDS
        ),
        "diary_entries": [
            {
                "day": e.day.isoformat(),
                **{n: _plain(getattr(e, n)) for n in ENTRY_FIELDS},
                "edits": [
                    {
                        "changed_at": v.changed_at.isoformat(),
                        "previous": v.data,
                        "changed_fields": v.changed_fields,
                    }
                    for v in e.versions.all()
                ],
            }
            for e in DiaryEntry.objects.filter(patient=patient)
            .order_by("day")
            .prefetch_related("versions")
        ],  # fmt: skip
        "goals": [
            {
                **_rows([g], ["kind", "title", "measure", "baseline", "target", "review_date"])[0],
                "ratings": _rows(g.ratings.order_by("day"), ["day", "value"]),
            }
            for g in goals.prefetch_related("ratings")
        ],  # fmt: skip
        "overall_ratings": _rows(
            GlobalRating.objects.filter(patient=patient).order_by("day"), ["day", "value"]
        ),
        "red_flags": _rows(
            Flag.objects.filter(patient=patient).order_by("first_day", "id"),
            ["code", "severity", "first_day", "last_day", "status", "action", "acknowledged_at"],
        ),
        # The clinic's calls, like the flags without the staff's note.
        "calls": _rows(
            CallOutcome.objects.filter(patient=patient).order_by("at", "id"),
            ["at", "result", "reason"],
        ),
        # What the clinic recorded in the regenerative-medicine register, with every earlier
        # version; who recorded or changed it is left out, as on the flags and calls.
        "adverse_events": patient_adverse_events(patient),
    }


CSV_FIELDS = ("day", "days_since_injection", *ENTRY_FIELDS)


def patient_entries_csv(patient: User) -> str:
    """The diary as a spreadsheet: one row per day, with day N since the injection."""
    injections = list(Injection.objects.filter(patient=patient).values_list("day", flat=True))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_FIELDS)
    for entry in DiaryEntry.objects.filter(patient=patient).order_by("day"):
        day_n = days_since_injection(entry.day, injections)
        writer.writerow(
            [entry.day.isoformat(), "" if day_n is None else day_n]
            + [_csv_cell(getattr(entry, name)) for name in ENTRY_FIELDS]
        )
    return buffer.getvalue()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(text: str) -> str:
    """Text that a spreadsheet shows as text: a cell starting with = + - @ would run as a
    formula (CSV injection), so such text gets a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_cell(value) -> str:
    return spreadsheet_text("" if value is None else str(_plain(value)))


class ErasureAlreadyRequested(Exception):
    pass


def erasure_request(*, patient: User) -> ErasureRequest:
    """The patient asks the clinic to erase their data; the clinic administrator decides."""
    if ErasureRequest.objects.filter(
        patient=patient, status=ErasureRequest.Status.REQUESTED
    ).exists():
        raise ErasureAlreadyRequested
    return ErasureRequest.objects.create(patient=patient, requested_by=patient)


def patient_erase(*, patient: User, by: User, mode: str, reason: str) -> ErasureRequest:
    """Anonymise or delete a patient's data, with the reason on record.

    Both remove the identity (name, e-mail, number, birth date) and sign the patient out for
    good. `anonymise` keeps the numbers (for the clinic's statistics) but blanks free text;
    `delete` removes every diary record. The access log is kept either way.
    """
    if mode not in ErasureRequest.Mode.values:
        raise ValueError(f"Unknown erasure mode {mode!r}")
    if not reason.strip():
        raise ValueError("A reason is required.")
    # A patient treated under a regenerative treatment plan keeps their records for 10 years:
    # the register refuses a deletion (RecordsKept) or removes the contact data only.
    kept = erasure_guard(patient=patient, by=by, mode=mode, reason=reason)
    if kept is not None:
        return kept
    now = timezone.now()
    with transaction.atomic():
        # The patient row first, in the same order as flags_evaluate: no deadlock with a save.
        User.objects.select_for_update(no_key=True).filter(pk=patient.pk).first()
        request = ErasureRequest.objects.select_for_update().filter(
            patient=patient, status=ErasureRequest.Status.REQUESTED
        ).first() or ErasureRequest(patient=patient, requested_by=by, requested_at=now)
        if mode == ErasureRequest.Mode.DELETE:
            _delete_health_data(patient)
        else:
            _blank_free_text(patient)
            _close_open_flags(patient)
        _remove_identity(patient)
        request.status = ErasureRequest.Status.DONE
        request.mode = mode
        request.reason = reason.strip()
        request.handled_by = by
        request.handled_at = now
        request.full_clean()
        request.save()
        triage_refresh(patient)  # after the request is done: the row reads it (erased)
    return request


def _delete_health_data(patient: User) -> None:
    DiaryEntryVersion.objects.filter(entry__patient=patient).delete()
    DiaryEntry.objects.filter(patient=patient).delete()
    FlagNotice.objects.filter(flag__patient=patient).delete()
    CallOutcome.objects.filter(patient=patient).delete()
    FlagOccurrence.objects.filter(flag__patient=patient).delete()
    Flag.objects.filter(patient=patient).delete()
    GoalRating.objects.filter(goal__patient=patient).delete()
    Goal.objects.filter(patient=patient).delete()
    GlobalRating.objects.filter(patient=patient).delete()
    Injection.objects.filter(patient=patient).delete()


def _blank_free_text(patient: User) -> None:
    DiaryEntry.objects.filter(patient=patient).update(notes="")
    for version in DiaryEntryVersion.objects.filter(entry__patient=patient):
        if version.data.get("notes"):
            version.data["notes"] = ""
            version.save(update_fields=["data"])
    Injection.objects.filter(patient=patient).update(notes="", given_by="")
    Goal.objects.filter(patient=patient).update(title="—")
    # The clinician's note on acknowledging a flag is about the patient too ("spoke to her son").
    Flag.objects.filter(patient=patient).update(note="")
    CallOutcome.objects.filter(patient=patient).update(note="")  # "spoke to her daughter"


def _close_open_flags(patient: User) -> None:
    """Nobody can be called about an erased patient: their open flags leave the clinic's lists
    (the dashboard, the repeated urgent notices, the digest), closed as erased. Kept, with
    their days and severity, for the clinic's statistics (docs/SECURITY.md)."""
    Flag.objects.filter(patient=patient, status=Flag.Status.OPEN).update(status=Flag.Status.ERASED)


def _remove_identity(patient: User) -> None:
    Invitation.objects.filter(user=patient).delete()
    passkeys_forget(user=patient)
    patient.name = f"Erased patient {patient.pk}"
    patient.email = f"erased-{uuid.uuid4().hex}@erased.invalid"
    patient.patient_number = ""
    patient.birth_date = None
    for name in CONTACT_FIELDS:  # the numbers and the kana (their search keys follow in save)
        setattr(patient, name, "")
    patient.is_active = False
    patient.set_unusable_password()
    patient.save(
        update_fields=[
            "name", "email", "patient_number", "birth_date", "is_active", "password",
            *CONTACT_FIELDS,
        ]
    )  # fmt: skip
