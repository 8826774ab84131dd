"""Writes to the register. Each service validates, runs in one transaction and returns the row.

Views call these; nothing else writes TreatmentPlan, PlanInjection or AdverseEvent rows.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Clinic, User
from diary.models import Flag, Injection
from registry.models import (
    EVENT_FIELDS,
    PLAN_REQUIRED_AGENTS,
    AdverseEvent,
    AdverseEventVersion,
    PlanInjection,
    TreatmentPlan,
)

PLAN_FIELDS = ("number", "title", "agent", "risk_class", "accepted_on", "committee")
# What a clinician records or changes of an event (the patient and the flag come with it).
EVENT_VALUES = (
    "onset_on",
    "learned_on",
    "description",
    "seriousness",
    "relation",
    "outcome",
    "outcome_on",
    "injection",
    "plan",
)


def plan_save(
    *, clinic: Clinic, values: dict, by: User, plan: TreatmentPlan | None = None
) -> TreatmentPlan:
    """Record a new treatment plan of the clinic, or correct one."""
    if plan is None:
        plan = TreatmentPlan(clinic=clinic, created_by=by)
    elif plan.clinic_id != clinic.pk:
        raise ValueError("The plan belongs to another clinic.")
    for name in PLAN_FIELDS:
        if name in values:
            setattr(plan, name, values[name])
    with transaction.atomic():
        plan.full_clean()
        plan.save()
    return plan


def plan_for_injection_check(injection: Injection, plan: TreatmentPlan | None) -> None:
    """Raise ValidationError (keyed "plan") unless `plan` may hold the injection."""
    if plan is None:
        return
    if plan.clinic_id != injection.patient.clinic_id:
        raise ValidationError({"plan": _("This plan is another clinic's.")})
    if plan.agent != injection.agent:
        raise ValidationError(
            {"plan": _("This plan is for %(plan)s, not for %(agent)s.")
             % {"plan": plan.get_agent_display(), "agent": injection.get_agent_display()}}
        )  # fmt: skip
    if injection.day < plan.accepted_on:
        raise ValidationError(
            {"plan": _("This plan was accepted on %(day)s, after the injection.")
             % {"day": plan.accepted_on.isoformat()}}
        )  # fmt: skip


def injection_plan_set(
    *, injection: Injection, plan: TreatmentPlan | None, by: User
) -> PlanInjection | None:
    """Say which plan the injection was given under (None: none). An injection of PRP or cell
    therapy keeps its link only while the agent matches; another agent loses it."""
    plan_for_injection_check(injection, plan)
    with transaction.atomic():
        link = PlanInjection.objects.select_for_update().filter(injection=injection).first()
        if plan is None:
            if link is not None:
                link.delete()
            return None
        if link is None:
            link = PlanInjection(injection=injection)
        elif link.plan_id == plan.pk:
            return link
        link.plan = plan
        link.linked_by = by
        link.linked_at = timezone.now()
        link.full_clean(validate_unique=False)
        link.save()
    return link


def plan_required_for(agent: str) -> bool:
    return agent in PLAN_REQUIRED_AGENTS


def _event_check(event: AdverseEvent) -> None:
    """The injection and the flag must be the patient's, the plan the patient's clinic's; an
    injection given under a plan brings that plan (another plan is refused)."""
    patient = event.patient
    if event.injection is not None and event.injection.patient_id != patient.pk:
        raise ValueError("The injection belongs to another patient.")
    if event.flag is not None and event.flag.patient_id != patient.pk:
        raise ValueError("The warning sign belongs to another patient.")
    if event.plan is not None and event.plan.clinic_id != patient.clinic_id:
        raise ValueError("The plan belongs to another clinic.")
    if event.injection is not None:
        link = PlanInjection.objects.filter(injection=event.injection).select_related("plan")
        link = link.first()
        if link is not None and event.plan is None:
            event.plan = link.plan
        elif link is not None and link.plan_id != event.plan.pk:
            raise ValidationError(
                {"plan": _("The injection was given under plan %(number)s.")
                 % {"number": link.plan.number}}
            )  # fmt: skip


def adverse_event_record(
    *, patient: User, values: dict, by: User, flag: Flag | None = None
) -> AdverseEvent:
    """Record an adverse event of the patient, possibly from one of their warning signs."""
    unknown = set(values) - set(EVENT_VALUES)
    if unknown:
        raise ValueError(f"Not event fields: {sorted(unknown)}")
    event = AdverseEvent(patient=patient, flag=flag, recorded_by=by, **values)
    with transaction.atomic():
        _event_check(event)
        event.full_clean()
        event.save()
    return event


def adverse_event_change(*, event: AdverseEvent, values: dict, by: User) -> tuple[str, ...]:
    """Change an event; the values before the change are kept as a version. Returns the names
    of the fields that changed (none: nothing is written)."""
    allowed = set(EVENT_VALUES) | {"reported_on", "reported_to"}
    if unknown := set(values) - allowed:
        raise ValueError(f"Not event fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = AdverseEvent.objects.select_for_update().get(pk=event.pk)
        before = locked.snapshot()
        for name, value in values.items():
            setattr(locked, name, value)
        _event_check(locked)
        after = locked.snapshot()
        changed = tuple(name for name in EVENT_FIELDS if before[name] != after[name])
        if not changed:
            return ()
        locked.full_clean()
        AdverseEventVersion.objects.create(
            event=locked, data=before, changed_fields=list(changed), changed_by=by
        )
        locked.updated_at = timezone.now()
        fields = [name.removesuffix("_id") for name in changed]
        locked.save(update_fields=[*fields, "updated_at"])
    for name in (*EVENT_VALUES, "reported_on", "reported_to", "updated_at"):
        setattr(event, name, getattr(locked, name))
    return changed


def adverse_event_mark_reported(
    *, event: AdverseEvent, reported_on: date, reported_to: str, by: User
) -> tuple[str, ...]:
    """Record that the event was reported (the countdown stops), keeping the earlier version."""
    if not reported_on or not reported_to:
        raise ValidationError(_("Give both the date of the report and to whom it went."))
    return adverse_event_change(
        event=event, values={"reported_on": reported_on, "reported_to": reported_to}, by=by
    )
