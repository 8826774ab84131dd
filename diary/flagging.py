"""Services that turn the rules' findings into stored red flags, and acknowledge them.

`flags_evaluate` runs `red_flags.evaluate` over a patient's whole history and makes the Flag rows
agree with it, idempotently: run it twice and nothing changes the second time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime

from django.db import connection, transaction
from django.db.models import DateField, DateTimeField, Max, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from accounts.models import User
from diary import red_flags
from diary.models import DiaryEntry, ErasureRequest, Flag, FlagOccurrence, Injection, Severity
from diary.triage import triage_refresh, triage_row, triage_store

# Findings stored as flags for the clinic. The expected early reaction is advice for the patient
# only; storing it would fill the clinic's list with flags nobody needs to act on.
STORED_SEVERITIES = (Severity.URGENT, Severity.CAUTION)
STORED_INFO_CODES = (red_flags.MISSED_ENTRIES,)


# The DiaryEntry columns the rules read: DayRecord's fields, which the model names alike.
DAY_RECORD_FIELDS = tuple(f.name for f in fields(red_flags.DayRecord))


def patient_records(patient: User) -> list[red_flags.DayRecord]:
    """The patient's whole diary as the rules read it (plain values, no model instances)."""
    return _diary_read(patient)[0]


def _diary_read(patient: User) -> tuple[list[red_flags.DayRecord], datetime | None]:
    """The patient's whole diary as the rules read it, and when it was last saved."""
    rows = DiaryEntry.objects.filter(patient=patient).values_list(*DAY_RECORD_FIELDS, "updated_at")
    records = [red_flags.DayRecord(*row[:-1]) for row in rows]
    return records, max((row[-1] for row in rows), default=None)


def patient_findings(
    patient: User,
    *,
    today: date | None = None,
    records: list[red_flags.DayRecord] | None = None,
) -> list[red_flags.Finding]:
    """Every finding of the patient's whole history, with the clinic's thresholds.

    `records` (the whole diary) saves reading it again when the caller already holds it.
    """
    clinic = patient.clinic
    injections = Injection.objects.filter(patient=patient).values_list("day", flat=True)
    return red_flags.evaluate(
        patient_records(patient) if records is None else records,
        injections,
        today=today or clinic.today(),
        fever_caution_c=clinic.fever_caution_c,
        fever_urgent_c=clinic.fever_urgent_c,
    )


def _is_stored(finding: red_flags.Finding) -> bool:
    return finding.severity in STORED_SEVERITIES or finding.code in STORED_INFO_CODES


@dataclass
class FlagChanges:
    """What one evaluation changed.

    `newly_urgent` are urgent firing days of open flags that the clinic was not yet alerted to.
    """

    opened: list[Flag] = field(default_factory=list)
    withdrawn: list[Flag] = field(default_factory=list)
    newly_urgent: list[FlagOccurrence] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.opened or self.withdrawn or self.newly_urgent)


