"""Reads for the patient's pages: what is true about each warning, said without guessing.

The home page lists the patient's warnings with the day each started, whether the clinic was
really told (an urgent sign: the alert e-mail went out, `FlagOccurrence.notified_at`; a caution
sign: the daily summary e-mail, `Flag.digested_at`), whether the clinic has seen it
(acknowledged), and whether the latest answers still show it. The confirmation page says whether
the clinic was alerted about that day; the history marks the days that raised a warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Max, Q
from django.template.defaultfilters import yesno
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from diary.flag_text import LEG, flag_text
from diary.models import DiaryEntry, Flag, FlagCode, FlagOccurrence, Severity
from diary.red_flags import days_since_injection, severity_rank
from diary.selectors import EditView, FindingView, entry_edits, injection_days

# How long a warning the clinic has acknowledged stays on the home page, saying so.
SEEN_SHOWN_DAYS = 7

# What the patient is told about the clinic hearing of a warning.
ALERT_SENT = "sent"  # urgent: an alert e-mail went out to the clinic's clinicians
ALERT_PENDING = "pending"  # urgent: no e-mail got through yet (mail server down, no clinician)
DIGEST_SENT = "digest_sent"  # caution: listed in the clinic's daily summary e-mail
DIGEST_PENDING = "digest_pending"  # caution: not in a summary e-mail yet


@dataclass(frozen=True)
class WarningView:
    """One warning on the home page and what is true about it."""

    finding: FindingView
    first_day: date
    last_day: date
    first_day_number: int | None  # day N after the injection on the first day (None: baseline)
    is_open: bool  # False: acknowledged by the clinic
    told: str  # ALERT_SENT, ALERT_PENDING, DIGEST_SENT or DIGEST_PENDING
    told_at: datetime | None
    seen_at: datetime | None
    quieter_on: date | None  # the latest entry's day, when it no longer shows the sign

    @property
    def is_current_urgent(self) -> bool:
        """An open urgent warning that the latest answers still show: call now."""
        return self.is_open and self.finding.is_urgent and self.quieter_on is None


@dataclass(frozen=True)
class HomeWarnings:
    warnings: list[WarningView]

    @property
    def call(self) -> str:
        """Which call to show beside the list: "now", "today" or "" (nothing left to call about)."""
        if any(w.is_current_urgent for w in self.warnings):
            return "now"
        if any(w.is_open for w in self.warnings):
            return "today"
        return ""

    def __bool__(self) -> bool:
        return bool(self.warnings)

    def __iter__(self):
        return iter(self.warnings)

    def __len__(self) -> int:
        return len(self.warnings)


def clinic_can_be_alerted(clinic_id: int) -> bool:
    """Whether anyone receives the clinic's alert e-mails (diary.alerts sends to its active
    clinicians). A clinic without one marks a day as alerted although no e-mail left."""
    return User.objects.filter(
        clinic_id=clinic_id, role=User.Role.CLINICIAN, is_active=True
    ).exists()


def home_warnings(patient: User, *, limb: str = LEG, now: datetime | None = None) -> HomeWarnings:
    """The patient's open warnings, and those the clinic acknowledged in the last week.

    Open first, most severe first, latest first. `missed_entries` is for the clinic only. An
    acknowledged warning is left out while a newer one of the same kind is open.
    """
    now = now or timezone.now()
    flags = list(
        Flag.objects.filter(patient=patient)
        .exclude(code=FlagCode.MISSED_ENTRIES)
        .filter(
            Q(status=Flag.Status.OPEN)
            | Q(
                status=Flag.Status.ACKNOWLEDGED,
                acknowledged_at__gte=now - timedelta(days=SEEN_SHOWN_DAYS),
            )
        )
        .prefetch_related("occurrences")
    )
    if not flags:
        return HomeWarnings([])
    latest_entry = DiaryEntry.objects.filter(patient=patient).aggregate(day=Max("day"))["day"]
    injections = injection_days(patient)
    alertable = clinic_can_be_alerted(patient.clinic_id)
    open_codes = {f.code for f in flags if f.status == Flag.Status.OPEN}
    warnings = []
    for flag in flags:
        is_open = flag.status == Flag.Status.OPEN
        if not is_open and flag.code in open_codes:
            continue
        told, told_at = _told(flag, alertable)
        warnings.append(
            WarningView(
                finding=FindingView(
                    flag.code, flag.severity, flag_text(flag.code, flag.severity, limb), flag
                ),
                first_day=flag.first_day,
                last_day=flag.last_day,
                first_day_number=days_since_injection(flag.first_day, injections),
                is_open=is_open,
                told=told,
                told_at=told_at,
                seen_at=flag.acknowledged_at,
                quieter_on=(
                    latest_entry
                    if is_open and latest_entry is not None and latest_entry > flag.last_day
                    else None
                ),
            )
        )
    warnings.sort(
        key=lambda w: (
            not w.is_open,
            -severity_rank(w.finding.severity),
            -w.last_day.toordinal(),
            w.finding.code,
        )
    )
    return HomeWarnings(warnings)


def _told(flag: Flag, alertable: bool) -> tuple[str, datetime | None]:
    if flag.severity == Severity.URGENT:
        urgent = [
            o for o in flag.occurrences.all() if o.withdrawn_at is None and o.severity == "urgent"
        ]
        sent = [o.notified_at for o in urgent]
        if alertable and urgent and all(sent):
            return ALERT_SENT, max(sent)
        return ALERT_PENDING, None
    if flag.digested_at is not None and alertable:
        return DIGEST_SENT, flag.digested_at
    return DIGEST_PENDING, None


@dataclass(frozen=True)
class DayAlert:
    """Whether the clinic was e-mailed about a day's urgent signs: `sent_at`, or None."""

    sent_at: datetime | None


