"""How long an urgent flag has waited, in words: 「45分経過」 / "waiting 45 min".

Relative and short, for a badge on the dashboard, the patient page and the repeated e-mail:
minutes under an hour, hours and minutes under a day, then days (and hours in the first week).
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext, ngettext

MINUTES_PER_HOUR = 60
MINUTES_PER_DAY = 24 * MINUTES_PER_HOUR
HOURS_SHOWN_UNTIL_DAYS = 7  # "2 days 3 h" in the first week, then "9 days"


def minutes_between(start: datetime, end: datetime) -> int:
    """Whole minutes from start to end, at least 1 (a flag raised now has waited a moment)."""
    return max(1, int((end - start).total_seconds() // 60))


def duration_text(minutes: int) -> str:
    """45 → "45 min" / 「45分」; 75 → "1 h 15 min" / 「1時間15分」; 1500 → "1 day 1 h"."""
    if minutes < MINUTES_PER_HOUR:
        return ngettext("%(n)d min", "%(n)d min", minutes) % {"n": minutes}
    if minutes < MINUTES_PER_DAY:
        hours, rest = divmod(minutes, MINUTES_PER_HOUR)
        if not rest:
            return ngettext("%(n)d h", "%(n)d h", hours) % {"n": hours}
        return gettext("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": rest}
    days, rest = divmod(minutes, MINUTES_PER_DAY)
    days_text = ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    hours = rest // MINUTES_PER_HOUR
    if days >= HOURS_SHOWN_UNTIL_DAYS or not hours:
        return days_text
    return gettext("%(days)s %(hours)d h") % {"days": days_text, "hours": hours}


def waiting_text(since: datetime, now: datetime) -> str:
    """The badge: "waiting 45 min" / 「45分経過」."""
    duration = duration_text(minutes_between(since, now))
    return gettext("waiting %(duration)s") % {"duration": duration}