def flags_evaluate(
    *, patient: User, today: date | None = None, changed_days: Iterable[date] | None = None
) -> FlagChanges:
    """Make the patient's flags match the rules' findings over the whole history.

    - a finding on a day already recorded keeps its occurrence (severity/evidence updated);
    - a new firing day joins the open flag of its code, or opens a new flag (also after the
      previous flag of that code was acknowledged);
    - an occurrence whose finding disappeared (an edited entry) is withdrawn, and an open flag
      left without occurrences is withdrawn — never deleted.
    Call it inside the transaction that changed the diary.

    `changed_days`: only the entries of these days changed (an entry save). Then only the days
    they can alter are judged again (`red_flags.days_affected`, and today for `missed_entries`),
    from only the entries those days read, and only the open flags, the flags with an
    occurrence on those days and the live `missed_entries` days are read: a save costs the same
    on day 700 as on day 7. Without it (the default: an injection or a threshold changed,
    `reevaluate_flags`) the whole history is judged again; both leave the same rows.

    The patient's flags and occurrences are read once, and kept up to date in memory as they
    are written, so the number of queries does not grow with the number of flags.
    """
    today = today or patient.clinic.today()
    now = timezone.now()
    changes = FlagChanges()
    # No savepoint of its own: it runs inside its caller's transaction, and an error here
    # rolls the whole of it back (the entry too) rather than leaving the entry unjudged.
    with transaction.atomic(savepoint=False):
        _patient_lock(patient)
        if patient_is_erased(patient):  # left the triage for good (privacy.patient_erase)
            return changes
        if changed_days is None:
            scope = _scope_full(patient, today)
        else:
            scope = _scope_days(patient, today, set(changed_days))
        findings = {(f.code, f.on): f for f in scope.findings if _is_stored(f)}
        flags, occurrences = scope.flags, scope.occurrences
        flags_by_pk = {flag.pk: flag for flag in flags}
        for occurrence in occurrences:
            occurrence.flag = flags_by_pk[occurrence.flag_id]  # one object per flag
        by_flag_and_day = {(o.flag_id, o.day): o for o in occurrences}
        live = {
            (o.flag.code, o.day): o
            for o in occurrences
            if o.withdrawn_at is None
            and o.flag.status != Flag.Status.WITHDRAWN
            and (
                scope.days is None or o.day in scope.days or o.flag.code == red_flags.MISSED_ENTRIES
            )
        }
        open_by_code = {f.code: f for f in flags if f.status == Flag.Status.OPEN}
        touched: set[int] = set()

        for key, finding in findings.items():
            occurrence = live.get(key)
            if occurrence is not None and _escalated_after_acknowledgement(occurrence, finding):
                # Worse than what the clinician acknowledged: withdraw it there, raise it anew.
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
                        urgent_at=now if finding.severity == Severity.URGENT else None,
                    )
                    open_by_code[finding.code] = flag
                    flags.append(flag)
                    changes.opened.append(flag)
                # A day withdrawn earlier comes back on its own row (one per flag and day);
                # every row of the patient's flags is in memory, read under the lock.
                occurrence = by_flag_and_day.get((flag.pk, finding.on))
                if occurrence is None:
                    occurrence = FlagOccurrence.objects.create(
                        flag=flag,
                        day=finding.on,
                        severity=finding.severity,
                        evidence_days=_evidence_days(finding),
                    )
                    by_flag_and_day[flag.pk, finding.on] = occurrence
                    occurrences.append(occurrence)
            _occurrence_update(occurrence, finding)
            touched.add(occurrence.flag_id)
            if (
                occurrence.severity == Severity.URGENT
                and occurrence.notified_at is None
                and occurrence.flag.status == Flag.Status.OPEN
            ):
                changes.newly_urgent.append(occurrence)

        for key, occurrence in live.items():
            if key not in findings and _may_withdraw(occurrence, today, scope.latest_entry_day):
                occurrence.withdrawn_at = now
                occurrence.save(update_fields=["withdrawn_at"])
                touched.add(occurrence.flag_id)

        for flag in flags:
            if flag.pk in touched:
                days = [o for o in occurrences if o.flag_id == flag.pk and o.withdrawn_at is None]
                _flag_refresh(flag, days, now, changes)
        # Also after an entry changed without a flag changing: the latest activity moved.
        still_open = [
            (f.code, f.severity, f.first_day) for f in flags if f.status == Flag.Status.OPEN
        ]
        triage_store([triage_row(patient.pk, still_open, scope.last_activity)])
    return changes


@dataclass
class _Scope:
    """What one evaluation judges and reads: its findings, the flags and occurrences they may
    change, and the diary's latest activity and latest entry day (for triage and withdrawal).

    `days` is None for the whole history; otherwise the days judged, whose occurrences (and the
    live `missed_entries` ones) are the only ones compared with the findings.
    """

    findings: list[red_flags.Finding]
    flags: list[Flag]
    occurrences: list[FlagOccurrence]
    last_activity: datetime | None
    latest_entry_day: date | None
    days: set[date] | None = None


