"""Exports for other systems: a patient's diary as FHIR, and the clinic's research CSV."""

from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.utils.translation import gettext as _

from accounts.models import AccessLog, User
from accounts.reauth import recent_auth_required
from accounts.services import access_log_write
from diary.access import clinic_staff_required, get_patient_for_staff, patient_required
from diary.fhir import patient_fhir_export as fhir_export
from diary.report import MAX_REPORT_DAYS, ReportPeriod, report_period
from diary.research import research_csv_lines, research_period
from diary.views.downloads import as_download

FHIR_CONTENT_TYPE = "application/fhir+json"


def _bad_period() -> HttpResponse:
    message = _(
        "The period is not valid. Give from and to as YYYY-MM-DD, not in the future, "
        "at most %(days)d days apart."
    ) % {"days": MAX_REPORT_DAYS}
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def _fhir_period(request, patient: User) -> ReportPeriod:
    return report_period(patient, request.GET.get("from"), request.GET.get("to"))


def _fhir_response(patient: User, period: ReportPeriod) -> HttpResponse:
    body = fhir_export(patient, period.start, period.end).json()
    filename = f"injection-diary-{period.start:%Y%m%d}-{period.end:%Y%m%d}.fhir.json"
    return as_download(HttpResponse(body, content_type=FHIR_CONTENT_TYPE), filename)


@clinic_staff_required
def clinic_fhir_export(request, public_id):
    patient = get_patient_for_staff(request.user, public_id)
    period = _fhir_period(request, patient)
    if period.adjusted:
        return _bad_period()
    access_log_write(request, patient=patient, action=AccessLog.Action.EXPORT)
    return _fhir_response(patient, period)


@patient_required
@recent_auth_required
def patient_fhir_export(request):
    period = _fhir_period(request, request.user)
    if period.adjusted:
        return _bad_period()
    return _fhir_response(request.user, period)


@clinic_staff_required
def research_csv(request):
    """The clinic's diary entries, pseudonymised, for research: clinic administrators only."""
    if request.user.role != User.Role.CLINIC_ADMIN:
        raise Http404
    clinic = request.user.clinic
    try:
        start, end = research_period(clinic, request.GET.get("from"), request.GET.get("to"))
    except ValueError:
        return HttpResponseBadRequest(
            _("The period is not valid. Give from and to as YYYY-MM-DD, from before to."),
            content_type="text/plain; charset=utf-8",
        )
    access_log_write(request, patient=None, action=AccessLog.Action.EXPORT)
    response = StreamingHttpResponse(
        research_csv_lines(clinic, start, end), content_type="text/csv; charset=utf-8"
    )
    first = f"{start:%Y%m%d}" if start else "start"
    return as_download(response, f"research-export-{first}-{end:%Y%m%d}.csv")
