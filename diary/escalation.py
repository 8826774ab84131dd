"""Urgent flags that nobody acknowledges are sent again, to more people.

An open urgent flag not acknowledged `Clinic.escalation_minutes` after it became urgent
(`Flag.urgent_at`) is e-mailed again to every active clinician and clinic administrator of the
clinic and to its on-call address (`Clinic.on_call_email`), then again after each further
interval, at most `Clinic.escalation_max` times. `manage.py send_urgent_alerts` (cron, every 5
minutes) calls `escalations_send`. Like the first alert, the e-mail carries no health data:
who (the on-call address gets the patient number only, not the name), how long it has waited,
and a link to the patient page.

Notice n of a flag is due at `urgent_at + n × interval`. A run claims the notice due by writing
its `FlagNotice` rows (delivered: not known yet) while it holds the patients' row locks,
commits, and only then sends: a second run at the same time finds it claimed and sends nothing
twice. A notice that no recipient received (the mail server refused every one) is not done: its
refused rows stay on record and the next run sends it again. After the cron job was stopped for a
while, only the notice due now is sent (with its number), not every one missed.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import Clinic, User
from diary.alerts import patient_url, patients_lock
from diary.models import Flag, FlagNotice, Severity
from diary.waiting import duration_text, minutes_between

logger = logging.getLogger(__name__)

# No clinic repeats sooner (Clinic.escalation_minutes has this minimum): flags younger than
# this are not even looked at.
SHORTEST_INTERVAL = timedelta(minutes=5)
STAFF_ROLES = (User.Role.CLINICIAN, User.Role.CLINIC_ADMIN)


def escalation_due(urgent_at: datetime, now: datetime, *, minutes: int, maximum: int) -> int:
    """The number of the notice due now: 0 before the first interval has passed, then 1, 2 …
    up to `maximum` (0 minutes or a maximum of 0: never)."""
    if minutes <= 0 or maximum <= 0 or now < urgent_at:
        return 0
    return min((now - urgent_at) // timedelta(minutes=minutes), maximum)


@dataclass(frozen=True)
class Recipient:
    user: User | None  # None for the clinic's on-call address
    address: str
    language: str

    @property
    def on_call(self) -> bool:
        return self.user is None


def escalation_recipients(clinic: Clinic) -> list[Recipient]:
    """Every active clinician and clinic administrator of the clinic, then the on-call
    address unless one of them already has it."""
    staff = User.objects.filter(clinic=clinic, role__in=STAFF_ROLES, is_active=True).order_by("pk")
    recipients = [Recipient(user, user.email, user.language) for user in staff]
    known = {r.address.lower() for r in recipients}
    if clinic.on_call_email and clinic.on_call_email.lower() not in known:
        recipients.append(Recipient(None, clinic.on_call_email, settings.LANGUAGE_CODE))
    return recipients


@dataclass
class _Claim:
    """One patient's flags due for a notice now, and the rows written for them per recipient."""

    patient: User
    flags: list[Flag]
    number: int  # the highest notice number among the flags
    maximum: int
    rows: dict[Recipient, list[FlagNotice]]


def escalations_send(now: datetime | None = None) -> int:
    """Send the repeated notices due now; returns how many e-mails the mail server accepted."""
    now = now or timezone.now()
    claims = _claim(now)
    delivered = 0
    for claim in claims:
        waited = minutes_between(min(flag.urgent_at for flag in claim.flags), now)
        for recipient, rows in claim.rows.items():
            try:
                _send(recipient, claim, waited)
                ok = True
                delivered += 1
            except Exception:  # a mail server outage: recorded as refused, sent again next run
                logger.exception("Could not e-mail the repeated urgent notice (patient %s)",
                                 claim.patient.pk)  # fmt: skip
                ok = False
            FlagNotice.objects.filter(pk__in=[row.pk for row in rows]).update(delivered=ok)
    return delivered


def _claim(now: datetime) -> list[_Claim]:
    """Which notices are due, written down before anything is sent, holding the patients' locks.

    The patients' rows are locked first (in id order), as every write to a patient's flags does
    (`flagging.flags_evaluate`, `flag_acknowledge`, the erasure): no deadlock with a save, and
    no acknowledgement can slip in between reading a flag and claiming its notice. SQLite lets
    one writing transaction run at a time (begun IMMEDIATE), which does the same.
    """
    candidates = Flag.objects.filter(
        status=Flag.Status.OPEN,
        severity=Severity.URGENT,
        urgent_at__lte=now - SHORTEST_INTERVAL,
        patient__clinic__escalation_max__gt=0,
    )
    with transaction.atomic():
        patient_ids = sorted(set(candidates.values_list("patient_id", flat=True)))
        if not patient_ids:
            return []
        patients_lock(patient_ids)
        flags = list(
            candidates.filter(patient_id__in=patient_ids)  # read again, under the locks
            .select_related("patient__clinic")
            .order_by("urgent_at", "pk")
        )
        # A notice is done once it reached someone or is on its way (not refused by everyone).
        done = dict(
            FlagNotice.objects.filter(flag__in=flags, kind=FlagNotice.Kind.ESCALATION)
            .exclude(delivered=False)
            .values("flag")
            .annotate(latest=Max("number"))
            .values_list("flag", "latest")
        )
        due_by_patient: dict[int, list[tuple[Flag, int]]] = defaultdict(list)
        for flag in flags:
            clinic = flag.patient.clinic
            due = escalation_due(
                flag.urgent_at,
                now,
                minutes=clinic.escalation_minutes,
                maximum=clinic.escalation_max,
            )
            if due > done.get(flag.pk, 0):
                due_by_patient[flag.patient_id].append((flag, due))
        recipients: dict[int, list[Recipient]] = {}
        claims, rows = [], []
        for due_flags in due_by_patient.values():
            patient = due_flags[0][0].patient
            clinic = patient.clinic
            if clinic.pk not in recipients:
                recipients[clinic.pk] = escalation_recipients(clinic)
            if not recipients[clinic.pk]:
                logger.warning("Clinic %s has nobody to send repeated urgent notices to", clinic.pk)
                continue
            claim = _Claim(
                patient,
                [flag for flag, _ in due_flags],
                max(due for _, due in due_flags),
                clinic.escalation_max,
                {},
            )
            for recipient in recipients[clinic.pk]:
                claim.rows[recipient] = [
                    FlagNotice(
                        flag=flag,
                        kind=FlagNotice.Kind.ESCALATION,
                        number=due,
                        recipient=recipient.user,
                        address=recipient.address,
                        sent_at=now,
                        delivered=None,
                    )
                    for flag, due in due_flags
                ]
                rows += claim.rows[recipient]
            claims.append(claim)
        FlagNotice.objects.bulk_create(rows)  # primary keys set (SQLite, PostgreSQL)
    return claims


def _send(recipient: Recipient, claim: _Claim, waited_minutes: int) -> None:
    with translation.override(recipient.language):
        context = {
            "patient": claim.patient,
            "show_name": not recipient.on_call,
            "url": patient_url(claim.patient),
            "waited": duration_text(waited_minutes),
            "notice_number": claim.number,
            "maximum": claim.maximum,
        }
        subject = render_to_string("diary/email/urgent_escalation_subject.txt", context)
        subject = " ".join(subject.split())  # one line, whatever the patient number holds
        body = render_to_string("diary/email/urgent_escalation_body.txt", context)
    send_mail(subject, body, None, [recipient.address])
