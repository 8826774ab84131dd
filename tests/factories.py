"""Plain helpers that create rows for tests. Defaults are valid; override what a test is about."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from accounts.models import Clinic, User
from diary.models import DiaryEntry, Injection
from diary.triage import triage_refresh

TOKYO = ZoneInfo("Asia/Tokyo")
# The fixed "now" of the suite: a Thursday morning in the clinic.
FROZEN_NOW = datetime(2026, 11, 26, 10, 0, tzinfo=TOKYO)
TODAY = FROZEN_NOW.date()
PASSWORD = "pw-Patient-12345"

# One complete, valid set of diary answers (what the form's cleaned_data holds, minus the day).
ENTRY_VALUES = {
    "pain": 4,
    "swelling": 1,
    "warmth": 0,
    "redness": "none",
    "weight_bearing": "full",
    "temperature_c": Decimal("36.8"),
    "feverish": False,
    "unwell": False,
    "night_pain": 3,
    "exercise_minutes": 20,
    "painkiller": False,
    "notes": "",
}


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def make_clinic(name: str = "Sakura Clinic", **fields) -> Clinic:
    fields.setdefault("phone", "03-1111-2222")
    return Clinic.objects.create(name=name, **fields)


def make_user(
    email: str,
    *,
    clinic: Clinic | None,
    role: str = User.Role.PATIENT,
    password: str | None = PASSWORD,
    **fields,
) -> User:
    fields.setdefault("name", email.split("@")[0].title())
    return User.objects.create_user(email, password, role=role, clinic=clinic, **fields)


def make_patient(email: str, *, clinic: Clinic, **fields) -> User:
    return make_user(email, clinic=clinic, role=User.Role.PATIENT, **fields)


def make_clinician(email: str, *, clinic: Clinic, **fields) -> User:
    return make_user(email, clinic=clinic, role=User.Role.CLINICIAN, **fields)


def make_injection(patient: User, *, day: date, **fields) -> Injection:
    fields.setdefault("joint", "knee")
    fields.setdefault("side", "left")
    fields.setdefault("agent", "hyaluronic_acid")
    return Injection.objects.create(patient=patient, day=day, **fields)


def make_entry(patient: User, *, day: date, **fields) -> DiaryEntry:
    """An entry written straight to the database (no rules run); the dashboard's stored triage
    sees it, as it would after `entry_save`."""
    entry = DiaryEntry.objects.create(patient=patient, day=day, **{**ENTRY_VALUES, **fields})
    triage_refresh(patient)
    return entry


def _as_text(day: date | str | None) -> str | None:
    return day.isoformat() if isinstance(day, date) else day


def entry_form_data(day: date | str | None = TODAY, **overrides) -> dict:
    """POST data for the diary form: every answer given, as a browser would send it.

    Pass a value of None to leave that field out, as when nothing was chosen.
    """
    data = {
        "day": _as_text(day),
        "pain": "4",
        "swelling": "1",
        "warmth": "0",
        "redness": "none",
        "weight_bearing": "full",
        "temperature_c": "36.8",
        "night_pain": "3",
        "exercise_minutes": "20",
        "notes": "",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def injection_form_data(day: date | str | None = TODAY, **overrides) -> dict:
    data = {
        "day": _as_text(day),
        "time": "",
        "joint": "knee",
        "side": "right",
        "agent": "corticosteroid",
        "course_number": "1",
        "course_total": "",
        "given_by": "Dr. Yamada",
        "notes": "",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


# --- Goals and ratings (issue 4) ------------------------------------------------------------

from diary.models import GlobalRating, Goal, GoalRating  # noqa: E402

REVIEW_AFTER_DAYS = 28  # the default review date: four weeks after the injection


def make_goal(
    patient: User,
    *,
    injection: Injection | None = None,
    kind: str = "ability",
    review_date: date | None = None,
    **fields,
) -> Goal:
    """An agreed goal: an ability 3 → 7 or a symptom (night pain) 6 → 3, reviewed at day 28."""
    if kind == "symptom":
        fields.setdefault("title", "Night pain at most 3")
        fields.setdefault("measure", "night_pain")
        fields.setdefault("baseline", Decimal("6"))
        fields.setdefault("target", Decimal("3"))
    else:
        fields.setdefault("title", "Walk the whole shopping trip")
        fields.setdefault("baseline", Decimal("3"))
        fields.setdefault("target", Decimal("7"))
    if review_date is None:
        start = injection.day if injection is not None else TODAY
        review_date = start + timedelta(days=REVIEW_AFTER_DAYS)
    return Goal.objects.create(
        patient=patient, injection=injection, kind=kind, review_date=review_date, **fields
    )


def rate_goal(goal: Goal, *, day: date, value: int) -> GoalRating:
    return GoalRating.objects.create(goal=goal, day=day, value=value)


def rate_overall(patient: User, *, day: date, value: int) -> GlobalRating:
    return GlobalRating.objects.create(patient=patient, day=day, value=value)


def make_entries(patient: User, *, first: date, count: int, **fields) -> list[DiaryEntry]:
    """`count` consecutive daily entries from `first`, all with the same values."""
    return [make_entry(patient, day=first + timedelta(days=n), **fields) for n in range(count)]


def goal_form_data(injection: Injection | None = None, **overrides) -> dict:
    """POST data for the clinician's goal form: an ability goal 3 → 7 reviewed at day 28."""
    start = injection.day if injection is not None else TODAY
    data = {
        "injection": str(injection.pk) if injection is not None else "",
        "kind": "ability",
        "title": "Walk the whole shopping trip",
        "measure": "",
        "baseline": "3",
        "target": "7",
        "review_date": (start + timedelta(days=REVIEW_AFTER_DAYS)).isoformat(),
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


# Helpers for the red-flag tests (added with them).


def save_entry(patient: User, day: date = TODAY, **changes):
    """Save a diary day through `entry_save`, as the patient, so the red-flag rules run."""
    from diary.services import entry_save  # services import models; keep this module light

    return entry_save(
        patient=patient, day=day, values={**ENTRY_VALUES, **changes}, saved_by=patient
    )


def make_patient_injected(email: str, *, clinic: Clinic, injected_days_ago: int, **fields) -> User:
    """A patient whose only injection was `injected_days_ago` days before TODAY."""
    user = make_patient(email, clinic=clinic, **fields)
    make_injection(user, day=days_ago(injected_days_ago))
    return user


def clinic_morning(day: date) -> datetime:
    """10:00 in Tokyo on `day`, to move the clock to with `time_machine.move_to(..., tick=False)`.

    Moving weeks ahead outlives the test client's session: sign in again afterwards.
    """
    return datetime.combine(day, FROZEN_NOW.timetz())


# Helpers for the visit-report tests (issue 6).


def make_daily_pain(patient: User, *, first: date, pains, **fields) -> list[DiaryEntry]:
    """One entry a day from `first`, the n-th with the n-th pain score of `pains`."""
    return [
        make_entry(patient, day=first + timedelta(days=n), pain=pain, **fields)
        for n, pain in enumerate(pains)
    ]


def make_flag(patient: User, *, code: str, severity: str, first_day: date, **fields):
    """A red flag as the rules would leave it (open); pass `acknowledged_by` and `action` to
    have it acknowledged now."""
    from diary.models import Flag

    fields.setdefault("last_day", first_day)
    if fields.get("acknowledged_by") is not None:
        fields.setdefault("status", Flag.Status.ACKNOWLEDGED)
        fields.setdefault("acknowledged_at", FROZEN_NOW)
    flag = Flag.objects.create(
        patient=patient, code=code, severity=severity, first_day=first_day, **fields
    )
    triage_refresh(patient)
    return flag


# Helpers for the privacy tests (issue 7).


def make_health_record(patient: User, *, note: str, clinician: User) -> dict:
    """One of everything the diary keeps about a patient, with `note` in every free-text field:
    an injection, an entry edited once (its earlier values kept as a version), a goal with a
    rating, an overall rating, and a red flag acknowledged by `clinician` with one occurrence."""
    from diary.models import DiaryEntryVersion, Flag, FlagOccurrence

    injection = make_injection(
        patient, day=days_ago(10), notes=f"{note} (injection)", given_by="Dr. Yamada"
    )
    entry = make_entry(patient, day=days_ago(4), pain=7, notes=f"{note} (entry)")
    version = DiaryEntryVersion.objects.create(
        entry=entry,
        data={**entry.snapshot(), "pain": 5, "notes": f"{note} (before the edit)"},
        changed_fields=["pain", "notes"],
        changed_by=patient,
    )
    goal = make_goal(patient, injection=injection, title=f"{note} (goal)")
    goal_rating = rate_goal(goal, day=days_ago(2), value=5)
    overall = rate_overall(patient, day=days_ago(2), value=6)
    flag = make_flag(
        patient,
        code="fever",
        severity="urgent",
        first_day=days_ago(4),
        acknowledged_by=clinician,
        action=Flag.Action.CALLED,
        note=f"{note} (flag)",
    )
    occurrence = FlagOccurrence.objects.create(
        flag=flag, day=days_ago(4), severity="urgent", evidence_days=[days_ago(4).isoformat()]
    )
    return {
        "injection": injection,
        "entry": entry,
        "version": version,
        "goal": goal,
        "goal_rating": goal_rating,
        "overall": overall,
        "flag": flag,
        "occurrence": occurrence,
    }


def make_passkey(user: User, *, name: str = "iPhone", **fields):
    """A registered passkey (django-otp-webauthn's credential) with made-up key material."""
    from django_otp_webauthn.models import WebAuthnCredential

    values = {
        "credential_id": os.urandom(16),
        "public_key": b"not-a-real-key",
        "sign_count": 0,
        "aaguid": "00000000-0000-0000-0000-000000000000",
        "confirmed": True,
        **fields,
    }
    return WebAuthnCredential.objects.create(user=user, name=name, **values)
