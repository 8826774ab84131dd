"""E-mails to the clinic about red flags. No health data: who, and a link to the patient page.

Urgent flags are sent at once (after the transaction that raised them commits); caution flags
are collected into a daily digest by `manage.py send_flag_digest`.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from config.site_url import site_url
from diary.models import Flag, FlagNotice, FlagOccurrence, Severity

logger = logging.getLogger(__name__)


def clinic_recipients(clinic_id: int) -> list[User]:
    return list(User.objects.filter(clinic_id=clinic_id, role=User.Role.CLINICIAN, is_active=True))


def patient_url(patient: User) -> str:
    return site_url(reverse("clinic:patient", kwargs={"public_id": patient.public_id}))


def _send(recipient: User, template: str, context: dict) -> None:
    with translation.override(recipient.language):
        subject = render_to_string(f"diary/email/{template}_subject.txt", context)
        # One line: a line break typed into a patient number would make the mail refused.
        subject = " ".join(subject.split())
        body = render_to_string(f"diary/email/{template}_body.txt", context)
    send_mail(subject, body, None, [recipient.email])


def urgent_alerts_send(occurrence_ids: list[int]) -> int:
    """E-mail the clinicians about urgent firing days not yet alerted; one e-mail per patient.

    Each day is marked as alerted first, under a row lock, so a retry never sends twice. When
    none of the clinicians could be e-mailed (the mail server is down), the patient's days are
    marked as not alerted again: the patient's next save or `manage.py send_urgent_alerts`
    tries again.
    Returns the number of e-mails sent.
    """
    with transaction.atomic():
        # Lock the occurrences only (of="self"): locking the joined flag and patient rows too
        # deadlocks with a save of the same patient that is evaluating its flags meanwhile.
        pending = list(
            FlagOccurrence.objects.select_for_update(of=("self",))
            .filter(pk__in=occurrence_ids, notified_at__isnull=True)
            .select_related("flag__patient")
        )
        FlagOccurrence.objects.filter(pk__in=[o.pk for o in pending]).update(
            notified_at=timezone.now()
        )
    patients = {o.flag.patient_id: o.flag.patient for o in pending}
    sent = 0
    for patient in patients.values():
        context = {"patient": patient, "url": patient_url(patient)}
        recipients = clinic_recipients(patient.clinic_id)
        days = [o for o in pending if o.flag.patient_id == patient.pk]
        told = 0
        notices = []  # who was told about which firing day, and whether the mail went out
        for recipient in recipients:
            try:
                _send(recipient, "urgent_flag", context)
                told += 1
                delivered = True
            except Exception:  # a mail server outage must not lose the saved diary entry
                logger.exception("Could not e-mail the urgent alert about patient %s", patient.pk)
                delivered = False
            notices += [first_notice(day, recipient, delivered) for day in days]
        FlagNotice.objects.bulk_create(notices)
        if recipients and not told:  # no mail got through: try again later
            FlagOccurrence.objects.filter(pk__in=[o.pk for o in days]).update(notified_at=None)
        sent += told
    return sent


def first_notice(occurrence: FlagOccurrence, recipient: User, delivered: bool) -> FlagNotice:
    return FlagNotice(
        flag_id=occurrence.flag_id,
        occurrence=occurrence,
        kind=FlagNotice.Kind.FIRST,
        recipient=recipient,
        address=recipient.email,
        sent_at=timezone.now(),
        delivered=delivered,
    )


def urgent_alerts_pending() -> list[int]:
    """Urgent firing days of open flags that no clinician has been e-mailed about yet."""
    return list(
        FlagOccurrence.objects.filter(
            severity=Severity.URGENT,
            notified_at__isnull=True,
            withdrawn_at__isnull=True,
            flag__status=Flag.Status.OPEN,
        ).values_list("pk", flat=True)
    )


def urgent_alerts_on_commit(occurrences: list[FlagOccurrence]) -> None:
    ids = [occurrence.pk for occurrence in occurrences]
    if ids:
        transaction.on_commit(lambda: urgent_alerts_send(ids))


def flag_digest_send() -> int:
    """One e-mail per clinician listing patients with open caution flags not yet digested."""
    flags = list(
        Flag.objects.filter(
            status=Flag.Status.OPEN, severity=Severity.CAUTION, digested_at__isnull=True
        ).select_related("patient")
    )
    by_clinic: dict[int, dict[int, User]] = defaultdict(dict)
    for flag in flags:
        by_clinic[flag.patient.clinic_id][flag.patient_id] = flag.patient
    sent = 0
    for clinic_id, patients in by_clinic.items():
        rows = [
            {"patient": p, "url": patient_url(p)}
            for p in sorted(patients.values(), key=lambda p: p.name)
        ]
        for recipient in clinic_recipients(clinic_id):
            _send(
                recipient,
                "flag_digest",
                {"rows": rows, "dashboard": site_url(reverse("clinic:patients"))},
            )
            sent += 1
    Flag.objects.filter(pk__in=[flag.pk for flag in flags]).update(digested_at=timezone.now())
    return sent
