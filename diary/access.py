"""Who may see what, in one place.

Anything a user must not see answers 404, so the answer does not reveal that it exists.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from diary.models import Injection


def patient_required(view):
    """Only a signed-in patient, for their own diary."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_patient or not request.user.clinic_id:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def clinic_staff_required(view):
    """Only a signed-in clinician or clinic administrator with a clinic."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_clinic_staff:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def clinic_patients(user: User):
    """The patients a member of clinic staff may see: those of their own clinic."""
    return User.objects.filter(role=User.Role.PATIENT, clinic_id=user.clinic_id)


def get_patient_for_staff(user: User, public_id) -> User:
    return get_object_or_404(clinic_patients(user).select_related("clinic"), public_id=public_id)


def get_injection_for_staff(user: User, patient: User, injection_id: int) -> Injection:
    return get_object_or_404(Injection, pk=injection_id, patient=patient)
