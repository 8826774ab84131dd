"""How fast the clinic answers its red flags (/clinic/quality/): the page, its chart and a CSV.

For the clinic's own clinicians and administrators (diary.access); the figures hold no
patient's name or data, so nothing is written to the access log.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from diary import quality
from diary.access import clinic_staff_required
from diary.chart_data import svg_response
from diary.models import Flag
from diary.quality_chart import QualityChartLabels, QualityChartMonth, quality_chart
from diary.quality_data import ACTIONS, quality_figures, quality_targets
from diary.research import csv_cell
from diary.views.downloads import as_download
from diary.waiting import precise_duration_text


def _month_label(month) -> str:
    return f"{month:%Y/%m}"


def _minutes(value: float | None) -> str:
    return "—" if value is None else precise_duration_text(round(value))


def _percent(value: float | None) -> str:
    return "—" if value is None else _("%(percent)d %%") % {"percent": round(value * 100)}


def _share(part: int, whole: int) -> tuple[str, str]:
    """ "50 %" and "(2 of 4)", shown on two lines; "—" when nothing was judged."""
    if not whole:
        return "—", ""
    return _percent(quality.share(part, whole)), _("(%(part)d of %(whole)d)") % {
        "part": part,
        "whole": whole,
    }


@dataclass(frozen=True)
class _SeverityRow:
    flags: int
    acknowledged: int
    median: str
    p90: str
    within: str  # "50 %"
    within_of: str  # "(2 of 4)"


@dataclass(frozen=True)
class _Row:
    month: str
    urgent: _SeverityRow
    caution: _SeverityRow
    actions: list[int]
    calls: str
    calls_reached: str


def _severity_row(figures: quality.SeverityFigures) -> _SeverityRow:
    return _SeverityRow(
        figures.flags,
        figures.acknowledged,
        _minutes(figures.median_minutes),
        _minutes(figures.p90_minutes),
        *_share(figures.within_target, figures.judged),
    )


def _rows(months: list[quality.MonthFigures]) -> list[_Row]:
    return [
        _Row(
            _month_label(m.month),
            _severity_row(m.urgent),
            _severity_row(m.caution),
            [m.actions.get(action, 0) for action in ACTIONS],
            "—" if m.calls is None else str(m.calls),
            "—" if m.calls_reached is None else str(m.calls_reached),
        )
        for m in reversed(months)  # the latest month first
    ]


def _chart_args(months: list[quality.MonthFigures]) -> dict:
    return {
        "months": tuple(
            QualityChartMonth(
                _month_label(m.month),
                m.urgent.flags,
                m.caution.flags,
                m.urgent.share_within_target,
                m.caution.share_within_target,
            )
            for m in months
        ),
        "labels": QualityChartLabels(
            flags=_("Flags"),
            share=_("Within target (percent)"),
            urgent=_("Urgent"),
            caution=_("Caution"),
        ),
    }


@clinic_staff_required
def quality_page(request):
    clinic = request.user.clinic
    months = quality_figures(clinic)
    chart_months = _chart_args(months)["months"]
    context = {
        "rows": _rows(months),
        "chart_rows": [
            {
                "month": m.label,
                "urgent_flags": m.urgent_flags,
                "urgent_share": _percent(m.urgent_share),
                "caution_flags": m.caution_flags,
                "caution_share": _percent(m.caution_share),
            }
            for m in reversed(chart_months)
        ],
        "action_labels": [Flag.Action(action).label for action in ACTIONS],
        "urgent_target": precise_duration_text(clinic.urgent_target_minutes),
        "caution_target": precise_duration_text(clinic.caution_target_hours * 60),
    }
    return render(request, "clinic/quality.html", context)


@clinic_staff_required
def quality_chart_svg(request):
    return svg_response(request, quality_chart, _chart_args(quality_figures(request.user.clinic)))


CSV_COLUMNS = (
    "month",
    *(
        f"{severity}_{name}"
        for severity in quality.SEVERITIES
        for name in (
            "flags",
            "acknowledged",
            "median_minutes",
            "p90_minutes",
            "target_minutes",
            "judged",
            "within_target",
            "percent_within_target",
        )
    ),
    *(f"action_{action}" for action in ACTIONS),
    "calls",
    "calls_reached",
)


def _number(value: float | None):
    return None if value is None else round(value, 1)


def _csv_severity(figures: quality.SeverityFigures, target_minutes: int) -> list:
    share = figures.share_within_target
    return [
        figures.flags,
        figures.acknowledged,
        _number(figures.median_minutes),
        _number(figures.p90_minutes),
        target_minutes,
        figures.judged,
        figures.within_target,
        None if share is None else round(share * 100, 1),
    ]


@clinic_staff_required
def quality_csv(request):
    """The page's figures as a spreadsheet, one row per month (machine column names)."""
    clinic = request.user.clinic
    targets = quality_targets(clinic)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.write("\ufeff")  # a byte-order mark: spreadsheets then read UTF-8
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for m in quality_figures(clinic):
        row = [
            f"{m.month:%Y-%m}",
            *_csv_severity(m.urgent, targets.urgent_minutes),
            *_csv_severity(m.caution, targets.caution_minutes),
            *(m.actions.get(action, 0) for action in ACTIONS),
            m.calls,
            m.calls_reached,
        ]
        writer.writerow([csv_cell(value) for value in row])
    return as_download(response, f"response-times-{timezone.localdate():%Y%m%d}.csv")