def _scope_full(patient: User, today: date) -> _Scope:
    records, last_activity = _diary_read(patient)
    findings = patient_findings(patient, today=today, records=records)
    flags = list(Flag.objects.select_for_update().filter(patient=patient))
    occurrences = list(FlagOccurrence.objects.filter(flag__patient=patient))
    latest_day = max((record.day for record in records), default=None)
    return _Scope(findings, flags, occurrences, last_activity, latest_day)


def _scope_days(patient: User, today: date, changed: set[date]) -> _Scope:
    clinic = patient.clinic
    injections = list(Injection.objects.filter(patient=patient).values_list("day", flat=True))
    days = red_flags.days_affected(changed, injections) | {today}
    ranges = red_flags.days_needed(days, injections, today)
    in_ranges = Q()
    for first, last in ranges:
        in_ranges |= Q(day__range=(first, last))
    everything = DiaryEntry.objects.filter(patient=patient).order_by()
    # The diary's latest activity and latest day ride along (one statement, each by an index);
    # written out, as Django takes several times longer to build the same two subqueries.
    latest = f"SELECT MAX(%s) FROM {DiaryEntry._meta.db_table} WHERE patient_id = %%s"
    rows = list(
        everything.filter(in_ranges)
        .annotate(
            latest_update=RawSQL(latest % "updated_at", [patient.pk], DateTimeField()),
            latest_day=RawSQL(latest % "day", [patient.pk], DateField()),
        )
        .values_list(*DAY_RECORD_FIELDS, "latest_update", "latest_day")
    )
    if rows:
        last_activity, latest_day = rows[0][-2], rows[0][-1]
    else:  # nothing in the ranges (not after a save: its own day is there)
        latest = everything.aggregate(update=Max("updated_at"), day=Max("day"))
        last_activity, latest_day = latest["update"], latest["day"]
    findings = red_flags.evaluate_days(
        [red_flags.DayRecord(*row[:-2]) for row in rows],
        injections,
        days,
        today,
        fever_caution_c=clinic.fever_caution_c,
        fever_urgent_c=clinic.fever_urgent_c,
    )
    # The flags these days may change: the open ones (a new firing day joins its code's open
    # flag), acknowledged ones with a live day among them (an acknowledged flag's last day is its
    # latest live day, so it is not before the first of them), and acknowledged "not logging"
    # flags (their days are withdrawn once the patient logs again). Plain column filters: cheap
    # to build, and the same statement however long the diary.
    first = min(days)
    wanted = Q(status=Flag.Status.OPEN) | Q(
        Q(last_day__gte=first) | Q(code=red_flags.MISSED_ENTRIES),
        status=Flag.Status.ACKNOWLEDGED,
    )
    flags = list(Flag.objects.select_for_update().filter(wanted, patient=patient))
    # Their live days (to refresh a flag's span and severity) and their rows on the judged days
    # (a day withdrawn earlier comes back on its own row). By the ids just read under the lock:
    # the same rows as repeating the conditions through a join, and no query at all for the
    # many patients without such a flag.
    occurrences = []
    if flags:
        occurrences = list(
            FlagOccurrence.objects.filter(flag_id__in=[flag.pk for flag in flags]).filter(
                Q(withdrawn_at=None) | Q(day__in=days)
            )
        )
    return _Scope(findings, flags, occurrences, last_activity, latest_day, days)


def patient_is_erased(patient: User) -> bool:
    """Whether the patient's data was erased: the rules no longer run for them. An active
    account never was (no query on an ordinary save)."""
    if patient.is_active:
        return False
    return ErasureRequest.objects.filter(
        patient=patient, status=ErasureRequest.Status.DONE
    ).exists()


def _patient_lock(patient: User) -> None:
    """One evaluation per patient at a time, reading the entries only once it holds the lock.

    Two saves of different days at once would otherwise each judge without the other's entry
    (missing a two-day finding) or both open the one open flag of a code (IntegrityError, and
    that patient's entry lost with the rolled-back transaction).
    no_key: the entry just inserted holds a key-share lock on the patient row (foreign key),
    which a plain FOR UPDATE would wait for: a deadlock between two such saves.
    SQLite has no row locks (Django leaves FOR UPDATE out there, so the query would lock
    nothing): it lets one writing transaction run at a time, and this project begins them
    IMMEDIATE, so the query is left out there.
    """
    if connection.features.has_select_for_update:
        User.objects.select_for_update(no_key=True).filter(pk=patient.pk).first()


