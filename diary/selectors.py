"""Reads: what the views show. Queries live here, not in templates or forms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from accounts.models import Clinic, User
from diary.models import DiaryEntry, Injection


def clinic_today(clinic: Clinic, now=None) -> date:
    """The calendar day it is now at the clinic (default Asia/Tokyo), whatever the server's zone."""
    now = now or timezone.now()
    return now.astimezone(clinic.tz).date()


def days_since_injection(day: date, injection_days) -> int | None:
    """Day N: days since the latest injection on or before `day`; None before the first one."""
    earlier = [injected for injected in injection_days if injected <= day]
    if not earlier:
        return None
    return (day - max(earlier)).days


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
    def is_baseline(self) -> bool:
        """Entries before the first injection are the baseline, not judged by the rules."""
        return self.day_number is None


def injection_days(patient: User) -> list[date]:
    return list(Injection.objects.filter(patient=patient).values_list("day", flat=True))


def history_rows(patient: User, entries) -> list[HistoryRow]:
    """Entries (any iterable, e.g. one page) with their day N since the injection."""
    days = injection_days(patient)
    return [HistoryRow(entry, days_since_injection(entry.day, days)) for entry in entries]


def clinic_patients(clinic: Clinic):
    """The clinic's patients with their latest entry day; one query."""
    from django.db.models import Max

    return (
        User.objects.filter(clinic=clinic, role=User.Role.PATIENT)
        .annotate(
            last_entry_day=Max("diary_entries__day"), last_injection_day=Max("injections__day")
        )
        .order_by("name")
    )
