"""Clinic staff sign a patient out on every browser (a lost phone, a shared one)."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.models import AccessLog
from accounts.services import access_log_write
from accounts.sessions import user_sessions_end
from diary.access import clinic_staff_required, get_patient_for_staff


@clinic_staff_required
@require_POST
def patient_sign_out(request, public_id):
    """Every browser the patient is signed in on is signed out; the access log says who did it.
    The password stays: the patient signs in again with it (or asks for a new one)."""
    patient = get_patient_for_staff(request.user, public_id)
    with transaction.atomic():
        access_log_write(request, patient=patient, action=AccessLog.Action.SIGN_OUT)
        count = user_sessions_end(user=patient)
    if count:
        message = ngettext(
            "%(name)s was signed out on %(count)d browser.",
            "%(name)s was signed out on %(count)d browsers.",
            count,
        ) % {"name": patient.name, "count": count}
    else:
        message = _("%(name)s was not signed in anywhere.") % {"name": patient.name}
    messages.success(request, message)
    return redirect("clinic:patient", public_id=patient.public_id)
