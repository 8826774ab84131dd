"""E-mail reminders: in the evening for patients who have not filled in today's diary, and in
the morning after a caution, to check again and log (the re-check, diary/recheck.py).

The evening one is sent during an injection course (the 28 days after the latest injection, or
until a goal's review date), after the clinic's evening hour, at most once per patient per day,
a link only. The morning re-check names what to look at again (temperature, the joint, weight
bearing) but not the finding, a value or the joint's name (docs/SECURITY.md).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Clinic, User
from config.site_url import site_url
from diary.flag_text import limb_of
from diary.models import DiaryEntry, Goal, Injection, Reminder
from diary.recheck import MORNING_HOUR, check_words, checks_for, pending_rechecks

COURSE_DAYS = 28
logger = logging.getLogger(__name__)


def patients_to_remind(clinic: Clinic, now=None) -> list[User]:
    """Patients of the clinic in a course who have not logged today, once past the hour."""
    local = (now or timezone.now()).astimezone(clinic.tz)
    if local.hour < clinic.reminder_hour:
        return []
    today = local.date()
    in_course = Injection.objects.filter(
        day__range=(today - timedelta(days=COURSE_DAYS), today)
    ).values("patient_id")
    reviewing = Goal.objects.filter(review_date__gte=today).values("patient_id")
    return list(
        User.objects.filter(clinic=clinic, role=User.Role.PATIENT, is_active=True)
        # Two IN subqueries, not a UNION: SQLite refuses a UNION of ordered querysets.
        .filter(Q(pk__in=in_course) | Q(pk__in=reviewing))
        .exclude(pk__in=DiaryEntry.objects.filter(day=today).values("patient_id"))
        .exclude(
            pk__in=Reminder.objects.filter(day=today, kind=Reminder.Kind.EVENING).values(
                "patient_id"
            )
        )
        .exclude(password__startswith="!")  # has not chosen a password yet: cannot sign in
    )


def reminders_send(now=None) -> int:
    """Send today's reminders for every clinic; returns how many were sent. Idempotent."""
    sent = 0
    for clinic in Clinic.objects.all():
        today = (now or timezone.now()).astimezone(clinic.tz).date()
        for patient in patients_to_remind(clinic, now):
            sent += _remind(
                patient,
                day=today,
                kind=Reminder.Kind.EVENING,
                template="reminder",
                context=lambda patient=patient: {
                    "patient": patient,
                    "url": site_url(reverse("diary:entry_today")),
                },
            )
    return sent


def _remind(patient: User, *, day, kind: str, template: str, context) -> bool:
    """Claim the patient's reminder of this kind for the day, then e-mail it in their language.

    The Reminder row comes first, in its own transaction, so two runs at once send it once; a
    mail server that refuses it is logged and the day is not tried again (a reminder, not an
    alert). `context` is a callable: its words are made in the patient's language.
    """
    try:
        with transaction.atomic():
            Reminder.objects.create(patient=patient, day=day, kind=kind)
    except IntegrityError:
        return False  # another run sent it a moment ago
    with translation.override(patient.language):
        values = context()
        subject = render_to_string(f"diary/email/{template}_subject.txt", values).strip()
        body = render_to_string(f"diary/email/{template}_body.txt", values)
    try:
        send_mail(subject, body, None, [patient.email])
    except Exception:
        logger.exception("Could not send the %s reminder to patient %s", kind, patient.pk)
        return False
    return True


def patients_to_recheck(clinic: Clinic, now=None) -> list[tuple[User, tuple[str, ...]]]:
    """Patients of the clinic with a caution yesterday and no entry since, with its codes; from
    the morning hour until the evening hour, when the evening reminder takes over."""
    local = (now or timezone.now()).astimezone(clinic.tz)
    if not MORNING_HOUR <= local.hour < clinic.reminder_hour:
        return []
    today = local.date()
    yesterday = today - timedelta(days=1)
    pending = {
        patient_id: codes
        for patient_id, (day, codes) in pending_rechecks({"clinic": clinic}, today).items()
        if day == yesterday
    }
    if not pending:
        return []
    patients = (
        User.objects.filter(pk__in=pending, role=User.Role.PATIENT, is_active=True)
        .exclude(
            pk__in=Reminder.objects.filter(day=today, kind=Reminder.Kind.RECHECK).values(
                "patient_id"
            )
        )
        .exclude(password__startswith="!")  # has not chosen a password yet: cannot sign in
        .select_related("clinic")
    )
    return [(patient, pending[patient.pk]) for patient in patients]


def recheck_reminders_send(now=None) -> int:
    """Send this morning's re-check e-mails for every clinic; how many were sent. Idempotent."""
    sent = 0
    for clinic in Clinic.objects.all():
        today = (now or timezone.now()).astimezone(clinic.tz).date()
        for patient, codes in patients_to_recheck(clinic, now):
            injection = (
                Injection.objects.filter(patient=patient, day__lte=today).order_by("-day").first()
            )
            limb = limb_of(injection.joint if injection else None)
            sent += _remind(
                patient,
                day=today,
                kind=Reminder.Kind.RECHECK,
                template="recheck",
                context=lambda patient=patient, codes=codes, limb=limb: {
                    "patient": patient,
                    "checks": [str(words) for words in check_words(checks_for(codes), limb)],
                    "url": site_url(reverse("diary:entry_today")),
                },
            )
    return sent
