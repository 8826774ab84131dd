"""The clinic's call list: today's patients to phone, and what came of each call.

A patient is on the list for an urgent warning sign or a caution nobody has acknowledged, a
re-check after a caution not done by the next evening (diary/recheck.py), or not logging (an
open `missed_entries` flag). One row per patient, its reasons most pressing first. A patient
reached today moves to the list's end ("called today"); after no answer or a message they stay
on it, with the attempts shown, to be tried again.

Six queries whatever the size of the clinic: the open flags, the cautions of the re-check
window, the latest diary days, the patients, their latest injections and the recent calls.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import pgettext

from accounts.models import Clinic, User
from diary.flag_text import flag_name, tel_href
from diary.models import CallOutcome, CallReason, Flag, FlagCode, Injection, Severity
from diary.recheck import caution_days_by_patient, is_overdue, last_entry_days, pending_day

REASON_ORDER = (CallReason.URGENT, CallReason.CAUTION, CallReason.RECHECK, CallReason.NOT_LOGGING)
RECENT_CALL_DAYS = 7  # calls shown beside a row: the last week's


@dataclass(frozen=True)
class Phone:
    number: str
    href: str
    label: str = ""  # whose number, for the second one


@dataclass
class ReasonLine:
    reason: str  # a CallReason value
    since: date | None = None  # the flag's first day, the caution's day, the last entry
    codes: list[str] = field(default_factory=list)  # flag codes (FlagCode values)

    @property
    def rank(self) -> int:
        return REASON_ORDER.index(self.reason)

    @property
    def code_labels(self) -> str:
        """The flags' names in the active language, e.g. "Fever; Not easing"."""
        # Not a comma: flag names have commas of their own ("Hot, swollen, painful joint").
        separator = pgettext("between the names of red flags", "; ")
        return separator.join(flag_name(code) for code in self.codes)


@dataclass
class CallRow:
    patient_id: int
    public_id: str = ""
    name: str = ""
    name_kana: str = ""
    patient_number: str = ""
    phones: list[Phone] = field(default_factory=list)
    day_number: int | None = None
    last_entry_day: date | None = None
    reasons: list[ReasonLine] = field(default_factory=list)
    calls: list[CallOutcome] = field(default_factory=list)  # the last week's, latest first
    reached_today: bool = False  # the latest call, today, reached the patient

    @property
    def reason(self) -> str:
        """The most pressing reason: what a call from this row is recorded for."""
        return self.reasons[0].reason

    def sort_key(self):
        first = self.reasons[0]
        return (first.rank, first.since or date.max, self.name, self.patient_id)


@dataclass(frozen=True)
class CallList:
    today: date
    to_call: list[CallRow]
    called: list[CallRow]  # reached today


def _reason_rows(clinic: Clinic, today: date, local_now: datetime) -> dict[int, CallRow]:
    rows: dict[int, CallRow] = {}

    def row(patient_id: int) -> CallRow:
        return rows.setdefault(patient_id, CallRow(patient_id))

    flags = Flag.objects.filter(
        status=Flag.Status.OPEN,
        patient__clinic=clinic,
        patient__role=User.Role.PATIENT,
        patient__is_active=True,
    ).order_by("first_day", "id")
    found: dict[tuple[int, str], ReasonLine] = {}
    for patient_id, code, severity, first_day in flags.values_list(
        "patient_id", "code", "severity", "first_day"
    ):
        if severity == Severity.URGENT:
            reason = CallReason.URGENT
        elif severity == Severity.CAUTION:
            reason = CallReason.CAUTION
        elif code == FlagCode.MISSED_ENTRIES:
            reason = CallReason.NOT_LOGGING
        else:
            continue  # an expected reaction: nobody to call
        line = found.get((patient_id, reason))
        if line is None:
            line = found[(patient_id, reason)] = ReasonLine(reason, first_day)
            row(patient_id).reasons.append(line)
        if reason != CallReason.NOT_LOGGING:
            line.codes.append(code)

    cautions = caution_days_by_patient({"clinic": clinic, "role": User.Role.PATIENT}, today)
    last_days = last_entry_days({*rows, *cautions})
    for patient_id, days in cautions.items():
        day = pending_day(days, last_days.get(patient_id), today)
        if day is not None and is_overdue(day, local_now, clinic.reminder_hour):
            codes = sorted(days[day])
            row(patient_id).reasons.append(ReasonLine(CallReason.RECHECK, day, codes))
    for patient_id, call_row in rows.items():
        call_row.last_entry_day = last_days.get(patient_id)
        call_row.reasons.sort(key=lambda line: line.rank)
    return rows


def call_list(clinic: Clinic, now: datetime | None = None) -> CallList:
    """Today's call list of the clinic, in a fixed number of queries."""
    now = now or timezone.now()
    local_now = now.astimezone(clinic.tz)
    today = local_now.date()
    rows = _reason_rows(clinic, today, local_now)
    if not rows:
        return CallList(today, [], [])
    ids = list(rows)

    for values in User.objects.filter(pk__in=ids).values(
        "pk", "public_id", "name", "name_kana", "patient_number", "phone", "phone2", "phone2_label"
    ):
        row = rows[values["pk"]]
        row.public_id = str(values["public_id"])
        row.name, row.name_kana = values["name"], values["name_kana"]
        row.patient_number = values["patient_number"]
        row.phones = phones_of(values["phone"], values["phone2"], values["phone2_label"])

    latest_injections = (
        Injection.objects.filter(patient_id__in=ids, day__lte=today)
        .values("patient_id")
        .annotate(latest=Max("day"))
    )
    for values in latest_injections:
        rows[values["patient_id"]].day_number = (today - values["latest"]).days

    start_of_today = datetime.combine(today, datetime.min.time(), tzinfo=clinic.tz)
    recent = CallOutcome.objects.filter(
        patient_id__in=ids, at__gte=now - timedelta(days=RECENT_CALL_DAYS)
    ).select_related("by")
    for outcome in recent.order_by("-at", "-id"):
        row = rows[outcome.patient_id]
        if not row.calls:  # the latest call decides: no answer after a reached one, call again
            row.reached_today = (
                outcome.result == CallOutcome.Result.REACHED and outcome.at >= start_of_today
            )
        row.calls.append(outcome)

    ordered = sorted(rows.values(), key=CallRow.sort_key)
    return CallList(
        today,
        to_call=[row for row in ordered if not row.reached_today],
        called=[row for row in ordered if row.reached_today],
    )


def phones_of(phone: str, phone2: str, phone2_label: str) -> list[Phone]:
    """A patient's numbers as `tel:` links, the second with whose number it is."""
    phones = [Phone(phone, tel_href(phone))] if phone else []
    if phone2:
        phones.append(Phone(phone2, tel_href(phone2), phone2_label))
    return phones


def patient_phones(patient: User) -> list[Phone]:
    return phones_of(patient.phone, patient.phone2, patient.phone2_label)


def patient_calls(patient: User, limit: int = 20) -> list[CallOutcome]:
    """The patient's latest calls, for the patient page's timeline."""
    calls = CallOutcome.objects.filter(patient=patient).select_related("by")
    return list(calls.order_by("-at", "-id")[:limit])


def call_outcome_record(
    *, patient: User, by: User, result: str, reason: str, note: str = ""
) -> CallOutcome:
    """Record how a call went. The caller writes the access log in the same transaction."""
    with transaction.atomic():
        outcome = CallOutcome(
            patient=patient, by=by, result=result, reason=reason, note=note.strip()
        )
        outcome.full_clean()
        outcome.save()
    return outcome
