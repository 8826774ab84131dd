"""The A4 summary of one adverse event: the items a report form (疾病等報告書) asks for, as
label and value, in the order the form asks them, ready to copy. Read in Japanese: the view
renders it with Japanese switched on, whatever the reader's language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from diary.flag_text import flag_name
from registry import rules
from registry.models import AdverseEvent

NOT_RECORDED = "—"


@dataclass(frozen=True)
class SummaryPart:
    title: str
    rows: list[tuple[str, str]]


def _day(value: date | None) -> str:
    return value.isoformat() if value else NOT_RECORDED


def deadline_text(event: AdverseEvent, today: date) -> str:
    deadline = event.deadline
    if deadline is None:
        if not event.is_serious:
            return _("No report owed: not serious.")
        if event.plan_id is None:
            return _("No report owed under the Act: not given under a treatment plan.")
        return _("No report owed: judged not related to the treatment.")
    days = rules.REPORT_WITHIN_DAYS[event.seriousness]
    within = ngettext(
        "%(day)s (within %(n)s day of learning of it)",
        "%(day)s (within %(n)s days of learning of it)",
        days,
    ) % {"day": deadline.isoformat(), "n": days}
    return within


def event_summary(event: AdverseEvent, today: date) -> list[SummaryPart]:
    patient, plan, injection = event.patient, event.plan, event.injection
    clinic = patient.clinic
    age = patient.age_on(event.onset_on)
    parts = [
        SummaryPart(
            _("Reporting institution"),
            [
                (_("Medical institution"), clinic.name),
                (_("Phone"), clinic.phone),
            ],
        ),
        SummaryPart(
            _("Treatment plan"),
            [
                (_("Plan number"), plan.number if plan else NOT_RECORDED),
                (_("Title of the plan"), plan.title if plan else NOT_RECORDED),
                (_("Class"), plan.get_risk_class_display() if plan else NOT_RECORDED),
                (_("Certified committee"), plan.committee if plan else NOT_RECORDED),
                (_("Date the plan was accepted"), _day(plan.accepted_on) if plan else NOT_RECORDED),
            ],
        ),
        SummaryPart(
            _("Patient"),
            [
                (_("Patient number"), patient.patient_number or NOT_RECORDED),
                (
                    _("Age at onset"),
                    NOT_RECORDED
                    if age is None
                    else ngettext("%(n)s year", "%(n)s years", age) % {"n": age},
                ),
                (_("Sex"), _("Not recorded in the diary")),
            ],
        ),
        SummaryPart(
            _("Treatment given"),
            [
                (_("Date of the treatment"), _day(injection.day) if injection else NOT_RECORDED),
                (
                    _("Site"),
                    site_text(injection) if injection else NOT_RECORDED,
                ),
                (_("Agent"), injection.get_agent_display() if injection else NOT_RECORDED),
                (
                    _("Number in course"),
                    str(injection.course_number) if injection else NOT_RECORDED,
                ),
            ],
        ),
        SummaryPart(
            _("Adverse event"),
            [
                (_("Onset"), _day(event.onset_on)),
                (_("Date the clinic learned of it"), _day(event.learned_on)),
                (_("What happened"), event.description),
                (_("Seriousness"), event.get_seriousness_display()),
                (_("Relation to the treatment"), event.get_relation_display()),
                (pgettext("adverse event", "Outcome"), event.get_outcome_display()),
                (_("Date of the outcome"), _day(event.outcome_on)),
                *_flag_row(event),
            ],
        ),
        SummaryPart(
            _("Report"),
            [
                (_("Reporting deadline"), deadline_text(event, today)),
                (_("Reported on"), _day(event.reported_on)),
                (
                    _("Reported to"),
                    event.get_reported_to_display() if event.reported_to else NOT_RECORDED,
                ),
                (_("Recorded by"), event.recorded_by.name),
                (
                    _("Recorded at"),
                    localtime(event.recorded_at, clinic.tz).strftime("%Y-%m-%d %H:%M"),
                ),
            ],
        ),
    ]
    return parts


def site_text(injection) -> str:
    return _("%(joint)s (%(side)s)") % {
        "joint": injection.get_joint_display(),
        "side": injection.get_side_display(),
    }


def _flag_row(event: AdverseEvent) -> list[tuple[str, str]]:
    flag = event.flag
    if flag is None:
        return []
    days = flag.first_day.isoformat()
    if flag.last_day != flag.first_day:
        days += f" – {flag.last_day.isoformat()}"
    return [(_("Warning sign in the diary"), f"{flag_name(flag.code)} ({days})")]
