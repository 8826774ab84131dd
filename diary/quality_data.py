"""From the database to the quality figures (diary/quality.py): two queries whatever the number of
flags and calls — one for the clinic's flags of the months shown, one for its calls."""

from __future__ import annotations

from datetime import datetime, time

from django.db.models import Q
from django.utils import timezone

from accounts.models import Clinic, User
from diary import quality
from diary.models import CallOutcome, Flag, Severity

ACTIONS = tuple(Flag.Action.values)


def quality_targets(clinic: Clinic) -> quality.Targets:
    return quality.Targets(
        urgent_minutes=clinic.urgent_target_minutes,
        caution_minutes=clinic.caution_target_hours * 60,
    )


def quality_figures(clinic: Clinic, now: datetime | None = None) -> list[quality.MonthFigures]:
    """The clinic's last `quality.MONTHS_SHOWN` months (clinic time), oldest first."""
    now = now or timezone.now()
    tz = clinic.tz
    months = quality.months_ending(quality.month_of(now, tz))
    start = datetime.combine(months[0], time(), tzinfo=tz)
    # Erased patients' flags stay in the figures; withdrawn ones (edited away) never counted.
    flags = (
        Flag.objects.filter(
            patient__clinic=clinic,
            patient__role=User.Role.PATIENT,
            severity__in=[Severity.URGENT, Severity.CAUTION],
        )
        .exclude(status=Flag.Status.WITHDRAWN)
        .filter(Q(raised_at__gte=start) | Q(urgent_at__gte=start))
        .values_list("severity", "raised_at", "urgent_at", "acknowledged_at", "action")
    )
    timings = [
        quality.FlagTiming(
            severity=severity,
            fired_at=(urgent_at or raised_at) if severity == Severity.URGENT else raised_at,
            acknowledged_at=acknowledged_at,
            action=action,
        )
        for severity, raised_at, urgent_at, acknowledged_at, action in flags
    ]
    calls = [
        quality.CallRecord(at=at, reached=result == CallOutcome.Result.REACHED)
        for at, result in CallOutcome.objects.filter(
            patient__clinic=clinic, at__gte=start
        ).values_list("at", "result")
    ]
    return quality.quality_months(
        timings,
        calls,
        months=months,
        tz=tz,
        now=now,
        targets=quality_targets(clinic),
        actions=ACTIONS,
    )
