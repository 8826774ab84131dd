"""Red-flag rules for the post-injection symptom diary (SPEC section 3, version 2).

Each rule reads the patient's diary entries after a knee or hip injection and says whether a day
looks like the common, short-lived reaction (``info``), something to tell the clinic today
(``caution``) or a possible joint infection or other emergency (``urgent``: contact the clinic
now; if it cannot be reached, seek emergency care).

"Day N" counts from the latest injection on or before a date: day 0 is the injection day, days 0-2
are the expected-reaction window. Patients do not log every day, so the trend rules read the
entries a patient made ("the previous entry", "the last three entries"), not calendar days, and a
joint infection often comes without fever, so the local signs (a hot, swollen, red joint, not
bearing weight) count on their own. Fever, feeling unwell and spreading redness are judged on
every entry, also before the first injection and when no injection is recorded; the other rules
judge only days on or after the first injection. A rule that needs a value the patient left empty
does not fire.

Pure Python on purpose (no Django import) so a clinician can read it and it is tested on its own.
The wording shown to patients and clinicians lives in the presentation layer, not here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

# Severities, most severe first.
URGENT = "urgent"  # contact the clinic now; if you cannot reach it, seek emergency care
CAUTION = "caution"  # tell the clinic today
INFO = "info"  # expected, no action beyond the advice
SEVERITY_ORDER = (URGENT, CAUTION, INFO)

# Finding codes.
FEVER = "fever"
UNWELL = "unwell"
SWELLING_WORSENING = "swelling_worsening"
EARLY_REACTION = "early_reaction"
REDNESS_SPREADING = "redness_spreading"
HOT_SWOLLEN_JOINT = "hot_swollen_joint"
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
    HOT_SWOLLEN_JOINT,
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
# A "local sign" of an inflamed joint: clearly warm, moderately swollen, red, or not bearing weight.
LOCAL_SIGN_WARMTH = 2
LOCAL_SIGN_SWELLING = 2
REACTION_WINDOW_LAST_DAY = 2  # days 0-2 after an injection: the expected-reaction window
# "Previous entry": the latest entry before a day, if it is at most this many days earlier.
PREVIOUS_ENTRY_MAX_DAYS = 2
# "Last three entries": the day's entry and the two before it, all within this many days.
LAST_THREE_ENTRIES_SPAN_DAYS = 4
HOT_SWOLLEN_WARMTH = 2
HOT_SWOLLEN_SWELLING = 2
HOT_SWOLLEN_PAIN = 7
WARM_RED_WARMTH = 2
CANNOT_BEAR_WEIGHT_PERSISTS_DAYS = 2  # "cannot" again within this many days makes it urgent
NOT_EASING_DAYS = (3, 14)  # later, whether pain eases is for the goals, not a red flag
NOT_EASING_PAIN_RISE = 2  # points of pain above the lowest of the few days before
NOT_EASING_LOOKBACK_DAYS = 3
NOT_EASING_SEVERE_SWELLING = 3
EARLY_REACTION_PAIN = 4
EARLY_REACTION_SWELLING = 1
EARLY_REACTION_WARMTH = 1
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

    def injection_for(self, day: date) -> date | None:
        earlier = [given for given in self.injections if given <= day]
        return earlier[-1] if earlier else None

    def day_number(self, day: date) -> int | None:
        injection = self.injection_for(day)
        return None if injection is None else (day - injection).days

    def entries_before(self, day: date, within_days: int) -> list[DayRecord]:
        """The entries of the ``within_days`` calendar days before ``day``, latest first."""
        days = (day - timedelta(days=n) for n in range(1, within_days + 1))
        return [self.by_day[d] for d in days if d in self.by_day]

    def previous_entry(self, record: DayRecord) -> DayRecord | None:
        """The latest entry before this one, if it is on one of the two days before."""
        before = self.entries_before(record.day, PREVIOUS_ENTRY_MAX_DAYS)
        return before[0] if before else None

    def last_three_entries(self, record: DayRecord) -> tuple[DayRecord, ...] | None:
        """This entry and the two latest before it, oldest first, if all lie within 4 days."""
        before = self.entries_before(record.day, LAST_THREE_ENTRIES_SPAN_DAYS)
        return (before[1], before[0], record) if len(before) >= 2 else None


def _finding(code: str, severity: str, record: DayRecord, *evidence: DayRecord) -> Finding:
    days = tuple(sorted({r.day for r in evidence} | {record.day}))
    return Finding(code, severity, record.day, days)


def _temperature_at_least(record: DayRecord, threshold: float) -> bool:
    # float() so a Decimal from the database compares exactly like a typed-in float would.
    return record.temperature_c is not None and float(record.temperature_c) >= threshold


def _has_fever_sign(ctx: _Context, record: DayRecord) -> bool:
    return record.feverish or _temperature_at_least(record, ctx.fever_caution_c)


def _has_local_sign(record: DayRecord) -> bool:
    """A clearly warm, swollen or red joint, or a leg the patient cannot stand on."""
    return (
        record.warmth >= LOCAL_SIGN_WARMTH
        or record.swelling >= LOCAL_SIGN_SWELLING
        or record.redness != REDNESS_NONE
        or record.weight_bearing == WEIGHT_CANNOT
    )


def _swelling_rises(entries: tuple[DayRecord, ...] | None) -> bool:
    return entries is not None and entries[0].swelling < entries[1].swelling < entries[2].swelling


# Judged on every entry ------------------------------------------------------------------------


def _fever(ctx: _Context, record: DayRecord) -> Finding | None:
    """Fever: the classic sign of a joint infection, and of other infections at any time.

    Urgent at or above the clinic's urgent temperature, or when a raised temperature or feeling
    feverish comes with feeling unwell or a local sign of the joint. A raised temperature or
    feeling feverish on its own is a caution.
    """
    if _temperature_at_least(record, ctx.fever_urgent_c):
        return _finding(FEVER, URGENT, record)
    if not _has_fever_sign(ctx, record):
        return None
    companion = record.unwell or _has_local_sign(record)
    return _finding(FEVER, URGENT if companion else CAUTION, record)


def _unwell(ctx: _Context, record: DayRecord) -> Finding | None:
    """Generally unwell without any fever sign.

    With a local sign of the joint it is urgent: older people with a joint infection often feel
    ill without a fever. On its own it is worth telling the clinic today.
    """
    if not record.unwell or _has_fever_sign(ctx, record):
        return None
    return _finding(UNWELL, URGENT if _has_local_sign(record) else CAUTION, record)


def _redness_spreading(ctx: _Context, record: DayRecord) -> Finding | None:
    """Redness spreading from the joint: possible skin or joint infection."""
    if record.redness == REDNESS_SPREADS:
        return _finding(REDNESS_SPREADING, URGENT, record)
    return None


# Judged on days on or after the first injection -----------------------------------------------


def _hot_swollen_joint(ctx: _Context, record: DayRecord) -> Finding | None:
    """A hot, swollen, very painful joint, with or without fever.

    From day 3 on this is how a joint infection often looks, so it is urgent. In days 0-2 it can
    still be a strong reaction to the injection, which the clinic should hear about today.
    """
    hot_swollen_painful = (
        record.warmth >= HOT_SWOLLEN_WARMTH
        and record.swelling >= HOT_SWOLLEN_SWELLING
        and record.pain >= HOT_SWOLLEN_PAIN
    )
    if not hot_swollen_painful:
        return None
    in_reaction_window = ctx.day_number(record.day) <= REACTION_WINDOW_LAST_DAY
    return _finding(HOT_SWOLLEN_JOINT, CAUTION if in_reaction_window else URGENT, record)


def _swelling_worsening(ctx: _Context, record: DayRecord) -> Finding | None:
    """Swelling rising across the last three entries, ending on day 3 or later.

    Past the reaction window swelling should settle, not grow; growing swelling can be an
    infection. A skipped day or two does not hide the trend.
    """
    if ctx.day_number(record.day) <= REACTION_WINDOW_LAST_DAY:
        return None
    entries = ctx.last_three_entries(record)
    if _swelling_rises(entries):
        return _finding(SWELLING_WORSENING, URGENT, record, *entries)
    return None


def _warm_red_joint(ctx: _Context, record: DayRecord) -> Finding | None:
    """A joint that stays inflamed: worth telling the clinic today.

    Fires when the joint is clearly warm and red on this entry and on the previous one, or when
    it is red on each of the last three entries from day 3 on.
    """
    evidence: list[DayRecord] = []
    previous = ctx.previous_entry(record)
    if previous is not None and all(
        r.warmth >= WARM_RED_WARMTH and r.redness != REDNESS_NONE for r in (previous, record)
    ):
        evidence.append(previous)
    entries = ctx.last_three_entries(record)
    if (
        entries is not None
        and ctx.day_number(record.day) > REACTION_WINDOW_LAST_DAY
        and all(r.redness != REDNESS_NONE for r in entries)
    ):
        evidence += entries
    return _finding(WARM_RED_JOINT, CAUTION, record, *evidence) if evidence else None


def _cannot_bear_weight(ctx: _Context, record: DayRecord) -> Finding | None:
    """Cannot put weight on the leg: caution once, urgent when it persists.

    Persists means "cannot" was also answered on an entry of one of the two days before, so a
    skipped day does not reset it.
    """
    if record.weight_bearing != WEIGHT_CANNOT:
        return None
    before = ctx.entries_before(record.day, CANNOT_BEAR_WEIGHT_PERSISTS_DAYS)
    persisting = [r for r in before if r.weight_bearing == WEIGHT_CANNOT]
    if persisting:
        return _finding(CANNOT_BEAR_WEIGHT, URGENT, record, *persisting)
    return _finding(CANNOT_BEAR_WEIGHT, CAUTION, record)


def _not_easing(ctx: _Context, record: DayRecord) -> Finding | None:
    """On days 3-14, symptoms should ease: caution when they do not.

    Fires when pain or swelling is higher than at any time in days 0-2 after the same injection
    (at least one entry in those days needed), when pain is at least 2 points above its lowest in
    the three days before, or when severe swelling stays from the previous entry. After two weeks
    whether the pain eases is judged by the goals at the review date, not as a red flag.
    """
    first, last = NOT_EASING_DAYS
    if not first <= ctx.day_number(record.day) <= last:
        return None
    injection = ctx.injection_for(record.day)
    reaction_days = (injection + timedelta(days=n) for n in range(REACTION_WINDOW_LAST_DAY + 1))
    window = [ctx.by_day[day] for day in reaction_days if day in ctx.by_day]
    evidence: list[DayRecord] = []
    if window and (
        record.pain > max(r.pain for r in window)
        or record.swelling > max(r.swelling for r in window)
    ):
        evidence += window
    recent = ctx.entries_before(record.day, NOT_EASING_LOOKBACK_DAYS)
    if recent:
        lowest = min(recent, key=lambda r: (r.pain, -r.day.toordinal()))  # the latest of equals
        if record.pain >= lowest.pain + NOT_EASING_PAIN_RISE:
            evidence.append(lowest)
    previous = ctx.previous_entry(record)
    if previous is not None and record.swelling == previous.swelling == NOT_EASING_SEVERE_SWELLING:
        evidence.append(previous)
    return _finding(NOT_EASING, CAUTION, record, *evidence) if evidence else None


def _early_reaction(ctx: _Context, record: DayRecord) -> Finding | None:
    """The common short-lived reaction in days 0-2: rest 1-2 days, no strenuous exercise.

    Fires for swelling rising across the last three entries, pain of 4 or more, any swelling or
    any warmth. The caller shows it only when nothing more serious fired that day: "this is the
    usual reaction" must never stand beside a warning.
    """
    if ctx.day_number(record.day) > REACTION_WINDOW_LAST_DAY:
        return None
    entries = ctx.last_three_entries(record)
    if _swelling_rises(entries):
        return _finding(EARLY_REACTION, INFO, record, *entries)
    if (
        record.pain >= EARLY_REACTION_PAIN
        or record.swelling >= EARLY_REACTION_SWELLING
        or record.warmth >= EARLY_REACTION_WARMTH
    ):
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


_Rule = Callable[[_Context, DayRecord], Finding | None]
EVERY_DAY_RULES: tuple[_Rule, ...] = (_fever, _unwell, _redness_spreading)
AFTER_INJECTION_RULES: tuple[_Rule, ...] = (
    _hot_swollen_joint,
    _swelling_worsening,
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
    ctx = _context(records, injections, fever_caution_c, fever_urgent_c)
    return _findings_of(ctx, sorted(ctx.by_day), today)


def evaluate_days(
    records: Iterable[DayRecord],
    injections: Iterable[date],
    days: Iterable[date],
    today: date | None = None,
    *,
    fever_caution_c: float = DEFAULT_FEVER_CAUTION_C,
    fever_urgent_c: float = DEFAULT_FEVER_URGENT_C,
) -> list[Finding]:
    """The findings of ``evaluate`` on ``days`` only: the same findings, in the same order.

    Lets a save re-judge only the days it can change (``days_affected``) from only the entries
    those days read: ``records`` must hold every entry of the ranges ``days_needed`` gives (any
    more are ignored). ``missed_entries`` is judged when ``today`` is one of ``days``; ``today``
    defaults to the latest of ``records``, as in ``evaluate``. Raises ValueError as ``evaluate``.
    """
    ctx = _context(records, injections, fever_caution_c, fever_urgent_c)
    wanted = set(days)
    today = max(ctx.by_day, default=None) if today is None else today
    judged = [day for day in sorted(ctx.by_day) if day in wanted]
    return _findings_of(ctx, judged, today if today in wanted else None, default_today=False)


def in_reaction_window(day: date, injections: Iterable[date]) -> bool:
    """Whether ``day`` is day 0-2 after an injection (the expected-reaction window)."""
    number = days_since_injection(day, injections)
    return number is not None and number <= REACTION_WINDOW_LAST_DAY


def early_reaction_on(
    records: Iterable[DayRecord], injections: Iterable[date], day: date
) -> Finding | None:
    """The ``early_reaction`` rule alone, for ``day`` (``records``: that day and the four
    before). The caller shows it only when nothing more serious was found that day, as
    ``evaluate`` does; it never depends on the temperatures.
    """
    ctx = _context(records, injections, DEFAULT_FEVER_CAUTION_C, DEFAULT_FEVER_URGENT_C)
    if day not in ctx.by_day or ctx.injection_for(day) is None:
        return None
    return _early_reaction(ctx, ctx.by_day[day])


def days_affected(changed: Iterable[date], injections: Iterable[date]) -> set[date]:
    """The days whose findings an entry added or edited on ``changed`` days can alter.

    A day's rules read its own entry and the entries of the four days before it, so a change on
    day D can alter D and the next four days. An entry in days 0-2 of an injection is also the
    baseline of ``not_easing`` on days 3-14 of that course. (A changed injection changes the
    day numbers of many days: re-judge the whole history then.)
    """
    ordered = tuple(sorted(set(injections)))
    affected: set[date] = set()
    for day in changed:
        affected.update(day + timedelta(days=n) for n in range(LAST_THREE_ENTRIES_SPAN_DAYS + 1))
        injection = _latest_on_or_before(ordered, day)
        if injection is not None and (day - injection).days <= REACTION_WINDOW_LAST_DAY:
            first, last = NOT_EASING_DAYS
            affected.update(injection + timedelta(days=n) for n in range(first, last + 1))
    return affected


def days_needed(
    days: Iterable[date], injections: Iterable[date], today: date | None = None
) -> list[tuple[date, date]]:
    """The date ranges (first, last, inclusive; merged, oldest first) whose entries
    ``evaluate_days`` reads to judge ``days`` (and ``missed_entries`` of ``today``).

    Each day reads itself and the four days before; days 3-14 also read days 0-2 of their
    injection; ``missed_entries`` reads the days from the injection to ``today``.
    """
    ordered = tuple(sorted(set(injections)))
    ranges: list[tuple[date, date]] = []
    for day in set(days):
        ranges.append((day - timedelta(days=LAST_THREE_ENTRIES_SPAN_DAYS), day))
        injection = _latest_on_or_before(ordered, day)
        if injection is None:
            continue
        if NOT_EASING_DAYS[0] <= (day - injection).days <= NOT_EASING_DAYS[1]:
            ranges.append((injection, injection + timedelta(days=REACTION_WINDOW_LAST_DAY)))
        if (
            day == today
            and MISSED_ENTRIES_WINDOW[0] <= (today - injection).days <= MISSED_ENTRIES_WINDOW[1]
        ):
            ranges.append((injection, today))
    merged: list[tuple[date, date]] = []
    for first, last in sorted(ranges):
        if merged and first <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def _latest_on_or_before(ordered: tuple[date, ...], day: date) -> date | None:
    earlier = [given for given in ordered if given <= day]
    return earlier[-1] if earlier else None


def _context(records, injections, fever_caution_c, fever_urgent_c) -> _Context:
    caution_c, urgent_c = float(fever_caution_c), float(fever_urgent_c)
    if caution_c > urgent_c:
        raise ValueError("fever_caution_c must not be above fever_urgent_c")
    by_day: dict[date, DayRecord] = {}
    for record in records:
        if record.day in by_day:
            raise ValueError(f"two diary records for {record.day.isoformat()}")
        by_day[record.day] = record
    return _Context(by_day, tuple(sorted(set(injections))), caution_c, urgent_c)


def _findings_of(
    ctx: _Context, days: list[date], today: date | None, *, default_today: bool = True
) -> list[Finding]:
    if today is None and default_today:
        today = max(ctx.by_day, default=None)
    findings: list[Finding] = []
    for day in days:
        findings += _day_findings(ctx, ctx.by_day[day])
    if today is not None and (missed := _missed_entries(ctx, today)) is not None:
        findings.append(missed)
    return _most_severe_sorted(findings)


def _day_findings(ctx: _Context, record: DayRecord) -> list[Finding]:
    rules = EVERY_DAY_RULES
    if ctx.injection_for(record.day) is not None:
        rules += AFTER_INJECTION_RULES
    found = [f for rule in rules if (f := rule(ctx, record)) is not None]
    if found or ctx.injection_for(record.day) is None:
        return found  # every rule above is a caution or urgent one
    reaction = _early_reaction(ctx, record)
    return [reaction] if reaction else []


def _most_severe_sorted(findings: Iterable[Finding]) -> list[Finding]:
    kept: dict[tuple[date, str], Finding] = {}
    for finding in findings:
        key = (finding.on, finding.code)
        if key not in kept or severity_rank(finding.severity) > severity_rank(kept[key].severity):
            kept[key] = finding
    return sorted(kept.values(), key=lambda f: (f.on, -severity_rank(f.severity), f.code))
