"""Times and durations in words, one unit rounded down, natural in Japanese and English.

- `time_ago`: when something happened — 「たった今」「5分前」「3時間前」「4日前」, and for anything
  older than a month the date itself (「2026年10月31日」), which reads better than 「45日前」.
- `duration_text`: how long something has lasted, for a badge — 「45分」「3時間」「2日」 /
  "45 min", "3 h", "2 days"; `waiting_text` puts it in the urgent flag's badge.
- `precise_duration_text`: two units (「1時間15分」), for the quality page's medians, where the
  minutes after the hour are the figure itself.

One unit, not Django's `timesince` (「22時間, 22分前」): a clinician reads the badge at a glance,
and rounding down never makes a flag look fresher than it is by more than one unit.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext

SECONDS_PER_MINUTE = 60
MINUTES_PER_HOUR = 60
MINUTES_PER_DAY = 24 * MINUTES_PER_HOUR
DAYS_SHOWN_AS_AGO = 30  # from 30 days, the date instead of 「30日前」
HOURS_SHOWN_UNTIL_DAYS = 7  # precise: "2 days 3 h" in the first week, then "9 days"


def minutes_between(start: datetime, end: datetime) -> int:
    """Whole minutes from start to end, at least 1 (a flag raised now has waited a moment)."""
    return max(1, int((end - start).total_seconds() // SECONDS_PER_MINUTE))


def time_ago(then: datetime | None, now: datetime | None = None) -> str:
    """「たった今」/"just now" under a minute, then 「5分前」「3時間前」「4日前」, from 30 days the
    date (in the active time zone). A time in the future (a clock a little ahead) is "just now"."""
    if then is None:
        return ""
    now = now or timezone.now()
    minutes = int((now - then).total_seconds() // SECONDS_PER_MINUTE)
    if minutes < 1:
        return gettext("just now")
    unit, n = _one_unit(minutes)
    if unit == "minute":
        return ngettext("%(n)d minute ago", "%(n)d minutes ago", n) % {"n": n}
    if unit == "hour":
        return ngettext("%(n)d hour ago", "%(n)d hours ago", n) % {"n": n}
    if n < DAYS_SHOWN_AS_AGO:
        return ngettext("%(n)d day ago", "%(n)d days ago", n) % {"n": n}
    return long_date(timezone.localtime(then).date() if timezone.is_aware(then) else then.date())


def long_date(day: date) -> str:
    """「2026年10月31日」 / "Oct. 31, 2026", the language's own way of writing a date."""
    return formats.date_format(day, "DATE_FORMAT")


def duration_text(minutes: int) -> str:
    """One unit, rounded down: 45 → 「45分」/"45 min"; 200 → 「3時間」/"3 h"; 3000 → 「2日」."""
    if minutes < 1:
        return gettext("under 1 min")
    unit, n = _one_unit(minutes)
    if unit == "minute":
        return ngettext("%(n)d min", "%(n)d min", n) % {"n": n}
    if unit == "hour":
        return ngettext("%(n)d h", "%(n)d h", n) % {"n": n}
    return ngettext("%(n)d day", "%(n)d days", n) % {"n": n}


def _one_unit(minutes: int) -> tuple[str, int]:
    """The largest whole unit of a positive number of minutes: ("minute" | "hour" | "day", n)."""
    if minutes < MINUTES_PER_HOUR:
        return "minute", minutes
    if minutes < MINUTES_PER_DAY:
        return "hour", minutes // MINUTES_PER_HOUR
    return "day", minutes // MINUTES_PER_DAY


def precise_duration_text(minutes: int) -> str:
    """45 → "45 min" / 「45分」; 75 → "1 h 15 min" / 「1時間15分」; 1500 → "1 day 1 h"."""
    if minutes < MINUTES_PER_HOUR:
        return duration_text(minutes)
    if minutes < MINUTES_PER_DAY:
        hours, rest = divmod(minutes, MINUTES_PER_HOUR)
        if not rest:
            return duration_text(minutes)
        return gettext("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": rest}
    days, rest = divmod(minutes, MINUTES_PER_DAY)
    days_text = duration_text(minutes)
    hours = rest // MINUTES_PER_HOUR
    if days >= HOURS_SHOWN_UNTIL_DAYS or not hours:
        return days_text
    return gettext("%(days)s %(hours)d h") % {"days": days_text, "hours": hours}


def waiting_text(since: datetime, now: datetime) -> str:
    """The urgent flag's badge: "waiting 45 min" / 「未対応：45分」."""
    duration = duration_text(minutes_between(since, now))
    return gettext("waiting %(duration)s") % {"duration": duration}
