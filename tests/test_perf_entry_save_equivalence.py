"""The faster flags_evaluate stores exactly what the straightforward one stored.

`reference_flags_evaluate` below is flags_evaluate as it was before it was made faster (model
instances for the diary, a query per flag to refresh it, get_or_create per new firing day, an
exists() per old "not logging" day). Over many synthetic histories (diary/synthetic.py, with
its flags written directly, not by the rules) and random edits, acknowledgements, alerts, new
injections, new thresholds and days passing, both run on the same state and must leave the same
flags and occurrences, column by column, and report the same changes.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from diary import red_flags
from diary.alerts import urgent_alerts_send
from diary.flagging import (
    FlagChanges,
    _escalated_after_acknowledgement,
    _is_stored,
    _occurrence_update,
    flag_acknowledge,
    flags_evaluate,
)
from diary.models import DiaryEntry, Flag, FlagOccurrence, Injection, Severity
from diary.synthetic import synthetic_clinic
from tests.factories import FROZEN_NOW, TODAY, make_clinician

pytestmark = pytest.mark.django_db

SEEDS = range(30)
STEPS = 12

# --- The reference: flags_evaluate before it was made faster --------------------------------


def reference_findings(patient: User, *, today: date) -> list[red_flags.Finding]:
    clinic = patient.clinic
    entries = DiaryEntry.objects.filter(patient=patient).only(
        "day", "pain", "swelling", "warmth", "redness", "weight_bearing",
        "temperature_c", "feverish", "unwell",
    )  # fmt: skip
    injections = Injection.objects.filter(patient=patient).values_list("day", flat=True)
    records = [
        red_flags.DayRecord(
            day=entry.day,
            pain=entry.pain,
            swelling=entry.swelling,
            warmth=entry.warmth,
            redness=entry.redness,
            weight_bearing=entry.weight_bearing,
            temperature_c=entry.temperature_c,
            feverish=entry.feverish,
            unwell=entry.unwell,
        )
        for entry in entries
    ]
    return red_flags.evaluate(
        records,
        injections,
        today=today,
        fever_caution_c=clinic.fever_caution_c,
        fever_urgent_c=clinic.fever_urgent_c,
    )


def reference_flags_evaluate(*, patient: User, today: date) -> FlagChanges:
    now = timezone.now()
    changes = FlagChanges()
    with transaction.atomic():
        User.objects.select_for_update(no_key=True).filter(pk=patient.pk).first()
        findings = {
            (f.code, f.on): f for f in reference_findings(patient, today=today) if _is_stored(f)
        }
        flags = list(Flag.objects.select_for_update().filter(patient=patient))
        occurrences = list(
            FlagOccurrence.objects.filter(flag__patient=patient).select_related("flag")
        )
        live = {
            (o.flag.code, o.day): o
            for o in occurrences
            if o.withdrawn_at is None and o.flag.status != Flag.Status.WITHDRAWN
        }
        open_by_code = {f.code: f for f in flags if f.status == Flag.Status.OPEN}
        touched: set[int] = set()

        for key, finding in findings.items():
            occurrence = live.get(key)
            if occurrence is not None and _escalated_after_acknowledgement(occurrence, finding):
                occurrence.withdrawn_at = now
                occurrence.save(update_fields=["withdrawn_at"])
                touched.add(occurrence.flag_id)
                occurrence = None
            if occurrence is None:
                flag = open_by_code.get(finding.code)
                if flag is None:
                    flag = Flag.objects.create(
                        patient=patient,
                        code=finding.code,
                        severity=finding.severity,
                        first_day=finding.on,
                        last_day=finding.on,
                        raised_at=now,
                    )
                    open_by_code[finding.code] = flag
                    flags.append(flag)
                    changes.opened.append(flag)
                occurrence, _created = FlagOccurrence.objects.get_or_create(
                    flag=flag, day=finding.on, defaults={"severity": finding.severity}
                )
                occurrence.flag = flag
            _occurrence_update(occurrence, finding)
            touched.add(occurrence.flag_id)
            if (
                occurrence.severity == Severity.URGENT
                and occurrence.notified_at is None
                and occurrence.flag.status == Flag.Status.OPEN
            ):
                changes.newly_urgent.append(occurrence)

        for key, occurrence in live.items():
            if key not in findings and _reference_may_withdraw(occurrence, today, patient):
                occurrence.withdrawn_at = now
                occurrence.save(update_fields=["withdrawn_at"])
                touched.add(occurrence.flag_id)

        for flag in flags:
            if flag.pk in touched:
                _reference_flag_refresh(flag, now, changes)
    return changes


def _reference_may_withdraw(occurrence: FlagOccurrence, today: date, patient: User) -> bool:
    if occurrence.flag.code != red_flags.MISSED_ENTRIES or occurrence.day == today:
        return True
    return DiaryEntry.objects.filter(patient=patient, day__gte=occurrence.day).exists()


def _reference_flag_refresh(flag: Flag, now, changes: FlagChanges) -> None:
    days = list(flag.occurrences.filter(withdrawn_at__isnull=True).values_list("day", "severity"))
    if not days:
        if flag.status == Flag.Status.OPEN:
            flag.status = Flag.Status.WITHDRAWN
            flag.withdrawn_at = now
            flag.save(update_fields=["status", "withdrawn_at"])
            changes.withdrawn.append(flag)
        return
    severity = max((s for _d, s in days), key=red_flags.severity_rank)
    first, last = min(d for d, _s in days), max(d for d, _s in days)
    if (flag.severity, flag.first_day, flag.last_day) != (severity, first, last):
        flag.severity, flag.first_day, flag.last_day = severity, first, last
        flag.save(update_fields=["severity", "first_day", "last_day"])


# --- Comparing the two ----------------------------------------------------------------------


def stored(patient: User) -> list[tuple]:
    """Every column of the patient's flags and occurrences but the ids (which a database may
    hand out differently after a rollback), flags in the order they were created."""
    state = []
    for flag in Flag.objects.filter(patient=patient).order_by("pk"):
        days = [
            (o.day, o.severity, o.evidence_days, o.notified_at, o.withdrawn_at)
            for o in flag.occurrences.order_by("day")
        ]
        state.append(
            (
                flag.code, flag.severity, flag.first_day, flag.last_day, flag.status,
                flag.raised_at, flag.withdrawn_at, flag.acknowledged_at, flag.action, days,
            )
        )  # fmt: skip
    return state


def reported(changes: FlagChanges) -> tuple:
    return (
        [(f.code, f.status, f.first_day, f.last_day) for f in changes.opened],
        [(f.code, f.status, f.first_day, f.last_day) for f in changes.withdrawn],
        [(o.flag.code, o.day, o.severity) for o in changes.newly_urgent],
    )


def reference_outcome(patient: User, today: date) -> tuple:
    """What the reference stores and reports, rolled back afterwards."""
    with transaction.atomic():
        changes = reference_flags_evaluate(patient=patient, today=today)
        outcome = stored(patient), reported(changes)
        transaction.set_rollback(True)
    return outcome


# --- Random histories and what happens to them ----------------------------------------------


def random_answers(rng: random.Random) -> dict:
    fever = rng.random() < 0.25
    return {
        "pain": rng.randint(0, 10),
        "swelling": rng.randint(0, 3),
        "warmth": rng.choice((0, 0, 1, 2, 3)),
        "redness": rng.choice(("none", "none", "none", "present", "spreading")),
        "weight_bearing": rng.choice(("full", "full", "painful", "cannot")),
        "temperature_c": (
            Decimal(rng.randint(369, 392)) / 10 if fever else rng.choice((None, Decimal("36.6")))
        ),
        "feverish": rng.random() < 0.15,
        "unwell": rng.random() < 0.15,
    }


def random_step(rng: random.Random, patient: User, today: date, days: int, doctor) -> str:
    """Change the diary or the flags the way the app (or an admin) may; returns what it did."""
    roll = rng.random()
    if roll < 0.55:  # an edit or a new day, written without the rules (they run afterwards)
        day = today - timedelta(days=rng.randint(0, days + 3))
        DiaryEntry.objects.update_or_create(patient=patient, day=day, defaults=random_answers(rng))
        return "entry"
    if roll < 0.7:
        open_flags = list(Flag.objects.filter(patient=patient, status=Flag.Status.OPEN))
        if open_flags:
            flag_acknowledge(flag=rng.choice(open_flags), by=doctor, action="called")
        return "acknowledged"
    if roll < 0.8:
        pending = FlagOccurrence.objects.filter(flag__patient=patient, notified_at__isnull=True)
        urgent_alerts_send(list(pending.values_list("pk", flat=True)))
        return "alerted"
    if roll < 0.88:
        day = today - timedelta(days=rng.randint(0, days))
        Injection.objects.create(
            patient=patient, day=day, joint="knee", side="left", agent="corticosteroid"
        )
        return "injection"
    if roll < 0.94:
        clinic = patient.clinic
        clinic.fever_caution_c = Decimal(rng.choice(("37.0", "37.5", "37.8")))
        clinic.fever_urgent_c = clinic.fever_caution_c + Decimal(rng.choice(("0", "0.5", "1")))
        clinic.save()
        return "thresholds"
    return "nothing"


def withdrawn_days(state: list[tuple]) -> set[tuple]:
    return {
        (position, day)
        for position, flag in enumerate(state)
        for day, _severity, _evidence, _notified, withdrawn_at in flag[-1]
        if withdrawn_at is not None
    }


def escalated_days(state: list[tuple]) -> set[tuple]:
    """Days withdrawn from an acknowledged flag that live on in another flag of the code."""
    withdrawn, live = set(), set()
    for code, _sev, _first, _last, status, *_rest, days in state:
        for day, _severity, _evidence, _notified, withdrawn_at in days:
            if status == "acknowledged" and withdrawn_at is not None:
                withdrawn.add((code, day))
            elif status != "acknowledged" and withdrawn_at is None:
                live.add((code, day))
    return withdrawn & live


def test_the_faster_flags_evaluate_stores_what_the_reference_stores(time_machine):
    time_machine.move_to(FROZEN_NOW, tick=False)
    seen = Counter()
    for seed in SEEDS:
        rng = random.Random(seed)
        days = rng.randint(8, 45)
        today = TODAY
        clinic = synthetic_clinic(
            patients=2,
            days=days,
            today=today,
            injected_days_ago=rng.randint(0, days),
            seed=seed,
            name=f"Clinic {seed}",
        )
        doctor = make_clinician(f"doctor{seed}@example.jp", clinic=clinic)
        patients = list(User.objects.filter(clinic=clinic, role="patient").select_related("clinic"))
        for step in range(STEPS):
            if rng.random() < 0.2:  # a day or a few pass; "not logging" is judged for today
                passed = timedelta(days=rng.randint(1, 3))
                time_machine.shift(passed)
                today += passed
            time_machine.shift(timedelta(minutes=7))  # raised/withdrawn times tell steps apart
            for patient in patients:
                seen[random_step(rng, patient, today, days, doctor)] += 1
                before = stored(patient)
                expected = reference_outcome(patient, today)
                assert stored(patient) == before, "the reference was not rolled back"

                changes = flags_evaluate(patient=patient, today=today)

                where = f"seed {seed}, step {step}, patient {patient.pk}"
                assert (stored(patient), reported(changes)) == expected, where
                after = stored(patient)
                seen["opened"] += len(changes.opened)
                seen["withdrawn"] += len(changes.withdrawn)
                seen["newly urgent"] += len(changes.newly_urgent)
                seen["revived"] += len(withdrawn_days(before) - withdrawn_days(after))
                seen["escalated"] += len(escalated_days(after))
                seen["old missed day kept"] += sum(
                    1
                    for flag in after
                    if flag[0] == "missed_entries"
                    for o in flag[-1]
                    if o[0] != today and o[4] is None
                )
    # The histories reached every path of the sync, not only the easy ones.
    for path in (
        "entry", "acknowledged", "alerted", "injection", "thresholds", "opened", "withdrawn",
        "newly urgent", "revived", "escalated", "old missed day kept",
    ):  # fmt: skip
        assert seen[path] > 0, (path, seen)
