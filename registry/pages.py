"""What the register's pages and files say: the figures in words, tables and charts.

Reads nothing from the database: the selectors' results come in, rows of translated words go
out, the same rows for the page, the PDF and the CSV.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from diary.flag_text import flag_name
from registry import charts, rules
from registry.selectors import ClinicOutcomes, PeriodicReport

GOAL_LABELS = {
    "met": lambda: _("Met"),
    "improved": lambda: _("Improved"),
    "not_met": lambda: _("Not met"),
    "no_data": lambda: _("No data"),
}


def percent(share: float | None) -> str:
    return "—" if share is None else f"{number_format(share * 100, 0)} %"


def interval_text(interval) -> str:
    if interval is None:
        return "—"
    low, high = interval
    return f"{number_format(low * 100, 0)}–{number_format(high * 100, 0)} %"


def too_few(n: int) -> str:
    return ngettext("Too few to say (%(n)s patient)", "Too few to say (%(n)s patients)", n) % {
        "n": n
    }


def data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


@dataclass
class Row:
    """A table row: its cells and, when the group is too small, the words across the rest."""

    cells: list[str]
    note: str = ""
    span: int = 0  # the columns the note covers (set by its Section)


@dataclass
class Section:
    """One measure: its chart (with the table as the text alternative) and the table."""

    key: str
    title: str
    explanation: str
    headers: list[str]
    rows: list[Row]
    chart: str = ""  # a data: URI

    def __post_init__(self):
        for row in self.rows:
            row.span = len(self.headers) - len(row.cells)


def outcome_sections(result: ClinicOutcomes) -> list[Section]:
    label = result.labels.get
    # The whole clinic's row always; a group only where it has something to count.
    whole, groups = result.rows[:1], result.rows[1:]
    reviewed = whole + [row for row in groups if row.patients_reviewed]
    injected = whole + [row for row in groups if row.injections]
    return [
        _responders(reviewed, label),
        _goals(reviewed, label),
        _pain(reviewed, label),
        _flags(injected, label, result.flag_codes),
        _logging(reviewed, label),
    ]


def _too_few_bar(row, label) -> charts.Bar:
    return charts.Bar(label(row.group), None, note=too_few(row.patients_reviewed))


def _responders(rows, label) -> Section:
    bars, table = [], []
    for row in rows:
        p = row.responders
        if row.too_few_reviewed:
            bars.append(_too_few_bar(row, label))
            table.append(
                Row([label(row.group), str(row.patients_reviewed)], too_few(row.patients_reviewed))
            )
            continue
        low, high = p.interval or (None, None)
        bars.append(
            charts.Bar(
                label(row.group),
                None if p.share is None else p.share * 100,
                None if low is None else low * 100,
                None if high is None else high * 100,
                f"{p.count}/{p.total}",
            )
        )
        table.append(
            Row(
                [
                    label(row.group),
                    str(row.patients_reviewed),
                    f"{p.count} / {p.total}",
                    percent(p.share),
                    interval_text(p.interval),
                    str(row.responder_no_data),
                ]
            )
        )
    return Section(
        "responders",
        _("Responders (OMERACT-OARSI)"),
        _(
            "Share of the reviewed patients with a verdict who responded, with its "
            "confidence interval (Wilson, 95%). Patients without enough data are counted apart."
        ),
        [
            _("Group"),
            _("Patients reviewed"),
            _("Responders"),
            _("Rate"),
            _("Confidence interval (95%)"),
            _("Not enough data"),
        ],  # fmt: skip
        table,
        data_uri(charts.bar_chart(tuple(bars), axis=_("Responders (%)"), limits=(0, 100))),
    )


def _goals(rows, label) -> Section:
    parts = tuple(GOAL_LABELS[s]() for s in rules.GOAL_STATUSES)
    stacks, table = [], []
    for row in rows:
        total = sum(row.goals.values())
        if row.too_few_reviewed:
            stacks.append(charts.Stack(label(row.group), None, note=too_few(row.patients_reviewed)))
            table.append(Row([label(row.group)], too_few(row.patients_reviewed)))
            continue
        shares = tuple(row.goals[s] / total for s in rules.GOAL_STATUSES) if total else None
        stacks.append(charts.Stack(label(row.group), shares, str(total)))
        table.append(
            Row([label(row.group), str(total), *[str(row.goals[s]) for s in rules.GOAL_STATUSES]])
        )
    return Section(
        "goals",
        _("Goals at the review date"),
        _("Every goal agreed for the reviewed courses, judged at its review date."),
        [_("Group"), _("Goals"), *parts],
        table,
        data_uri(charts.stacked_chart(tuple(stacks), parts=parts, axis=_("Share of goals (%)"))),
    )


def _pain(rows, label) -> Section:
    bars, table = [], []
    for row in rows:
        if row.too_few_reviewed:
            bars.append(_too_few_bar(row, label))
            table.append(Row([label(row.group)], too_few(row.patients_reviewed)))
            continue
        median = row.median_pain_change
        text = "—" if median is None else number_format(median, 1)
        bars.append(charts.Bar(label(row.group), median, text=text))
        table.append(Row([label(row.group), text, str(row.pain_changes)]))
    return Section(
        "pain",
        _("Median change in pain"),
        _(
            "Worst pain (0–10), the 7-day mean up to the review date minus the week before the "
            "course; below zero is less pain."
        ),
        [_("Group"), _("Median change (points)"), _("Patients with both weeks")],
        table,
        data_uri(
            charts.bar_chart(
                tuple(bars),
                axis=_("Change in pain (0–10)"),
                limits=charts.limits_for([b.value for b in bars], at_least=(-5, 1)),
            )
        ),
    )


def _flags(rows, label, codes) -> Section:
    """Rows are the warning signs, columns the groups: eight codes read down, not across."""
    headers = [_("Warning sign"), *[label(row.group) for row in rows]]
    table = [Row([_("Injections given"), *[str(row.injections) for row in rows]])]
    for code in (None, *codes):
        cells = []
        for row in rows:
            if row.too_few_injected:
                cells.append(too_few(row.injected_patients) if code is None else "")
                continue
            rate = row.flags_per_100(code)
            count = sum(row.flags_by_code.values()) if code is None else row.flags_by_code[code]
            cells.append("—" if rate is None else f"{number_format(rate, 1)} ({count})")
        table.append(Row([_("All warning signs") if code is None else flag_name(code), *cells]))
    bars = []
    for row in rows:
        if row.too_few_injected:
            bars.append(charts.Bar(label(row.group), None, note=too_few(row.injected_patients)))
            continue
        rate = row.flags_per_100()
        bars.append(charts.Bar(label(row.group), rate, text=number_format(rate or 0, 1)))
    return Section(
        "flags",
        _("Red flags per 100 injections"),
        _(
            "Urgent and caution warning signs first raised after an injection given in the "
            "period (before the next one), per 100 injections; the number of signs in brackets."
        ),
        headers,
        table,
        data_uri(
            charts.bar_chart(
                tuple(bars),
                axis=_("Red flags per 100 injections"),
                limits=charts.limits_for([b.value for b in bars], at_least=(0, 10)),
            )
        ),
    )


def _logging(rows, label) -> Section:
    bars, table = [], []
    for row in rows:
        p = row.logging
        if row.too_few_reviewed:
            bars.append(_too_few_bar(row, label))
            table.append(Row([label(row.group)], too_few(row.patients_reviewed)))
            continue
        share = None if p.share is None else p.share * 100
        bars.append(charts.Bar(label(row.group), share, text=percent(p.share)))
        table.append(Row([label(row.group), f"{p.count} / {p.total}", percent(p.share)]))
    return Section(
        "logging",
        _("Still logging at the review date"),
        _("Reviewed patients with a diary entry in the 7 days up to their review date."),
        [_("Group"), pgettext("number of", "Patients"), _("Share")],
        table,
        data_uri(charts.bar_chart(tuple(bars), axis=_("Still logging (%)"), limits=(0, 100))),
    )


# --- The periodic report -----------------------------------------------------------------


def periodic_rows(report: PeriodicReport) -> list[tuple[str, str, str]]:
    """(section, item, value) for every figure of the report: the CSV, and the tables."""
    c = report.counts
    treatment = _("Treatment")
    events = _("Adverse events")
    follow = _("Follow-up and outcomes")
    rows = [
        (treatment, _("Patients treated"), str(c.patients_treated)),
        (treatment, _("Injections given"), str(c.injections_given)),
        (events, _("Adverse events"), str(c.events)),
        (events, _("Serious adverse events"), str(c.serious_events)),
    ]
    for value, text in report.seriousness:
        rows.append(
            (events, _("Seriousness: %(what)s") % {"what": text}, str(c.by_seriousness(value)))
        )
    for value, text in report.outcomes:
        rows.append((events, _("Outcome: %(what)s") % {"what": text}, str(c.by_outcome(value))))
    for s_value, s_text in report.seriousness:
        for o_value, o_text in report.outcomes:
            count = c.events_by.get((s_value, o_value), 0)
            if count:
                rows.append((events, f"{s_text} · {o_text}", str(count)))
    rows += [
        (follow, _("Treated patients with a review verdict"),
         f"{c.follow_up.count} / {c.follow_up.total} ({percent(c.follow_up.share)})"),
        (follow, _("Responders (OMERACT-OARSI)"), str(c.responders)),
        (follow, _("Not responders"), str(c.non_responders)),
        (follow, _("Responder: not enough data"), str(c.responder_no_data)),
    ]  # fmt: skip
    for status in rules.GOAL_STATUSES:
        rows.append(
            (follow, _("Goals: %(what)s") % {"what": GOAL_LABELS[status]()}, str(c.goals[status]))
        )
    return rows


# --- An event's earlier versions ---------------------------------------------------------


@dataclass(frozen=True)
class DescribedVersion:
    version: object
    before: list[tuple[str, str]]  # (label, value before) of each changed field


def described_versions(versions, injections, plans) -> list[DescribedVersion]:
    """Each version's changed fields with their labels and the values before, in words."""
    from registry.forms import injection_label, plan_label
    from registry.models import AdverseEvent

    injection_of = {i.pk: injection_label(i) for i in injections}
    plan_of = {p.pk: plan_label(p) for p in plans}
    described = []
    for version in versions:
        before = []
        for name in version.changed_fields:
            field_ = AdverseEvent._meta.get_field(name.removesuffix("_id"))
            value = version.data.get(name)
            if value in (None, ""):
                text = "—"
            elif name == "injection_id":
                text = injection_of.get(value, f"#{value}")
            elif name == "plan_id":
                text = plan_of.get(value, f"#{value}")
            elif field_.choices:
                text = str(dict(field_.choices).get(value, value))
            else:
                text = str(value)
            before.append((str(field_.verbose_name).capitalize(), text))
        described.append(DescribedVersion(version, before))
    return described