def _escalated_after_acknowledgement(occurrence: FlagOccurrence, finding) -> bool:
    return occurrence.flag.status == Flag.Status.ACKNOWLEDGED and red_flags.severity_rank(
        finding.severity
    ) > red_flags.severity_rank(occurrence.severity)


def _may_withdraw(occurrence: FlagOccurrence, today: date, latest_entry_day: date | None) -> bool:
    """`missed_entries` is only judged for today: an old occurrence stays until the patient
    logs again (an entry on or after that day), not merely because another day is evaluated."""
    if occurrence.flag.code != red_flags.MISSED_ENTRIES or occurrence.day == today:
        return True
    return latest_entry_day is not None and latest_entry_day >= occurrence.day


def _evidence_days(finding: red_flags.Finding) -> list[str]:
    return [day.isoformat() for day in finding.evidence]


def _occurrence_update(occurrence: FlagOccurrence, finding: red_flags.Finding) -> None:
    evidence = _evidence_days(finding)
    changed = []
    if occurrence.severity != finding.severity:
        occurrence.severity = finding.severity
        changed.append("severity")
    if occurrence.evidence_days != evidence:
        occurrence.evidence_days = evidence
        changed.append("evidence_days")
    if occurrence.withdrawn_at is not None:
        occurrence.withdrawn_at = None
        changed.append("withdrawn_at")
    if changed:
        occurrence.save(update_fields=changed)


def _flag_refresh(flag: Flag, live: list[FlagOccurrence], now, changes: FlagChanges) -> None:
    """Recompute a flag's days and severity from its live occurrences."""
    if not live:
        if flag.status == Flag.Status.OPEN:
            flag.status = Flag.Status.WITHDRAWN
            flag.withdrawn_at = now
            flag.save(update_fields=["status", "withdrawn_at"])
            changes.withdrawn.append(flag)
        return
    severity = max((o.severity for o in live), key=red_flags.severity_rank)
    first, last = min(o.day for o in live), max(o.day for o in live)
    # The urgent wait (escalation, "waiting 45 min") starts when the flag becomes urgent.
    urgent_at = (flag.urgent_at or now) if severity == Severity.URGENT else None
    if (flag.severity, flag.first_day, flag.last_day, flag.urgent_at) != (
        severity,
        first,
        last,
        urgent_at,
    ):
        flag.severity, flag.first_day, flag.last_day = severity, first, last
        flag.urgent_at = urgent_at
        flag.save(update_fields=["severity", "first_day", "last_day", "urgent_at"])


class FlagNotOpen(Exception):
    """The flag was acknowledged or withdrawn meanwhile (e.g. by a colleague)."""


class NoFlagChosen(ValueError):
    """`flags_acknowledge` was given no flag."""


class FlagsClosed(Exception):
    """Some chosen flags are closed without an acknowledgement (withdrawn, or the patient was
    erased): nothing was recorded. `flags` are those flags, as read under the lock."""

    def __init__(self, flags: list[Flag]):
        super().__init__(f"Closed flags: {[flag.pk for flag in flags]}")
        self.flags = flags


class FlagBecameUrgent(Exception):
    """The flag became urgent after the page the clinician acknowledged it from was shown."""


def flag_acknowledge(
    *,
    flag: Flag,
    by: User,
    action: str,
    note: str = "",
    shown: Mapping[int, datetime | None] | None = None,
) -> Flag:
    """Record who acknowledged the flag, when, the action taken and a note.

    `shown`: what the page with the form showed of the flag's urgency, by flag id: when it had
    become urgent (`Flag.urgent_at`), or None for not urgent. A flag urgent since then, or
    urgent again after it was not, is not acknowledged (`FlagBecameUrgent`): what the
    clinician read is not what it is now. A flag not in `shown` is not checked.
    """
    _action_check(action)
    with transaction.atomic():
        _patient_lock(flag.patient)  # the same order as flags_evaluate: patient, then flag
        locked = Flag.objects.select_for_update().get(pk=flag.pk)
        if locked.status != Flag.Status.OPEN:
            raise FlagNotOpen
        if _urgent_since_shown(locked, shown):
            raise FlagBecameUrgent
        _acknowledge_locked(locked, by=by, action=action, note=note, at=timezone.now())
        triage_refresh(flag.patient)
    return locked


