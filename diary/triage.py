"""The dashboard's triage order, kept per patient so that the clinic's list stays flat as the
clinic grows.

Order: open urgent flags (oldest first), open caution flags, not logging, a review date within
7 days, then everyone else; within a group the latest activity first.

What depends only on the patient's own flags and diary (the first three groups, the oldest
urgent day, the latest activity) is stored in `PatientTriage`, in the same transaction as every
write that changes it: `flagging.flags_evaluate` (after each save, with the flags it already
holds), `flagging.flag_acknowledge` and `privacy.patient_erase` (through `triage_refresh`).
The review group depends on today's date, so the dashboard looks it up when it is read.
`manage.py reevaluate_flags` rewrites every patient's row.

A patient whose data was erased (`privacy.patient_erase`) leaves the triage: the row says
`erased`, their open flags were closed as erased, and the dashboard lists them in no group.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import Max, OuterRef, QuerySet

from accounts.models import User
from diary.models import DiaryEntry, ErasureRequest, Flag, FlagCode, Goal, PatientTriage, Severity

GROUP_URGENT, GROUP_CAUTION, GROUP_NOT_LOGGING, GROUP_REVIEW, GROUP_OTHER = range(5)
REVIEW_WINDOW_DAYS = 7
STORED_FIELDS = ("flag_group", "urgent_since", "last_activity", "erased")


def open_flags(*, severity: str | None = None, code: str | None = None) -> QuerySet[Flag]:
    """The open flags of the outer query's patient, for `Exists`."""
    flags = Flag.objects.filter(patient=OuterRef("pk"), status=Flag.Status.OPEN)
    if severity:
        flags = flags.filter(severity=severity)
    if code:
        flags = flags.filter(code=code)
    return flags


def review_window(today: date) -> tuple[date, date]:
    return today - timedelta(days=REVIEW_WINDOW_DAYS), today + timedelta(days=REVIEW_WINDOW_DAYS)


def review_overdue(review_date: date, today: date) -> bool:
    """A review date passed within the review window: the goal still waits for its review visit
    (the dashboard's review group). Earlier ones are past, not overdue: nothing records a review,
    and a goal of last year's course is not a task for today."""
    start, _end = review_window(today)
    return start <= review_date < today


def goals_under_review(today: date) -> QuerySet[Goal]:
    return Goal.objects.filter(patient=OuterRef("pk"), review_date__range=review_window(today))


def _flag_group(code: str, severity: str) -> int | None:
    if severity == Severity.URGENT:
        return GROUP_URGENT
    if severity == Severity.CAUTION:
        return GROUP_CAUTION
    return GROUP_NOT_LOGGING if code == FlagCode.MISSED_ENTRIES else None


def triage_row(
    patient_id: int,
    open_flags: list[tuple[str, str, date]],
    last_activity: datetime | None,
    erased: bool = False,
) -> PatientTriage:
    """The patient's row from their open flags as (code, severity, first day)."""
    groups = [_flag_group(code, severity) for code, severity, _ in open_flags]
    urgent = [first_day for _, severity, first_day in open_flags if severity == Severity.URGENT]
    return PatientTriage(
        patient_id=patient_id,
        flag_group=min((g for g in groups if g is not None), default=None),
        urgent_since=min(urgent, default=None),
        last_activity=last_activity,
        erased=erased,
    )


def triage_store(rows: list[PatientTriage]) -> None:
    """Insert or overwrite these rows, in one statement."""
    PatientTriage.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["patient"], update_fields=STORED_FIELDS
    )


def triage_refresh(patient: User) -> None:
    """Store where the patient now stands, read from their flags and diary. Call it inside the
    transaction that changed them, holding the patient's lock."""
    triage_rebuild(User.objects.filter(pk=patient.pk))


def triage_rebuild(patients: QuerySet[User]) -> int:
    """Store where each of `patients` stands (a whole clinic at once); returns how many."""
    flags: dict[int, list[tuple[str, str, date]]] = {}
    for patient_id, *flag in Flag.objects.filter(
        patient__in=patients, status=Flag.Status.OPEN
    ).values_list("patient_id", "code", "severity", "first_day"):
        flags.setdefault(patient_id, []).append(tuple(flag))
    latest = dict(
        DiaryEntry.objects.filter(patient__in=patients)
        .values("patient")
        .annotate(latest=Max("updated_at"))
        .values_list("patient", "latest")
    )
    erased = set(
        ErasureRequest.objects.filter(
            patient__in=patients, status=ErasureRequest.Status.DONE
        ).values_list("patient_id", flat=True)
    )
    rows = [
        triage_row(pk, flags.get(pk, []), latest.get(pk), pk in erased)
        for pk in patients.values_list("pk", flat=True)
    ]
    triage_store(rows)
    return len(rows)
