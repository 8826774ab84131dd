"""A synthetic clinic of any size, for benchmarks and scaling tests (not for demos).

Bulk inserts: 2,000 patients × 90 days is 180,000 entries, so rows are written in batches and
flags are created directly rather than through the rules (which are benchmarked separately).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.models import Clinic, User
from diary.models import DiaryEntry, DiaryEntryVersion, Flag, FlagOccurrence, Goal, Injection
from diary.triage import triage_rebuild

BATCH = 2000


@transaction.atomic
def synthetic_clinic(
    *,
    patients: int,
    days: int,
    today: date,
    injected_days_ago: int = 35,
    seed: int = 1,
    name: str = "Synthetic clinic",
) -> Clinic:
    """Patients with `days` days of diary each, an injection (by default 35 days ago, so the
    4-week review has passed), some open flags, a goal each and one edited entry each."""
    rng = random.Random(seed)
    clinic = Clinic.objects.create(name=name, phone="03-0000-0000")
    password = make_password(None)
    users = User.objects.bulk_create(
        User(
            email=f"synthetic-{clinic.pk}-{n}@example.invalid",
            name=f"Patient {n:05d}",
            role=User.Role.PATIENT,
            clinic=clinic,
            patient_number=f"S-{n:05d}",
            password=password,
        )
        for n in range(patients)
    )
    injected = today - timedelta(days=min(injected_days_ago, days - 1))
    injections = Injection.objects.bulk_create(
        Injection(patient=u, day=injected, joint="knee", side="left", agent="hyaluronic_acid")
        for u in users
    )
    entries = []
    for user in users:
        pain = rng.randint(3, 8)
        for ago in range(days):
            pain = max(0, min(10, pain + rng.choice((-1, 0, 0, 1))))
            entries.append(
                DiaryEntry(
                    patient=user,
                    day=today - timedelta(days=ago),
                    pain=pain,
                    swelling=rng.randint(0, 2),
                    warmth=rng.randint(0, 1),
                    redness="none",
                    weight_bearing="full",
                    temperature_c=None,
                    night_pain=max(0, pain - 1),
                )
            )
    DiaryEntry.objects.bulk_create(entries, batch_size=BATCH)
    latest = {e.patient_id: e for e in DiaryEntry.objects.filter(patient__clinic=clinic, day=today)}
    DiaryEntryVersion.objects.bulk_create(
        DiaryEntryVersion(entry=e, data=e.snapshot(), changed_fields=["pain"])
        for e in latest.values()
    )
    flags = Flag.objects.bulk_create(
        Flag(
            patient=user,
            code="not_easing" if n % 7 else "fever",
            severity="caution" if n % 7 else "urgent",
            first_day=today,
            last_day=today,
        )
        for n, user in enumerate(users)
        if n % 5 == 0
    )
    FlagOccurrence.objects.bulk_create(
        FlagOccurrence(flag=f, day=today, severity=f.severity, evidence_days=[today.isoformat()])
        for f in flags
    )
    Goal.objects.bulk_create(
        Goal(
            patient=i.patient,
            injection=i,
            kind="ability",
            title="Walk to the station",
            baseline=3,
            target=7,
            review_date=i.day + timedelta(days=28),
        )
        for i in injections
    )
    triage_rebuild(clinic.users.filter(role=User.Role.PATIENT))
    return clinic
