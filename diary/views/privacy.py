"""The patient's own data: download everything, ask for erasure; the clinic admin acts on it."""

from __future__ import annotations

import json
import logging

from django import forms
from django.contrib import messages
from django.core.mail import send_mail
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import AccessLog, User
from accounts.reauth import recent_auth_required
from accounts.services import access_log_write
from config.site_url import site_url
from diary.access import clinic_staff_required, get_patient_for_staff, patient_required
from diary.models import ErasureRequest
from diary.privacy import (
    ErasureAlreadyRequested,
    erasure_request,
    patient_entries_csv,
    patient_erase,
    patient_export,
)
from diary.views.downloads import as_download
from registry.retention import RecordsKept, erasure_done_message, records_kept_url

logger = logging.getLogger(__name__)


@patient_required
def my_data(request):
    pending = ErasureRequest.objects.filter(
        patient=request.user, status=ErasureRequest.Status.REQUESTED
    ).first()
    return render(request, "diary/my_data.html", {"pending": pending})


def _download(body: str, content_type: str, filename: str) -> HttpResponse:
    return as_download(HttpResponse(body, content_type=content_type), filename)


@patient_required
@recent_auth_required
def export_json(request):
    data = json.dumps(patient_export(request.user), ensure_ascii=False, indent=2)
    return _download(data, "application/json; charset=utf-8", "my-injection-diary.json")


@patient_required
@recent_auth_required
def export_csv(request):
    # A byte-order mark so that spreadsheet programs read the Japanese text as UTF-8.
    body = "\ufeff" + patient_entries_csv(request.user)
    return _download(body, "text/csv; charset=utf-8", "my-injection-diary.csv")


@patient_required
@require_POST
@recent_auth_required(after_post="diary:my_data")
def erasure_ask(request):
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Please tick the box to confirm the request."))
        return redirect("diary:my_data")
    try:
        erasure_request(patient=request.user)
    except ErasureAlreadyRequested:
        messages.info(request, _("Your request is already with your clinic."))
        return redirect(records_kept_url(request.user) or "diary:my_data")
    if _notify_admins(request.user):
        messages.success(
            request,
            _(
                "Your request was sent to your clinic. They will contact you before erasing "
                "anything."
            ),
        )
    else:
        messages.warning(
            request,
            _(
                "Your request is saved, but the e-mail to your clinic could not be sent just "
                "now. Your clinic will still see it in their list of requests. They will "
                "contact you before erasing anything."
            ),
        )
    # Treated under a regenerative plan: the answer says why the records are kept, and what
    # can be done instead (registry/retention.py).
    return redirect(records_kept_url(request.user) or "diary:my_data")


def _notify_admins(patient: User) -> bool:
    """Tell the clinic's administrators; a link only, no health data.

    False when no administrator could be e-mailed (the mail server is down): the request is
    saved already and waits on their list of requests.
    """
    url = site_url(reverse("clinic:erasure_requests"))
    admins = User.objects.filter(
        clinic_id=patient.clinic_id, role=User.Role.CLINIC_ADMIN, is_active=True
    )
    told = 0
    for admin in admins:
        with translation.override(admin.language):
            subject = _("Injection diary: a patient asked for their data to be erased")
            body = render_to_string(
                "diary/email/erasure_request_body.txt", {"patient": patient, "url": url}
            )
        try:
            send_mail(subject, body, None, [admin.email])
            told += 1
        except Exception:  # a mail outage must not lose or hide the saved request
            logger.exception("Could not e-mail the erasure request of patient %s", patient.pk)
    return told > 0 or not admins


def _require_clinic_admin(user) -> None:
    if user.role != User.Role.CLINIC_ADMIN:
        raise Http404


@clinic_staff_required
def erasure_requests(request):
    _require_clinic_admin(request.user)
    rows = ErasureRequest.objects.filter(patient__clinic_id=request.user.clinic_id).select_related(
        "patient", "handled_by"
    )
    return render(request, "clinic/erasure_requests.html", {"rows": rows})


class EraseForm(forms.Form):
    mode = forms.ChoiceField(
        label=gettext_lazy("What to do"),
        choices=ErasureRequest.Mode.choices,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (kept on record)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm_number = forms.CharField(
        label=gettext_lazy("Type the patient number to confirm"), max_length=32
    )

    def __init__(self, *args, patient, **kwargs):
        super().__init__(*args, **kwargs)
        self.patient = patient

    def clean_confirm_number(self):
        value = self.cleaned_data["confirm_number"].strip()
        if value != self.patient.patient_number:
            raise forms.ValidationError(_("The patient number does not match."))
        return value


@clinic_staff_required
def erase(request, public_id):
    _require_clinic_admin(request.user)
    patient = get_patient_for_staff(request.user, public_id)
    access_log_write(request, patient=patient, action=AccessLog.Action.ERASURE_PAGE)
    form = EraseForm(request.POST or None, patient=patient)
    if request.method == "POST" and form.is_valid():
        try:
            done = patient_erase(
                patient=patient,
                by=request.user,
                mode=form.cleaned_data["mode"],
                reason=form.cleaned_data["reason"],
            )
        except RecordsKept as kept:  # treated under a regenerative plan: kept 10 years
            form.add_error("mode", kept.message)
        else:
            messages.success(
                request,
                erasure_done_message(done)
                or _("The patient's data was erased. The access log is kept."),
            )
            return redirect("clinic:erasure_requests")
    return render(request, "clinic/erase.html", {"form": form, "patient": patient})
