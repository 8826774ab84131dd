"""Red-flag rules for the post-injection symptom diary.

Each rule reads the patient's daily entries after a knee or hip injection and says whether a day
looks like the common, short-lived reaction (``info``), something to tell the clinic (``caution``)
or a possible joint infection or other emergency (``urgent``: contact the clinic today; if it
cannot be reached, seek emergency care).

"Day N" counts from the latest injection on or before a date: day 0 is the injection day, days 0-2
are the expected-reaction window. Only days on or after the first injection are judged. A rule
that needs a value the patient left empty does not fire.

Pure Python on purpose (no Django import) so a clinician can read it and it is tested on its own.
The wording shown to patients and clinicians lives in the presentation layer, not here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

# Severities, most severe first.
URGENT = "urgent"  # contact the clinic today; if you cannot reach it, seek emergency care
CAUTION = "caution"  # tell the clinic, re-check tomorrow
INFO = "info"  # expected, no action beyond the advice
SEVERITY_ORDER = (URGENT, CAUTION, INFO)

# Finding codes.
FEVER = "fever"
UNWELL = "unwell"
SWELLING_WORSENING = "swelling_worsening"
EARLY_REACTION = "early_reaction"
REDNESS_SPREADING = "redness_spreading"
WARM_RED_JOINT = "warm_red_joint"
CANNOT_BEAR_WEIGHT = "cannot_bear_weight"
NOT_EASING = "not_easing"
MISSED_ENTRIES = "missed_entries"
ALL_CODES = (
    FEVER,
    UNWELL,
    SWELLING_WORSENING,
    EARLY_REACTION,
    REDNESS_SPREADING,
    WARM_RED_JOINT,
    CANNOT_BEAR_WEIGHT,
    NOT_EASING,
    MISSED_ENTRIES,
)

# Diary answers.
REDNESS_NONE = "none"
REDNESS_PRESENT = "present"
# Not REDNESS_SPREADING: that is the finding code "redness_spreading" above.
REDNESS_SPREADS = "spreading"
REDNESS_CHOICES = (REDNESS_NONE, REDNESS_PRESENT, REDNESS_SPREADS)
WEIGHT_FULL = "full"
WEIGHT_PAINFUL = "painful"
WEIGHT_CANNOT = "cannot"
WEIGHT_CHOICES = (WEIGHT_FULL, WEIGHT_PAINFUL, WEIGHT_CANNOT)
SCORE_RANGES = {"pain": (0, 10), "swelling": (0, 3), "warmth": (0, 3)}

# Thresholds (temperatures are per clinic; these are the defaults).
DEFAULT_FEVER_CAUTION_C = 37.5
DEFAULT_FEVER_URGENT_C = 38.0
COMPANION_WARMTH = 2  # "clearly warm" joint turns a raised temperature into an urgent fever
COMPANION_SWELLING = 2  # "moderate" swelling does the same
REACTION_WINDOW_LAST_DAY = 2  # days 0-2 after an injection: the expected-reaction window
EARLY_REACTION_PAIN = 4
EARLY_REACTION_SWELLING = 1
EARLY_REACTION_WARMTH = 1
WARM_RED_WARMTH = 2
NOT_EASING_PAIN_RISE = 2  # points of pain above the entry two days earlier
NOT_EASING_LOOKBACK_DAYS = 2
MISSED_ENTRIES_WINDOW = (1, 14)  # days after the injection when the clinic watches for gaps
MISSED_ENTRIES_GAP_DAYS = 2  # empty calendar days that count as "stopped logging"


def severity_rank(severity: str) -> int:
    """Higher is more severe: urgent 3, caution 2, info 1."""
    return len(SEVERITY_ORDER) - SEVERITY_ORDER.index(severity)


@dataclass(frozen=True)
class DayRecord:
    """One diary entry: the patient's answers for one calendar day."""

    day: date
    pain: int
    swelling: int
    warmth: int
    redness: str
    weight_bearing: str
    temperature_c: float | None = None
    feverish: bool = False
    unwell: bool = False

    def __post_init__(self) -> None:
        # A misspelt answer would silently switch a rule off, so fail loudly instead.
        for name, choices in (("redness", REDNESS_CHOICES), ("weight_bearing", WEIGHT_CHOICES)):
            if getattr(self, name) not in choices:
                raise ValueError(f"{name} must be one of {choices}, not {getattr(self, name)!r}")
        for name, (low, high) in SCORE_RANGES.items():
            if not low <= getattr(self, name) <= high:
                raise ValueError(f"{name} must be {low}-{high}, not {getattr(self, name)!r}")


@dataclass(frozen=True)
class Finding:
    """A rule that fired: its code, severity and the day it fired on.

    ``evidence`` lists the days whose entries made it fire. It is supporting detail and does
    not take part in equality, so ``Finding(code, severity, on)`` compares equal to a result.
    """

    code: str
    severity: str
    on: date
    evidence: tuple[date, ...] = field(default=(), compare=False)


