"""Who may see what in the register; anything else answers 404 (as diary/access.py does)."""

from __future__ import annotations

from functools import wraps

from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from diary.access import clinic_staff_required
from registry.models import AdverseEvent, TreatmentPlan


def clinic_admin_required(view):
    """Only the clinic's administrator (plans are the clinic's own settings)."""

    @clinic_staff_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.role != User.Role.CLINIC_ADMIN:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def get_plan_for_staff(user: User, plan_id: int) -> TreatmentPlan:
    return get_object_or_404(TreatmentPlan, pk=plan_id, clinic_id=user.clinic_id)


def get_event_for_staff(user: User, patient: User, event_id: int) -> AdverseEvent:
    """An event only opens under its own patient (who is the staff member's clinic's)."""
    return get_object_or_404(
        AdverseEvent.objects.select_related("plan", "injection", "flag", "recorded_by"),
        pk=event_id,
        patient=patient,
    )
