"""From the database to the pure chart functions, and from their SVG bytes to a cached response.

The ETag is a hash of the chart's inputs (and of the chart code), so a revalidation answers 304
without drawing anything: drawing is the slow part. `?layout=narrow` asks for the phone's
drawing (the pages ask for it through <picture><source media=…>, no JavaScript needed); the
layout is one of the inputs, so each drawing has its own ETag.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import matplotlib
from django.core.cache import cache as django_cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.models import User
from diary import charts, charts_narrow, quality_chart
from diary.models import DiaryEntry, Flag, FlagOccurrence, Goal, GoalKind, GoalRating, Injection
from diary.red_flags import days_since_injection

CHART_MAX_DAYS = 90
BASELINE_DAYS_SHOWN = 7


@cache
def _code_version() -> str:
    modules = (charts, charts_narrow, quality_chart)
    source = b"".join(Path(module.__file__).read_bytes() for module in modules)
    return hashlib.sha256(source + matplotlib.__version__.encode()).hexdigest()[:16]


def chart_layout(request) -> str:
    """The drawing the page asked for: narrow (a phone) or wide (anything else)."""
    return charts.NARROW if request.GET.get("layout") == charts.NARROW else charts.WIDE


def chart_labels() -> charts.ChartLabels:
    """The chart's words in the active language."""
    return charts.ChartLabels(
        pain=_("Pain (0–10)"),
        night_pain=_("Night pain"),
        swelling=_("Swelling"),
        warmth=_("Warmth"),
        levels=_("Swelling, warmth (0–3)"),
        temperature=_("Temperature (°C)"),
        fever_caution=_("{value:.1f} °C caution"),
        fever_urgent=_("{value:.1f} °C urgent"),
        injection=_("Injection"),
        reaction_window=_("Days 0–2"),
        review=pgettext("chart legend: the goal's review date", "Review"),
        urgent=_("Urgent"),
        caution=_("Caution"),
        info=_("Info"),
        rating=_("Rating (0–10)"),
        baseline=_("Baseline"),
        target=_("Target"),
        day_format=pgettext("chart tick", "day {n}"),
        injection_day=pgettext("chart tick", "injection day"),
        date_format=pgettext("chart tick", "{month}/{day}"),
        warnings=_("Warning signs"),
        no_entries=_("No diary entries yet, so there is nothing to draw."),
    )


def chart_period(patient: User, today: date) -> tuple[date, date]:
    """Up to 90 days ending today, starting a week before the first injection if that is later."""
    first_injection = (
        Injection.objects.filter(patient=patient)
        .order_by("day")
        .values_list("day", flat=True)
        .first()
    )
    earliest = today - timedelta(days=CHART_MAX_DAYS - 1)
    if first_injection is None:
        return earliest, today
    return max(earliest, min(today, first_injection - timedelta(days=BASELINE_DAYS_SHOWN))), today


def symptom_chart_args(patient: User, start: date, end: date) -> dict:
    entries = DiaryEntry.objects.filter(patient=patient, day__range=(start, end)).only(
        "day", "pain", "swelling", "warmth", "temperature_c", "night_pain"
    )
    occurrences = FlagOccurrence.objects.filter(
        flag__patient=patient, day__range=(start, end), withdrawn_at__isnull=True
    ).exclude(flag__status=Flag.Status.WITHDRAWN)
    clinic = patient.clinic
    symptom_goals = Goal.objects.filter(patient=patient, kind=GoalKind.SYMPTOM)
    review = (
        Goal.objects.filter(patient=patient, review_date__gte=start)
        .order_by("-review_date")
        .values_list("review_date", flat=True)
        .first()
    )
    return {
        "days": tuple(
            charts.ChartDay(
                day=e.day,
                pain=e.pain,
                swelling=e.swelling,
                warmth=e.warmth,
                temperature_c=None if e.temperature_c is None else float(e.temperature_c),
                night_pain=e.night_pain,
            )
            for e in entries
        ),
        "injections": tuple(
            Injection.objects.filter(patient=patient).values_list("day", flat=True).order_by("day")
        ),
        "start": start,
        "end": end,
        "flags": tuple(
            charts.ChartFlag(day, severity)
            for day, severity in sorted(set(occurrences.values_list("day", "severity")))
        ),
        "goal_targets": tuple(
            charts.GoalTarget(goal.title, goal.measure, float(goal.target))
            for goal in symptom_goals
        ),
        "review_date": review,
        "fever_caution_c": float(clinic.fever_caution_c),
        "fever_urgent_c": float(clinic.fever_urgent_c),
        "labels": chart_labels(),
    }


def goals_chart_args(patient: User, start: date, end: date) -> dict:
    goals = list(Goal.objects.filter(patient=patient, kind=GoalKind.ABILITY))
    ratings: dict[int, list[tuple[date, float]]] = {goal.pk: [] for goal in goals}
    for goal_id, day, value in GoalRating.objects.filter(goal__in=goals).values_list(
        "goal_id", "day", "value"
    ):
        ratings[goal_id].append((day, float(value)))
    return {
        "goals": tuple(
            charts.GoalSeries(
                goal.title,
                float(goal.baseline),
                float(goal.target),
                goal.review_date,
                tuple(sorted(ratings[goal.pk])),
            )
            for goal in goals
        ),
        "start": start,
        "end": max(end, max((g.review_date for g in goals), default=end)),
        "injections": tuple(
            Injection.objects.filter(patient=patient).values_list("day", flat=True).order_by("day")
        ),
        "labels": chart_labels(),
    }


# A page with the chart draws its data table from the chart's inputs and keeps them for a few
# minutes for its image request (the key goes in the image's URL), so one page view builds them
# once. A miss (another server, a later visit) builds them again.
KEPT_SECONDS = 300


def _inputs_key(args: dict) -> str:
    return hashlib.sha256((_code_version() + repr(sorted(args.items()))).encode()).hexdigest()[:32]


def chart_inputs_keep(patient: User, args: dict) -> str:
    """Keep the page's chart inputs for its image request; returns the key for the image URL."""
    key = _inputs_key(args)
    django_cache.set(f"chart-inputs:{patient.pk}:{key}", args, KEPT_SECONDS)
    return key


def chart_inputs_kept(patient: User, key: str | None) -> dict | None:
    """The inputs a page of this patient kept under `key` (the image URL's `v`), if still there.
    Keyed by the patient the view already checked access to, so no one reads another's."""
    if not key or len(key) != 32 or not key.isalnum():
        return None
    return django_cache.get(f"chart-inputs:{patient.pk}:{key}")


def svg_response(request, render, args: dict) -> HttpResponse:
    """The chart as SVG with an ETag of its inputs; 304 when the browser already has it.

    The page's `?layout=narrow` draws it for a phone; any other value gets the wide drawing.
    """
    args = {**args, "layout": chart_layout(request)}
    etag = f'"{_inputs_key(args)}"'
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(render(**args), content_type="image/svg+xml")
    for name, value in headers.items():
        response[name] = value
    return response


def symptom_table(args: dict) -> list[dict]:
    """The symptom chart's data as rows, its text alternative (latest day first)."""
    severities: dict[date, list[str]] = {}
    for flag in args["flags"]:
        severities.setdefault(flag.day, []).append(flag.severity)
    return [
        {
            "day": day.day,
            "day_number": days_since_injection(day.day, args["injections"]),
            "pain": day.pain,
            "swelling": day.swelling,
            "warmth": day.warmth,
            "temperature_c": day.temperature_c,
            "severities": severities.get(day.day, []),
        }
        for day in sorted(args["days"], key=lambda d: d.day, reverse=True)
    ]
