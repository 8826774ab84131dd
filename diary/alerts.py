"""E-mails to the clinic about red flags. No health data: who, and a link to the patient page.

Urgent flags are sent at once (after the transaction that raised them commits); caution flags
are collected into a daily digest by `manage.py send_flag_digest`.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from django.core.mail import send_mail
from django.db import connection, transaction
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

    Each day is claimed first: marked as alerted under a row lock and committed, and only then
    e-mailed, so a retry never sends twice, nor do two runs at once (two servers' cron, or cron
    and the patient's save): a day another run holds locked is skipped, that run sends it. When
    none of the clinicians could be e-mailed (the mail server is down), the patient's days are
    marked as not alerted again: the patient's next save or `manage.py send_urgent_alerts`
    tries again.
    Returns the number of e-mails sent.
    """
    with transaction.atomic():
        # Lock the occurrences only (of="self"): locking the joined flag and patient rows too
        # deadlocks with a save of the same patient that is evaluating its flags meanwhile.
        # skip_locked: never wait for a row another run or a save holds (no deadlock either).
        pending = list(
            FlagOccurrence.objects.select_for_update(of=("self",), skip_locked=True)
            .filter(pk__in=occurrence_ids, notified_at__isnull=True)
            .select_related("flag__patient")
            .order_by("pk")
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


def patients_lock(patient_ids) -> None:
    """Lock the patients' rows, in id order, as every write to a patient's flags does first
    (`flagging.flags_evaluate`, `flag_acknowledge`, the erasure): no deadlock with a save, and
    a second run at the same moment waits here, then reads what the first one claimed. SQLite
    has no row locks: it lets one writing transaction run at a time (begun IMMEDIATE)."""
    if connection.features.has_select_for_update:
        locked = User.objects.select_for_update(no_key=True).filter(pk__in=list(patient_ids))
        list(locked.order_by("pk").values_list("pk", flat=True))


def flag_digest_claim(now) -> list[Flag]:
    """The open caution flags not yet in a digest, marked as digested (committed) before any
    e-mail goes out: two runs at once (two servers' cron) never both send them."""
    candidates = Flag.objects.filter(
        status=Flag.Status.OPEN, severity=Severity.CAUTION, digested_at__isnull=True
    )
    with transaction.atomic():
        patient_ids = sorted(set(candidates.values_list("patient_id", flat=True)))
        if not patient_ids:
            return []
        patients_lock(patient_ids)
        # Read again under the locks: what another run claimed meanwhile is gone.
        flags = list(candidates.filter(patient_id__in=patient_ids).select_related("patient"))
        Flag.objects.filter(pk__in=[flag.pk for flag in flags]).update(digested_at=now)
    return flags


def flag_digest_send() -> int:
    """One e-mail per clinician listing patients with open caution flags not yet digested.

    The flags are claimed first (`flag_digest_claim`). A clinic whose digest no clinician
    received (the mail server refused every one) gets its flags back: the next run sends them.
    Returns the number of e-mails sent.
    """
    now = timezone.now()
    flags = flag_digest_claim(now)
    by_clinic: dict[int, dict[int, User]] = defaultdict(dict)
    for flag in flags:
        by_clinic[flag.patient.clinic_id][flag.patient_id] = flag.patient
    sent = 0
    for clinic_id, patients in by_clinic.items():
        rows = [
            {"patient": p, "url": patient_url(p)}
            for p in sorted(patients.values(), key=lambda p: p.name)
        ]
        recipients = clinic_recipients(clinic_id)
        told = 0
        for recipient in recipients:
            try:
                _send(
                    recipient,
                    "flag_digest",
                    {"rows": rows, "dashboard": site_url(reverse("clinic:patients"))},
                )
                told += 1
            except Exception:  # the other clinics' digests still go out
                logger.exception("Could not e-mail the caution digest of clinic %s", clinic_id)
        if recipients and not told:  # no mail got through: the next run sends it again
            Flag.objects.filter(
                pk__in=[flag.pk for flag in flags if flag.patient_id in patients], digested_at=now
            ).update(digested_at=None)
        sent += told
    return sent
