"""The visit report: what a doctor reads in a minute, as HTML for the browser and as a PDF.

One template (templates/report/report.html) serves both. WeasyPrint fetches nothing but the
project's own static files and the Japanese font the requirements install.
"""

from __future__ import annotations

import base64
import mimetypes
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from accounts.models import User
from diary import charts, outcomes
from diary.chart_data import symptom_chart_args, symptom_table
from diary.flag_text import flag_text
from diary.models import DiaryEntry, Flag, Injection
from diary.progress import course_outcome, course_pain_baseline, course_start
from diary.selectors import clinic_today

MAX_REPORT_DAYS = 180
DAYS_BEFORE_INJECTION = 7
# A base address that can never be fetched from the network: every URL in the report resolves
# against it, and the fetcher below answers only for the project's own files.
REPORT_BASE_URL = "https://report.invalid/"
FONT_PATH = "/fonts/ipaexg.ttf"


@dataclass(frozen=True)
class ReportPeriod:
    start: date
    end: date
    adjusted: bool = False  # the requested period was invalid and replaced


def report_period(patient: User, start: str | None, end: str | None) -> ReportPeriod:
    """The requested period, or the default: the week before the latest injection until today."""
    today = clinic_today(patient.clinic)
    latest = (
        Injection.objects.filter(patient=patient, day__lte=today)
        .order_by("-day")
        .values_list("day", flat=True)
        .first()
    )
    default_end = today
    default_start = max(
        (latest or today) - timedelta(days=DAYS_BEFORE_INJECTION),
        today - timedelta(days=MAX_REPORT_DAYS - 1),
    )
    if not start and not end:
        return ReportPeriod(default_start, default_end)
    try:
        first = date.fromisoformat(start) if start else default_start
        last = date.fromisoformat(end) if end else default_end
    except ValueError:
        return ReportPeriod(default_start, default_end, adjusted=True)
    if first > last or last > today or (last - first).days >= MAX_REPORT_DAYS:
        return ReportPeriod(default_start, default_end, adjusted=True)
    return ReportPeriod(first, last)


def _data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def report_context(patient: User, period: ReportPeriod, *, narrow_chart: bool = False) -> dict:
    """Everything the report shows for the period; the verdict is as of the period's end.

    `narrow_chart`: also the chart drawn for a phone, for the report seen in a browser (the PDF
    and the printed page keep the wide one)."""
    start, end = period.start, period.end
    chart_args = symptom_chart_args(patient, start, end)
    svg = charts.symptom_chart(**chart_args)
    injections = list(Injection.objects.filter(patient=patient, day__lte=end).order_by("day"))
    shown_injections = [i for i in injections if i.day >= start] or injections[-1:]
    flags = [
        (flag, flag_text(flag.code, flag.severity))
        for flag in Flag.objects.filter(patient=patient, last_day__gte=start, first_day__lte=end)
        .exclude(status=Flag.Status.WITHDRAWN)
        .select_related("acknowledged_by")
        .order_by("first_day", "id")
    ]
    entries = DiaryEntry.objects.filter(patient=patient, day__range=(start, end))
    notes = [(e.day, e.notes) for e in entries.order_by("day") if e.notes]
    # The summary starts with the period's red flags and its highest temperature (the first of
    # its days, when it was measured more than once).
    hottest = (
        entries.exclude(temperature_c=None)
        .order_by("-temperature_c", "day")
        .values_list("temperature_c", "day")
        .first()
    )
    rows = symptom_table(chart_args)
    by_day = {e.day: e for e in entries}
    for row in rows:
        entry = by_day.get(row["day"])
        row["redness"] = entry.get_redness_display() if entry else ""
        row["weight_bearing"] = entry.get_weight_bearing_display() if entry else ""
    rows.reverse()  # oldest first, as a table on paper is read
    outcome = course_outcome(patient, end)
    # The baseline is the week before the first injection of the course (SPEC §4).
    first_injection = (outcome.course_start if outcome else None) or (
        course_start(patient, injections[-1]) if injections else None
    )
    return {
        "patient": patient,
        "clinic": patient.clinic,
        "age": patient.age_on(end),
        "period": period,
        "generated_on": clinic_today(patient.clinic),
        "injections": shown_injections,
        "outcome": outcome,
        "pain": pain_summary(patient, first_injection, outcome, end, injections=injections),
        "chart_data_uri": _data_uri(svg),
        "chart_narrow_data_uri": (
            _data_uri(charts.symptom_chart(**chart_args, layout=charts.NARROW))
            if narrow_chart
            else ""
        ),
        "flags": flags,
        "highest_temperature": hottest and {"value": hottest[0], "day": hottest[1]},
        "rows": rows,
        "notes": notes,
    }


def report_html(context: dict, *, request=None, for_pdf: bool = False) -> str:
    return render_to_string("report/report.html", {**context, "for_pdf": for_pdf}, request=request)


class ProjectFilesFetcher(URLFetcher):
    """Lets WeasyPrint read only the project's static files, the Japanese font, and the chart's
    data: URI. Anything else (file://, http://, a patient's text posing as a URL) is refused."""

    def fetch(self, url, headers=None):
        if url.startswith("data:image/svg+xml;base64,"):
            body = base64.b64decode(url.split(",", 1)[1])
            return URLFetcherResponse(url, body, {"Content-Type": "image/svg+xml"})
        if not url.startswith(REPORT_BASE_URL):
            raise ValueError(f"Refusing to fetch {url[:80]!r} while rendering a report")
        path = "/" + url.removeprefix(REPORT_BASE_URL).split("?")[0].split("#")[0]
        if path == FONT_PATH:
            return _file_response(url, charts.japanese_font_path())
        if path.startswith(settings.STATIC_URL):
            found = finders.find(path.removeprefix(settings.STATIC_URL))
            if found:
                return _file_response(url, Path(found))
        raise ValueError(f"Not a project file: {path[:80]!r}")


def _file_response(url: str, path: Path) -> URLFetcherResponse:
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def report_pdf(html: str) -> bytes:
    return HTML(
        string=html, base_url=REPORT_BASE_URL, url_fetcher=ProjectFilesFetcher()
    ).write_pdf()


@dataclass(frozen=True)
class PainSummary:
    """Worst pain (NRS 0–10) before the course, and the 7-day mean at the review or lately."""

    baseline: float | None
    latest: float | None
    at_review: bool  # `latest` is the follow-up week ending on the review date
    baseline_source: outcomes.BaselineSource | None = None  # the diary's week, or "recorded"
    # The day of the injection whose week before is the baseline, when that is not the latest
    # injection (the first of a course of several); None when it is.
    baseline_before: date | None = None


def pain_summary(
    patient: User, first_injection, outcome, end: date, *, injections=()
) -> PainSummary:
    latest_injection = injections[-1] if injections else None
    baseline_before = (
        first_injection.day
        if first_injection is not None and first_injection != latest_injection
        else None
    )
    if outcome is not None and outcome.responder is not None:
        responder = outcome.responder
        return PainSummary(
            responder.pain_baseline,
            responder.pain_follow_up,
            True,
            responder.pain_baseline_source,
            baseline_before,
        )
    pain = dict(DiaryEntry.objects.filter(patient=patient).values_list("day", "pain"))
    baseline = course_pain_baseline(pain, first_injection)
    return PainSummary(
        baseline.value,
        outcomes.follow_up_score(pain, end),
        False,
        baseline.source,
        baseline_before,
    )