def day_alert(patient: User, day: date) -> DayAlert | None:
    """The alert about the day's urgent signs; None when the day raised none.

    An urgent day is e-mailed to the clinicians right after it is saved (diary.alerts); a day
    no e-mail got through for stays pending until the next try, and the page says so.
    """
    sent = list(
        FlagOccurrence.objects.filter(
            flag__patient=patient, day=day, severity=Severity.URGENT, withdrawn_at__isnull=True
        )
        .exclude(flag__status=Flag.Status.WITHDRAWN)
        .values_list("notified_at", flat=True)
    )
    if not sent:
        return None
    if all(sent) and clinic_can_be_alerted(patient.clinic_id):
        return DayAlert(max(sent))
    return DayAlert(None)


@dataclass(frozen=True)
class DayWarning:
    code: str
    severity: str
    title: object


@dataclass(frozen=True)
class PatientHistoryRow:
    """A day in the patient's history: its entry, day N, the warnings it raised and its edits."""

    entry: DiaryEntry
    day_number: int | None
    warnings: list[DayWarning]
    edits: list[EditView]

    @property
    def is_baseline(self) -> bool:
        return self.day_number is None

    @property
    def severity(self) -> str:
        """The most severe warning of the day, or ""."""
        return self.warnings[0].severity if self.warnings else ""


def patient_history_rows(patient: User, entries, *, limb: str = LEG) -> list[PatientHistoryRow]:
    """Rows for entries fetched with `selectors.entries_with_edits` (their versions prefetched):
    two queries for any number of rows (the injections and the warnings of those days)."""
    entries = list(entries)
    days = injection_days(patient)
    found: dict[date, list[DayWarning]] = {}
    occurrences = (
        FlagOccurrence.objects.filter(
            flag__patient=patient,
            day__in=[entry.day for entry in entries],
            withdrawn_at__isnull=True,
        )
        .exclude(flag__status=Flag.Status.WITHDRAWN)
        .exclude(flag__code=FlagCode.MISSED_ENTRIES)
        .values_list("day", "flag__code", "severity")
    )
    for day, code, severity in sorted(set(occurrences)):
        title = flag_text(code, severity, limb).title
        found.setdefault(day, []).append(DayWarning(code, severity, title))
    for warnings in found.values():
        warnings.sort(key=lambda w: (-severity_rank(w.severity), w.code))
    return [
        PatientHistoryRow(
            entry,
            days_since_injection(entry.day, days),
            found.get(entry.day, []),
            [_readable(edit) for edit in entry_edits(entry)],
        )
        for entry in entries
    ]


def _readable(edit: EditView) -> EditView:
    """Earlier yes/no answers in words (the stored version keeps True and False)."""
    changes = [
        (label, yesno(old, _("yes,no")) if isinstance(old, bool) else old)
        for label, old in edit.changes
    ]
    return EditView(edit.changed_at, edit.changed_by, changes, edit.via_clinic_link)


def history_page_of(patient: User, day: date, *, per_page: int) -> int:
    """The page of the history (latest first) on which `day` is listed."""
    later = DiaryEntry.objects.filter(patient=patient, day__gt=day).count()
    return later // per_page + 1
