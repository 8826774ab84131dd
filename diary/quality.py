"""How fast the clinic answers its red flags, month by month: pure Python, no Django import.

Plain records in (`FlagTiming`, `CallRecord`), plain figures out (`MonthFigures`). The page, the
chart and the CSV (`diary/quality_data.py`, `diary/views/quality.py`) only read them.

Definitions (shown on the page as well):
- A flag counts in the month (clinic time) in which it fired: an urgent flag from when it became
  urgent (`Flag.urgent_at`), a caution from when it was raised. Withdrawn flags (their evidence
  was edited away) do not count; flags closed because the patient's data was erased do, as not
  acknowledged.
- Time to acknowledgement: from firing to the acknowledgement, in minutes, for the acknowledged
  flags; the median and the 90th percentile (linear between the closest ranks, like a
  spreadsheet's PERCENTILE.INC).
- Within target: acknowledged within the clinic's target (urgent 1 h, caution 24 h by default),
  as a share of the flags whose target time has passed or that were acknowledged — a flag
  raised ten minutes ago has not missed its hour yet.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

URGENT, CAUTION = "urgent", "caution"
SEVERITIES = (URGENT, CAUTION)
MONTHS_SHOWN = 12
PERCENTILE = 90


@dataclass(frozen=True)
class FlagTiming:
    severity: str  # URGENT or CAUTION
    fired_at: datetime  # aware
    acknowledged_at: datetime | None = None
    action: str = ""  # Flag.Action value once acknowledged


@dataclass(frozen=True)
class CallRecord:
    at: datetime  # aware
    reached: bool


@dataclass(frozen=True)
class Targets:
    urgent_minutes: int = 60
    caution_minutes: int = 24 * 60

    def minutes(self, severity: str) -> int:
        return self.urgent_minutes if severity == URGENT else self.caution_minutes


@dataclass(frozen=True)
class SeverityFigures:
    flags: int = 0
    acknowledged: int = 0
    median_minutes: float | None = None
    p90_minutes: float | None = None
    judged: int = 0  # acknowledged, or their target time has passed
    within_target: int = 0

    @property
    def share_within_target(self) -> float | None:
        return share(self.within_target, self.judged)


@dataclass(frozen=True)
class MonthFigures:
    month: date  # the first day of the month
    urgent: SeverityFigures
    caution: SeverityFigures
    actions: dict[str, int] = field(default_factory=dict)
    calls: int | None = None  # None: calls are not recorded
    calls_reached: int | None = None


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def percentile(values: Sequence[float], p: int) -> float | None:
    """The p-th percentile (1–99), linear between the closest ranks (PERCENTILE.INC)."""
    if not 1 <= p <= 99:
        raise ValueError(f"percentile {p} is not between 1 and 99")
    if not values:
        return None
    if len(values) == 1:
        return float(values[0])
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def share(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to divide (not 0 %: nothing was judged)."""
    return part / whole if whole else None


def month_of(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date().replace(day=1)


def months_ending(last: date, count: int = MONTHS_SHOWN) -> list[date]:
    """`count` first-of-month dates, oldest first, ending with `last`'s month."""
    year, month = last.year, last.month
    months = []
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def minutes_to_acknowledge(flag: FlagTiming) -> float | None:
    if flag.acknowledged_at is None:
        return None
    return max(0.0, (flag.acknowledged_at - flag.fired_at).total_seconds() / 60)


def severity_figures(
    flags: Iterable[FlagTiming], *, target_minutes: int, now: datetime
) -> SeverityFigures:
    flags = list(flags)
    waits = [m for f in flags if (m := minutes_to_acknowledge(f)) is not None]
    target = timedelta(minutes=target_minutes)
    judged = [f for f in flags if f.acknowledged_at is not None or now >= f.fired_at + target]
    return SeverityFigures(
        flags=len(flags),
        acknowledged=len(waits),
        median_minutes=median(waits),
        p90_minutes=percentile(waits, PERCENTILE),
        judged=len(judged),
        within_target=sum(1 for m in waits if m <= target_minutes),
    )


def quality_months(
    flags: Iterable[FlagTiming],
    calls: Iterable[CallRecord] | None,
    *,
    months: Sequence[date],
    tz: ZoneInfo,
    now: datetime,
    targets: Targets = Targets(),
    actions: Sequence[str] = (),
) -> list[MonthFigures]:
    """The figures of each of `months` (first days, in the clinic's time zone `tz`).

    `calls` None means the clinic records no calls: the call columns stay empty, not zero.
    `actions` are the action values to count (every one listed, also when 0).
    """
    by_month: dict[date, list[FlagTiming]] = {month: [] for month in months}
    for flag in flags:
        if flag.severity in SEVERITIES and (month := month_of(flag.fired_at, tz)) in by_month:
            by_month[month].append(flag)
    call_months: dict[date, list[CallRecord]] = {month: [] for month in months}
    for call in calls or ():
        if (month := month_of(call.at, tz)) in call_months:
            call_months[month].append(call)
    figures = []
    for month in months:
        in_month = by_month[month]
        counted = {action: 0 for action in actions}
        for flag in in_month:
            if flag.acknowledged_at is not None and flag.action in counted:
                counted[flag.action] += 1
        month_calls = call_months[month]
        figures.append(
            MonthFigures(
                month=month,
                urgent=severity_figures(
                    (f for f in in_month if f.severity == URGENT),
                    target_minutes=targets.urgent_minutes,
                    now=now,
                ),
                caution=severity_figures(
                    (f for f in in_month if f.severity == CAUTION),
                    target_minutes=targets.caution_minutes,
                    now=now,
                ),
                actions=counted,
                calls=None if calls is None else len(month_calls),
                calls_reached=None if calls is None else sum(c.reached for c in month_calls),
            )
        )
    return figures