@dataclass
class FlagsAcknowledged:
    """What `flags_acknowledge` did: the flags it acknowledged, and those a colleague had
    acknowledged meanwhile (left as they were, with their own who, when and note)."""

    acknowledged: list[Flag]
    already: list[Flag]
    # Urgent only since the page was shown: left open, to be read first.
    became_urgent: list[Flag] = field(default_factory=list)


def flags_acknowledge(
    *,
    flags: Iterable[Flag],
    by: User,
    action: str,
    note: str = "",
    shown: Mapping[int, datetime | None] | None = None,
) -> FlagsAcknowledged:
    """Acknowledge several open flags of one patient at once, with one action and one note.

    Each flag is recorded exactly as `flag_acknowledge` records one (the same step, the same
    time for all). In one transaction: a flag closed without an acknowledgement (withdrawn, or
    the patient erased) raises `FlagsClosed` and nothing is recorded; a flag a colleague
    acknowledged meanwhile is left as it is and returned in `already`; one that is urgent
    otherwise than the page showed it (`shown`, as for `flag_acknowledge`: it was ticked as a
    caution) is left open and returned in `became_urgent`.
    """
    _action_check(action)
    chosen = list(flags)
    if not chosen:
        raise NoFlagChosen("No flag chosen")
    patients = {flag.patient_id for flag in chosen}
    if len(patients) != 1:
        raise ValueError("The flags belong to more than one patient")
    patient = chosen[0].patient
    with transaction.atomic():
        _patient_lock(patient)  # the same order as flags_evaluate: patient, then its flags
        locked = list(
            # Only the flags are locked; who acknowledged one comes along for the message.
            Flag.objects.select_for_update(of=("self",))
            .filter(pk__in=[flag.pk for flag in chosen], patient=patient)
            .select_related("acknowledged_by")
            .order_by("pk")
        )
        closed = [
            flag
            for flag in locked
            if flag.status not in (Flag.Status.OPEN, Flag.Status.ACKNOWLEDGED)
        ]
        if closed:
            raise FlagsClosed(closed)
        now = timezone.now()
        result = FlagsAcknowledged(acknowledged=[], already=[])
        for flag in locked:
            if flag.status == Flag.Status.ACKNOWLEDGED:
                result.already.append(flag)
            elif _urgent_since_shown(flag, shown):
                result.became_urgent.append(flag)
            else:
                _acknowledge_locked(flag, by=by, action=action, note=note, at=now)
                result.acknowledged.append(flag)
        if result.acknowledged:
            triage_refresh(patient)
    return result


def _urgent_since_shown(flag: Flag, shown: Mapping[int, datetime | None] | None) -> bool:
    """Whether the flag is urgent now otherwise than the page showed it: urgent since another
    time, or since it was shown not urgent. What was shown is compared, not clocks: a save
    that had not committed when the page read the flags is still caught."""
    if not shown or flag.pk not in shown:
        return False
    return flag.urgent_at is not None and flag.urgent_at != shown[flag.pk]


def _action_check(action: str) -> None:
    if action not in Flag.Action.values:
        raise ValueError(f"Unknown action {action!r}")


def _acknowledge_locked(flag: Flag, *, by: User, action: str, note: str, at: datetime) -> None:
    """The one way an open flag, locked by the caller, becomes acknowledged."""
    flag.status = Flag.Status.ACKNOWLEDGED
    flag.acknowledged_by = by
    flag.acknowledged_at = at
    flag.action = action
    flag.note = note
    flag.full_clean()
    flag.save(update_fields=["status", "acknowledged_by", "acknowledged_at", "action", "note"])
