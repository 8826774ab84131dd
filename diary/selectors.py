"""Reads: what the views show. Queries live here, not in templates or forms."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, timedelta

from django.db.models import Case, IntegerField, Prefetch, Q, Value, When
from django.utils import timezone

from accounts.models import Clinic, User
from diary.flag_text import LEG, flag_text
from diary.models import (
    DiaryEntry,
    DiaryEntryVersion,
    Flag,
    FlagNotice,
    FlagOccurrence,
    Injection,
)
from diary.red_flags import (
    LAST_THREE_ENTRIES_SPAN_DAYS,
    MISSED_ENTRIES,
    DayRecord,
    days_since_injection,
    early_reaction_on,
    in_reaction_window,
    severity_rank,
)


def clinic_today(clinic: Clinic, now=None) -> date:
    """The calendar day it is now at the clinic: `Clinic.today`, kept for its callers."""
    return clinic.today(now)


@dataclass(frozen=True)
class PatientStatus:
    """What the patient's home page needs to know about today."""

    today: date
    latest_injection: Injection | None
    day_number: int | None
    today_entry: DiaryEntry | None

    @property
    def in_reaction_window(self) -> bool:
        return self.day_number is not None and self.day_number <= 2


def patient_status(patient: User) -> PatientStatus:
    today = clinic_today(patient.clinic)
    latest = (
        Injection.objects.filter(patient=patient, day__lte=today).order_by("-day", "-time").first()
    )
    entry = DiaryEntry.objects.filter(patient=patient, day=today).first()
    day_number = (today - latest.day).days if latest else None
    return PatientStatus(
        today=today, latest_injection=latest, day_number=day_number, today_entry=entry
    )


@dataclass(frozen=True)
class HistoryRow:
    entry: DiaryEntry
    day_number: int | None

    @property
    def edits(self) -> list[EditView]:
        return entry_edits(self.entry)

    @property
    def is_baseline(self) -> bool:
        """Entries before the first injection are the baseline for the outcomes; only fever,
        feeling unwell and spreading redness are judged on them (SPEC §3)."""
        return self.day_number is None


# Days before registration a patient may still fill in (the injection, the days after it and a
# baseline week, when the diary starts at the visit after the injection).
BACKFILL_DAYS = 28


def injection_for_day(patient: User, day: date) -> Injection | None:
    """The injection a diary day is about: the latest on or before it, else the first after it
    (a baseline day already concerns the joint that is injected later); None without one."""
    injections = Injection.objects.filter(patient=patient)
    return (
        injections.filter(day__lte=day).order_by("-day", "-time").first()
        or injections.order_by("day", "time").first()
    )


def injection_days(patient: User) -> list[date]:
    return list(Injection.objects.filter(patient=patient).values_list("day", flat=True))


def earliest_entry_day(patient: User) -> date:
    """The first day the patient may fill in: 1 January of the year they registered (in the
    clinic's time zone), or four weeks before they registered if that is earlier — a patient
    registered in early January, or at the visit after an injection, can still fill in the days
    around it. A day such as 1900-01-01 is a slip on the date picker. No query, so saving an
    entry costs what it did."""
    registered = timezone.localtime(patient.date_joined, patient.clinic.tz).date()
    return min(date(registered.year, 1, 1), registered - timedelta(days=BACKFILL_DAYS))


def history_rows(patient: User, entries) -> list[HistoryRow]:
    """Entries (any iterable, e.g. one page) with their day N since the injection."""
    days = injection_days(patient)
    return [HistoryRow(entry, days_since_injection(entry.day, days)) for entry in entries]


def entries_with_edits(patient: User):
    """The patient's entries, latest first, with their earlier versions fetched in one query."""
    return (
        DiaryEntry.objects.filter(patient=patient)
        .order_by("-day")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=DiaryEntryVersion.objects.select_related("changed_by").order_by(
                    "-changed_at", "-id"
                ),
            )
        )
    )


@dataclass(frozen=True)
class EditView:
    """One edit of an entry: when, by whom, and each changed field's earlier value."""

    changed_at: object
    changed_by: User | None
    changes: list[tuple[str, object]]
    via_clinic_link: bool = False  # saved in a session opened by a link the clinic sent


