"""The visit report for the clinician and for the patient: HTML (print view) and PDF."""

from __future__ import annotations

from django.http import FileResponse, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control

from accounts.models import AccessLog
from accounts.services import access_log_write
from diary import charts
from diary.access import clinic_staff_required, get_patient_for_staff, patient_required
from diary.report import report_context, report_html, report_pdf, report_period
from diary.views.downloads import as_download


def _period(request, patient):
    return report_period(patient, request.GET.get("from"), request.GET.get("to"))


def _html_response(
    request, patient, *, pdf_url: str, back_url: str, for_patient: bool = False
) -> HttpResponse:
    context = report_context(patient, _period(request, patient), narrow_chart=True)
    context.update(pdf_url=pdf_url, back_url=back_url, for_patient=for_patient)
    return HttpResponse(report_html(context, request=request))


def _pdf_response(request, patient, *, for_patient: bool = False) -> HttpResponse:
    """`for_patient`: the patient's own copy says the research terms in plain words."""
    period = _period(request, patient)
    context = {**report_context(patient, period), "for_patient": for_patient}
    html = report_html(context, request=request, for_pdf=True)
    response = HttpResponse(report_pdf(html), content_type="application/pdf")
    return as_download(response, f"visit-report-{period.start:%Y%m%d}-{period.end:%Y%m%d}.pdf")


@clinic_staff_required
def clinic_report(request, public_id):
    patient = get_patient_for_staff(request.user, public_id)
    access_log_write(request, patient=patient, action=AccessLog.Action.VIEW_REPORT)
    return _html_response(
        request,
        patient,
        pdf_url=reverse("clinic:report_pdf", args=[patient.public_id]),
        back_url=reverse("clinic:patient", args=[patient.public_id]),
    )


@clinic_staff_required
def clinic_report_pdf(request, public_id):
    patient = get_patient_for_staff(request.user, public_id)
    access_log_write(request, patient=patient, action=AccessLog.Action.DOWNLOAD_REPORT)
    return _pdf_response(request, patient)


@patient_required
def patient_report(request):
    return _html_response(
        request,
        request.user,
        pdf_url=reverse("diary:report_pdf"),
        back_url=reverse("diary:home"),
        for_patient=True,
    )


@patient_required
def patient_report_pdf(request):
    return _pdf_response(request, request.user, for_patient=True)


@cache_control(public=True, max_age=30 * 24 * 3600)
def font(request):
    """The Japanese font the charts and the PDF use, for the print view in the browser."""
    return FileResponse(charts.japanese_font_path().open("rb"), content_type="font/ttf")
