"""The dashboard's triage order, kept per patient so that the clinic's list stays flat as the
clinic grows.

Order: open urgent flags (oldest first), open caution flags, not logging, a review date within
7 days, then everyone else; within a group the latest activity first.

What depends only on the patient's own flags and diary (the first three groups, the oldest
urgent day, the latest activity) is stored in `PatientTriage` by `triage_refresh`, which every
write that changes them calls in its own transaction: `flagging` (after the rules, after an
acknowledgement) and `privacy` (erasure). The review group depends on today's date, so the
dashboard looks it up when it is read. `manage.py reevaluate_flags` rebuilds every patient's row.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import (
    Case,
    Expression,
    IntegerField,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)

from accounts.models import User
from diary.models import DiaryEntry, Flag, FlagCode, Goal, PatientTriage, Severity

GROUP_URGENT, GROUP_CAUTION, GROUP_NOT_LOGGING, GROUP_REVIEW, GROUP_OTHER = range(5)
REVIEW_WINDOW_DAYS = 7


def open_flags(patient=None, *, severity: str | None = None, code: str | None = None):
    """The open flags of the patient `patient` refers to (by default the outer query's row)."""
    flags = Flag.objects.filter(
        patient=OuterRef("pk") if patient is None else patient, status=Flag.Status.OPEN
    )
    if severity:
        flags = flags.filter(severity=severity)
    if code:
        flags = flags.filter(code=code)
    return flags


def review_window(today: date) -> tuple[date, date]:
    return today - timedelta(days=REVIEW_WINDOW_DAYS), today + timedelta(days=REVIEW_WINDOW_DAYS)


def goals_under_review(today: date) -> QuerySet[Goal]:
    return Goal.objects.filter(patient=OuterRef("pk"), review_date__range=review_window(today))


def _smallest(flags: QuerySet[Flag], value) -> Subquery:
    """The smallest `value` among `flags`, or NULL: an aggregate, not a sort."""
    return Subquery(flags.values("patient").annotate(smallest=Min(value)).values("smallest"))


def _stored_values(patient: OuterRef) -> dict[str, Expression]:
    """What `PatientTriage` holds, computed by the database from the patient's rows."""
    flag_group = Case(
        When(severity=Severity.URGENT, then=Value(GROUP_URGENT)),
        When(severity=Severity.CAUTION, then=Value(GROUP_CAUTION)),
        When(code=FlagCode.MISSED_ENTRIES, then=Value(GROUP_NOT_LOGGING)),
        output_field=IntegerField(),
    )
    return {
        "flag_group": _smallest(open_flags(patient), flag_group),
        "urgent_since": _smallest(open_flags(patient, severity=Severity.URGENT), "first_day"),
        "last_activity": Subquery(
            DiaryEntry.objects.filter(patient=patient)
            .order_by("-updated_at")
            .values("updated_at")[:1]
        ),
    }


def triage_refresh(patient: User) -> None:
    """Store where the patient now stands. Call it inside the transaction that changed the
    patient's flags or diary, after the change and holding the patient's lock."""
    rows = PatientTriage.objects.filter(patient=patient)
    if not rows.update(**_stored_values(OuterRef("patient_id"))):
        PatientTriage.objects.bulk_create([PatientTriage(patient=patient)], ignore_conflicts=True)
        rows.update(**_stored_values(OuterRef("patient_id")))


def triage_rebuild(patients: QuerySet[User]) -> int:
    """Store where each of `patients` stands (bulk imports, repairs); returns how many."""
    PatientTriage.objects.bulk_create(
        [PatientTriage(patient_id=pk) for pk in patients.values_list("pk", flat=True)],
        ignore_conflicts=True,
    )
    return PatientTriage.objects.filter(patient__in=patients).update(
        **_stored_values(OuterRef("patient_id"))
    )


def triage_live(patients: QuerySet[User]) -> QuerySet[User]:
    """`patients` annotated with what their `PatientTriage` row should hold, straight from
    their flags and diary: for checking the stored rows, not for pages."""
    return patients.annotate(**{f"live_{k}": v for k, v in _stored_values(OuterRef("pk")).items()})