def entry_edits(entry: DiaryEntry) -> list[EditView]:
    """Readable edit history from prefetched versions (no query of its own)."""
    edits = []
    for version in entry.versions.all():
        changes = []
        for name in version.changed_fields:
            field = DiaryEntry._meta.get_field(name)
            old = version.data.get(name)
            if field.choices and old is not None:
                old = dict(field.flatchoices).get(old, old)
            changes.append((field.verbose_name, "—" if old in (None, "") else old))
        edits.append(
            EditView(version.changed_at, version.changed_by, changes, version.via_clinic_link)
        )
    return edits


@dataclass(frozen=True)
class FindingView:
    """A finding or flag ready to show: code, severity and the words for it."""

    code: str
    severity: str
    text: object  # diary.flag_text.FlagText
    flag: object | None = None  # diary.models.Flag, when shown from a stored flag

    @property
    def is_urgent(self) -> bool:
        return self.severity == "urgent"


def _finding_views(items, limb: str) -> list[FindingView]:
    views = [
        FindingView(code, severity, flag_text(code, severity, limb), flag)
        for code, severity, flag in items
    ]
    return sorted(views, key=lambda v: (-severity_rank(v.severity), v.code))


def entry_records(patient: User, first: date, last: date) -> list[DayRecord]:
    """The patient's entries of `first`..`last` as the rules read them (plain values)."""
    names = [f.name for f in fields(DayRecord)]  # the model names its columns alike
    rows = DiaryEntry.objects.filter(patient=patient, day__range=(first, last)).values_list(*names)
    return [DayRecord(*row) for row in rows]


def day_findings(patient: User, day: date, *, limb: str = LEG) -> list[FindingView]:
    """What the rules found on one day, most severe first (for the patient's confirmation).

    Read from what the save stored (the day's live flag occurrences), not by running the rules
    again. The one finding never stored, the expected early reaction (advice for the patient,
    shown only when nothing more serious fired), comes from `red_flags.early_reaction_on` over
    that day and the four before. Every day is shown, also one before the first injection or
    without any: fever, feeling unwell and spreading redness are judged on every day. `limb`
    words the patient's texts.
    """
    stored = (
        FlagOccurrence.objects.filter(flag__patient=patient, day=day, withdrawn_at=None)
        .exclude(flag__status=Flag.Status.WITHDRAWN)
        .exclude(flag__code=MISSED_ENTRIES)
        .values_list("flag__code", "severity")
    )
    items = [(code, severity, None) for code, severity in stored]
    if not items:
        injections = list(Injection.objects.filter(patient=patient).values_list("day", flat=True))
        if in_reaction_window(day, injections):
            records = entry_records(
                patient, day - timedelta(days=LAST_THREE_ENTRIES_SPAN_DAYS), day
            )
            reaction = early_reaction_on(records, injections, day)
            items = [(reaction.code, reaction.severity, None)] if reaction else []
    return _finding_views(items, limb)


SEVERITY_ORDERING = Case(
    When(severity="urgent", then=Value(0)),
    When(severity="caution", then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def patient_flags(patient: User):
    """All of a patient's flags for the clinic: open first, most severe first, then latest."""
    return (
        Flag.objects.filter(patient=patient)
        .select_related("acknowledged_by")
        .prefetch_related(
            "occurrences",
            Prefetch("notices", queryset=FlagNotice.objects.select_related("recipient")),
        )
        .annotate(
            open_first=Case(
                When(status=Flag.Status.OPEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            severity_order=SEVERITY_ORDERING,
        )
        .order_by("open_first", "severity_order", "-last_day", "-id")
    )


def access_log_filter(rows, *, who="", patient="", action="", since=None, until=None):
    """Narrow the access log by who, which patient, what and when (dates in the clinic's zone)."""
    if who:
        rows = rows.filter(Q(user__name__icontains=who) | Q(user__email__icontains=who))
    if patient:
        rows = rows.filter(
            Q(patient__name__icontains=patient) | Q(patient__patient_number__icontains=patient)
        )
    if action:
        rows = rows.filter(action=action)
    if since:
        rows = rows.filter(at__date__gte=since)
    if until:
        rows = rows.filter(at__date__lte=until)
    return rows