def days_since_injection(day: date, injections: Iterable[date]) -> int | None:
    """Day N of ``day``: days since the latest injection on or before it (None if none)."""
    earlier = [given for given in injections if given <= day]
    return (day - max(earlier)).days if earlier else None


@dataclass(frozen=True)
class _Context:
    by_day: dict[date, DayRecord]
    injections: tuple[date, ...]  # sorted, no duplicates
    fever_caution_c: float
    fever_urgent_c: float

    def record(self, day: date, days_before: int = 0) -> DayRecord | None:
        return self.by_day.get(day - timedelta(days=days_before))

    def injection_for(self, day: date) -> date | None:
        earlier = [given for given in self.injections if given <= day]
        return earlier[-1] if earlier else None

    def day_number(self, day: date) -> int | None:
        return days_since_injection(day, self.injections)


def _finding(code: str, severity: str, record: DayRecord, *evidence: DayRecord) -> Finding:
    days = tuple(sorted({r.day for r in evidence} | {record.day}))
    return Finding(code, severity, record.day, days)


def _temperature_at_least(record: DayRecord, threshold: float) -> bool:
    # float() so a Decimal from the database compares exactly like a typed-in float would.
    return record.temperature_c is not None and float(record.temperature_c) >= threshold


def _has_fever_sign(ctx: _Context, record: DayRecord) -> bool:
    return record.feverish or _temperature_at_least(record, ctx.fever_caution_c)


def _fever(ctx: _Context, record: DayRecord) -> Finding | None:
    """Fever: the main sign of a joint infection after an injection.

    Urgent at or above the clinic's urgent temperature, or when a raised temperature or feeling
    feverish comes with feeling unwell, a clearly warm joint or moderate swelling. A raised
    temperature or feeling feverish on its own is a caution.
    """
    if _temperature_at_least(record, ctx.fever_urgent_c):
        return _finding(FEVER, URGENT, record)
    if not _has_fever_sign(ctx, record):
        return None
    companion = (
        record.unwell or record.warmth >= COMPANION_WARMTH or record.swelling >= COMPANION_SWELLING
    )
    return _finding(FEVER, URGENT if companion else CAUTION, record)


def _unwell(ctx: _Context, record: DayRecord) -> Finding | None:
    """Generally unwell without any fever sign: worth telling the clinic."""
    if record.unwell and not _has_fever_sign(ctx, record):
        return _finding(UNWELL, CAUTION, record)
    return None


def _swelling_rise(ctx: _Context, record: DayRecord) -> tuple[DayRecord, DayRecord] | None:
    """The entries for the two days before, if swelling rose on each of three days in a row."""
    before, two_before = ctx.record(record.day, 1), ctx.record(record.day, 2)
    if before and two_before and two_before.swelling < before.swelling < record.swelling:
        return two_before, before
    return None


def _swelling_worsening(ctx: _Context, record: DayRecord) -> Finding | None:
    """Swelling rising three days in a row, ending on day 3 or later.

    Past the reaction window swelling should settle, not grow; growing swelling can be an
    infection.
    """
    rise = _swelling_rise(ctx, record)
    day_number = ctx.day_number(record.day)
    if rise and day_number is not None and day_number > REACTION_WINDOW_LAST_DAY:
        return _finding(SWELLING_WORSENING, URGENT, record, *rise)
    return None


def _redness_spreading(ctx: _Context, record: DayRecord) -> Finding | None:
    """Redness spreading from the joint: possible skin or joint infection."""
    if record.redness == REDNESS_SPREADS:
        return _finding(REDNESS_SPREADING, URGENT, record)
    return None


def _warm_red_joint(ctx: _Context, record: DayRecord) -> Finding | None:
    """A clearly warm and red joint on two days in a row: inflammation that is not settling."""
    before = ctx.record(record.day, 1)
    if before is None:
        return None
    both = all(r.warmth >= WARM_RED_WARMTH and r.redness != REDNESS_NONE for r in (before, record))
    return _finding(WARM_RED_JOINT, CAUTION, record, before) if both else None


def _cannot_bear_weight(ctx: _Context, record: DayRecord) -> Finding | None:
    """Cannot put weight on the leg: caution on one day, urgent when it persists to a second."""
    if record.weight_bearing != WEIGHT_CANNOT:
        return None
    before = ctx.record(record.day, 1)
    if before is not None and before.weight_bearing == WEIGHT_CANNOT:
        return _finding(CANNOT_BEAR_WEIGHT, URGENT, record, before)
    return _finding(CANNOT_BEAR_WEIGHT, CAUTION, record)


