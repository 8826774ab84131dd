"""The places where the diary asks the register something, kept in one module.

- The injection form asks for the treatment plan when the clinic has plans
  (diary/views/clinic.py calls `injection_form` and `injection_plan_save`).
- Erasure asks whether the records must be kept (diary/privacy.py calls
  registry.retention.erasure_guard).
- The patient's own download asks for their adverse events as plain data (diary/privacy.py
  calls `patient_adverse_events`).

The diary imports these functions only; it knows nothing of plans or events.
"""

from __future__ import annotations

from datetime import date

from accounts.models import User
from diary.forms import InjectionForm
from diary.models import Injection
from registry.forms import InjectionPlanForm
from registry.models import PlanInjection
from registry.selectors import patient_events_export, plans_for_injections
from registry.services import injection_plan_set


def injection_form(data, *, patient: User, injection: Injection | None, today: date):
    """The diary's InjectionForm, with the plan field when the patient's clinic has plans."""
    plans = plans_for_injections(patient.clinic)
    if not plans:
        return InjectionForm(data, instance=injection, today=today)
    initial = {}
    if injection is not None:
        link = PlanInjection.objects.filter(injection=injection).first()
        initial["plan"] = link.plan_id if link else None
    return InjectionPlanForm(data, instance=injection, today=today, plans=plans, initial=initial)


def injection_plan_save(form, *, injection: Injection, by: User) -> None:
    """After the injection is saved: link it to the plan chosen (or to none)."""
    if isinstance(form, InjectionPlanForm):
        injection_plan_set(injection=injection, plan=form.chosen_plan(), by=by)


def patient_adverse_events(patient: User) -> list[dict]:
    """The adverse events the register holds about the patient, for their own download
    (registry.selectors.patient_events_export says which fields and why)."""
    return patient_events_export(patient)
