"""Reaching patients: the clinic's call list, a call's outcome, and the contact details."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.contact_forms import PatientContactForm
from accounts.models import AccessLog
from accounts.services import access_log_write, patient_contact_update
from diary.access import clinic_staff_required, get_patient_for_staff
from diary.call_forms import CallOutcomeForm
from diary.calls import call_list, call_outcome_record
from diary.models import CallOutcome


@clinic_staff_required
def calls(request):
    """Today's patients to phone. Like the dashboard, the clinic's working list: not logged per
    patient; recording a call is."""
    context = {"calls": call_list(request.user.clinic), "results": CallOutcome.Result.choices}
    return render(request, "clinic/calls.html", context)


@clinic_staff_required
@require_POST
def call_record(request, public_id):
    """One step from a row of the list: the note typed, the button pressed says how it went."""
    patient = get_patient_for_staff(request.user, public_id)
    back = reverse("clinic:calls") + f"#call-{patient.public_id}"
    if not patient.is_active:
        messages.error(request, _("This patient's data was erased; there is nobody to call."))
        return redirect(back)
    form = CallOutcomeForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    with transaction.atomic():
        outcome = call_outcome_record(patient=patient, by=request.user, **form.cleaned_data)
        access_log_write(request, patient=patient, action=AccessLog.Action.CALL_OUTCOME)
    messages.success(
        request,
        _("Call recorded: %(name)s, %(result)s.")
        % {"name": patient.name, "result": outcome.get_result_display()},
    )
    return redirect(back)


@clinic_staff_required
def patient_contact(request, public_id):
    """The clinic corrects or completes the patient's phone numbers and name in kana."""
    patient = get_patient_for_staff(request.user, public_id)
    access_log_write(request, patient=patient, action=AccessLog.Action.CONTACT_FORM)
    if not patient.is_active:
        messages.error(request, _("This patient's data was erased; there is nobody to call."))
        return redirect("clinic:patient", public_id=patient.public_id)
    form = PatientContactForm(request.POST or None, instance=patient)
    if request.method == "POST" and form.is_valid():
        patient_contact_update(patient=patient, values=form.cleaned_data)
        messages.success(request, _("The contact details were saved."))
        return redirect("clinic:patient", public_id=patient.public_id)
    return render(request, "clinic/patient_contact.html", {"form": form, "patient": patient})