def _not_easing(ctx: _Context, record: DayRecord) -> Finding | None:
    """From day 3 on, symptoms should ease: caution when they do not.

    Fires when pain or swelling is higher than at any time in days 0-2 after the same injection
    (at least one entry in those days needed), or when pain is at least 2 points higher than two
    days earlier.
    """
    injection = ctx.injection_for(record.day)
    if injection is None or (record.day - injection).days <= REACTION_WINDOW_LAST_DAY:
        return None
    reaction_days = (injection + timedelta(days=n) for n in range(REACTION_WINDOW_LAST_DAY + 1))
    window = [ctx.by_day[day] for day in reaction_days if day in ctx.by_day]
    evidence: list[DayRecord] = []
    if window and (
        record.pain > max(r.pain for r in window)
        or record.swelling > max(r.swelling for r in window)
    ):
        evidence += window
    earlier = ctx.record(record.day, NOT_EASING_LOOKBACK_DAYS)
    if earlier is not None and record.pain >= earlier.pain + NOT_EASING_PAIN_RISE:
        evidence.append(earlier)
    return _finding(NOT_EASING, CAUTION, record, *evidence) if evidence else None


def _early_reaction(ctx: _Context, record: DayRecord, urgent_today: bool) -> Finding | None:
    """The common short-lived reaction in days 0-2: rest 1-2 days, no strenuous exercise.

    Fires for swelling rising three days in a row that ends in days 0-2, or, when nothing
    urgent fired that day, for pain of 4 or more, any swelling or any warmth.
    """
    day_number = ctx.day_number(record.day)
    if day_number is None or day_number > REACTION_WINDOW_LAST_DAY:
        return None
    rise = _swelling_rise(ctx, record)
    if rise:
        return _finding(EARLY_REACTION, INFO, record, *rise)
    symptoms = (
        record.pain >= EARLY_REACTION_PAIN
        or record.swelling >= EARLY_REACTION_SWELLING
        or record.warmth >= EARLY_REACTION_WARMTH
    )
    if symptoms and not urgent_today:
        return _finding(EARLY_REACTION, INFO, record)
    return None


def _missed_entries(ctx: _Context, today: date) -> Finding | None:
    """For the clinician: no entry for 2 or more days while on day 1-14 after the injection.

    Counts the empty calendar days between today and the later of the injection day and the
    last entry on or before today.
    """
    injection = ctx.injection_for(today)
    if injection is None:
        return None
    first, last = MISSED_ENTRIES_WINDOW
    if not first <= (today - injection).days <= last:
        return None
    last_entry = max((day for day in ctx.by_day if day <= today), default=injection)
    empty_days = (today - max(injection, last_entry)).days - 1
    return Finding(MISSED_ENTRIES, INFO, today) if empty_days >= MISSED_ENTRIES_GAP_DAYS else None


_DAY_RULES: tuple[Callable[[_Context, DayRecord], Finding | None], ...] = (
    _fever,
    _unwell,
    _swelling_worsening,
    _redness_spreading,
    _warm_red_joint,
    _cannot_bear_weight,
    _not_easing,
)


def evaluate(
    records: Iterable[DayRecord],
    injections: Iterable[date],
    today: date | None = None,
    *,
    fever_caution_c: float = DEFAULT_FEVER_CAUTION_C,
    fever_urgent_c: float = DEFAULT_FEVER_URGENT_C,
) -> list[Finding]:
    """Run every rule over the whole history; return the findings oldest first.

    ``today`` (default: the latest entry's day) is only used by ``missed_entries``. Within a day
    the most severe finding comes first, then by code; of one code per day only the most severe
    is kept. Raises ValueError for two entries on one day or a caution temperature above the
    urgent one.
    """
    caution_c, urgent_c = float(fever_caution_c), float(fever_urgent_c)
    if caution_c > urgent_c:
        raise ValueError("fever_caution_c must not be above fever_urgent_c")
    by_day: dict[date, DayRecord] = {}
    for record in records:
        if record.day in by_day:
            raise ValueError(f"two diary records for {record.day.isoformat()}")
        by_day[record.day] = record
    ctx = _Context(by_day, tuple(sorted(set(injections))), caution_c, urgent_c)
    today = max(by_day, default=None) if today is None else today

    findings: list[Finding] = []
    for day in sorted(by_day):
        if ctx.injection_for(day) is None:
            continue  # before the first injection: a baseline entry, never judged
        record = by_day[day]
        todays = [f for rule in _DAY_RULES if (f := rule(ctx, record)) is not None]
        urgent_today = any(f.severity == URGENT for f in todays)
        reaction = _early_reaction(ctx, record, urgent_today)
        findings += todays + ([reaction] if reaction else [])
    if today is not None and (missed := _missed_entries(ctx, today)) is not None:
        findings.append(missed)
    return _most_severe_sorted(findings)


def _most_severe_sorted(findings: Iterable[Finding]) -> list[Finding]:
    kept: dict[tuple[date, str], Finding] = {}
    for finding in findings:
        key = (finding.on, finding.code)
        if key not in kept or severity_rank(finding.severity) > severity_rank(kept[key].severity):
            kept[key] = finding
    return sorted(kept.values(), key=lambda f: (f.on, -severity_rank(f.severity), f.code))
