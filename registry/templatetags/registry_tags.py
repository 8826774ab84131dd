"""Template tags behind the register's partials on the dashboard and the patient page.

Each runs one query, whatever the page shows (no query per row): the partials are included by
templates the diary owns, which know nothing of the register.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template

from diary.selectors import clinic_today
from registry.retention import retention_hold
from registry.selectors import Deadline, clinic_deadlines, deadlines_of, patient_events

register = template.Library()


@register.simple_tag(takes_context=True)
def clinic_report_deadlines(context) -> list[Deadline]:
    """The clinic's open reporting deadlines of serious adverse events (one query)."""
    user = context.get("user")
    if user is None or not getattr(user, "is_clinic_staff", False):
        return []
    return clinic_deadlines(user.clinic, clinic_today(user.clinic))


@dataclass(frozen=True)
class PatientRegister:
    events: list
    deadlines: list[Deadline]


@register.simple_tag
def patient_register(patient) -> PatientRegister:
    """The patient's adverse events and their open reporting deadlines (one query)."""
    events = patient_events(patient)
    return PatientRegister(events, deadlines_of(events, clinic_today(patient.clinic)))


@register.simple_tag
def retention_of(patient):
    """Why and until when the patient's records must be kept (None: they need not be)."""
    return retention_hold(patient)
