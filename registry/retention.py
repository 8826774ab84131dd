"""Retention: a patient treated under a regenerative treatment plan keeps their records for 10
years after the last such treatment (Act on the Safety of Regenerative Medicine, Art. 16).

diary/privacy.py asks `erasure_guard` before it erases anything. Inside the period a hard
deletion is refused; an anonymisation removes the contact data only (the e-mail address, the
phone numbers, the sign-in) and is recorded with the day the records may go. A patient with
adverse events is never hard-deleted either: the events are never deleted.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Invitation, User
from diary.models import ErasureRequest, Flag
from diary.selectors import clinic_today
from diary.triage import triage_refresh
from registry import rules
from registry.models import AdverseEvent, PlanInjection, RetainedErasure

# Contact data on the patient's account, besides the e-mail address (those the model has).
CONTACT_FIELDS = ("phone", "phone2", "phone2_label")
REASON_MAX_CHARS = 2000


@dataclass(frozen=True)
class RetentionHold:
    last_treatment: date
    kept_until: date
    plan_numbers: tuple[str, ...]


def retention_hold(patient: User, today: date | None = None) -> RetentionHold | None:
    """Why and until when the patient's records must be kept; None when they need not be."""
    rows = list(
        PlanInjection.objects.filter(injection__patient=patient)
        .order_by("injection__day")
        .values_list("injection__day", "plan__number")
    )
    if not rows:
        return None
    last = rows[-1][0]
    today = today or clinic_today(patient.clinic)
    if not rules.retained(last, today):
        return None
    numbers = tuple(dict.fromkeys(number for _day, number in rows))
    return RetentionHold(last, rules.retention_until(last), numbers)


class RecordsKept(ValueError):
    """A hard deletion refused: the message says why, in the language active when raised."""

    def __init__(self, message: str, hold: RetentionHold | None = None):
        super().__init__(message)
        self.message = message
        self.hold = hold


def refusal_text(hold: RetentionHold) -> str:
    return _(
        "This patient was treated under a regenerative treatment plan (%(plans)s). The Act on "
        "the Safety of Regenerative Medicine requires the records to be kept for 10 years after "
        "the last treatment, until %(until)s, so they cannot be deleted before then. Choose "
        "anonymisation instead: only the contact data (e-mail address, phone numbers, sign-in) "
        "is removed, and that is recorded."
    ) % {"plans": ", ".join(hold.plan_numbers), "until": hold.kept_until.isoformat()}


def erasure_guard(*, patient: User, by: User, mode: str, reason: str) -> ErasureRequest | None:
    """Called by diary.privacy.patient_erase before it erases anything.

    None: the diary goes on as usual. Inside the retention period a deletion raises RecordsKept
    and an anonymisation is done here (contact data only) and its request returned. A patient
    with adverse events cannot be deleted either (they are never deleted).
    """
    hold = retention_hold(patient)
    if mode == ErasureRequest.Mode.DELETE:
        if hold is not None:
            raise RecordsKept(refusal_text(hold), hold)
        if AdverseEvent.objects.filter(patient=patient).exists():
            raise RecordsKept(
                _(
                    "This patient has adverse events on record, which are never deleted. Choose "
                    "anonymisation instead."
                )
            )
        return None
    if hold is None:
        return None
    return contact_data_erase(patient=patient, by=by, reason=reason, hold=hold)


def contact_data_erase(
    *, patient: User, by: User, reason: str, hold: RetentionHold
) -> ErasureRequest:
    """Remove the patient's contact data and sign-in, keep every record, and say so."""
    if not reason.strip():
        raise ValueError("A reason is required.")
    now = timezone.now()
    with transaction.atomic():
        User.objects.select_for_update(no_key=True).filter(pk=patient.pk).first()
        request = ErasureRequest.objects.select_for_update().filter(
            patient=patient, status=ErasureRequest.Status.REQUESTED
        ).first() or ErasureRequest(patient=patient, requested_by=by, requested_at=now)
        _remove_contact_data(patient)
        with translation.override(by.language):
            kept = _(
                "Contact data only: the records are kept until %(until)s (Act on the Safety of "
                "Regenerative Medicine)."
            ) % {"until": hold.kept_until.isoformat()}
        request.status = ErasureRequest.Status.DONE
        request.mode = ErasureRequest.Mode.ANONYMISE
        request.reason = f"{kept} {reason.strip()}"[:REASON_MAX_CHARS]
        request.handled_by = by
        request.handled_at = now
        request.full_clean()
        request.save()
        # As after any erasure: nobody can be called about the patient now, so their open flags
        # leave the clinic's lists, closed as erased, and so does their place on the dashboard.
        Flag.objects.filter(patient=patient, status=Flag.Status.OPEN).update(
            status=Flag.Status.ERASED
        )
        triage_refresh(patient)
        RetainedErasure.objects.create(
            patient=patient,
            erasure_request=request,
            kept_until=hold.kept_until,
            reason=reason.strip()[:REASON_MAX_CHARS],
            done_by=by,
            done_at=now,
        )
    return request


def _remove_contact_data(patient: User) -> None:
    Invitation.objects.filter(user=patient).delete()
    patient.email = f"erased-{uuid.uuid4().hex}@erased.invalid"
    fields = ["email", "is_active", "password"]
    for name in CONTACT_FIELDS:
        if hasattr(patient, name):
            setattr(patient, name, "")
            fields.append(name)
    patient.is_active = False
    patient.set_unusable_password()  # every signed-in session ends with the old password hash
    patient.save(update_fields=fields)


def erased_with_records_kept(request: ErasureRequest) -> RetainedErasure | None:
    return RetainedErasure.objects.filter(erasure_request=request).first()


def erasure_done_message(request: ErasureRequest) -> str | None:
    """What the administrator is told after an erasure the retention period limited."""
    retained_row = erased_with_records_kept(request)
    if retained_row is None:
        return None
    return _(
        "Only the contact data was removed and the sign-in closed: the records are kept until "
        "%(until)s, as the law requires. The access log is kept."
    ) % {"until": retained_row.kept_until.isoformat()}


def records_kept_url(patient: User) -> str | None:
    """The page that answers the patient's erasure request when the records must be kept."""
    if retention_hold(patient) is None:
        return None
    return reverse("registry:records_kept")
