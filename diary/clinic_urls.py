from django.urls import path

from diary.views import calls, clinic, exports, invitations, privacy, quality, report, sign_out

app_name = "clinic"

urlpatterns = [
    path("", clinic.patients, name="patients"),
    path("access-log/", clinic.access_log, name="access_log"),
    path("calls/", calls.calls, name="calls"),
    path("calls/<uuid:public_id>/record/", calls.call_record, name="call_record"),
    path("patients/<uuid:public_id>/contact/", calls.patient_contact, name="patient_contact"),
    path("research-export.csv", exports.research_csv, name="research_export"),
    path("quality/", quality.quality_page, name="quality"),
    path("quality/chart.svg", quality.quality_chart_svg, name="quality_chart"),
    path("quality/response-times.csv", quality.quality_csv, name="quality_csv"),
    path("erasure-requests/", privacy.erasure_requests, name="erasure_requests"),
    path("patients/<uuid:public_id>/erase/", privacy.erase, name="erase"),
    path("patients/new/", clinic.patient_new, name="patient_new"),
    path("patients/<uuid:public_id>/", clinic.patient_detail, name="patient"),
    path("patients/<uuid:public_id>/invite/", clinic.patient_invite, name="patient_invite"),
    path(
        "patients/<uuid:public_id>/sign-out/",
        sign_out.patient_sign_out,
        name="patient_sign_out",
    ),
    path("patients/<uuid:public_id>/invited/", invitations.patient_invited, name="patient_invited"),
    path(
        "patients/<uuid:public_id>/invitation-sheet/",
        invitations.invitation_sheet,
        name="invitation_sheet",
    ),
    path("patients/<uuid:public_id>/report/", report.clinic_report, name="report"),
    path("patients/<uuid:public_id>/report.pdf", report.clinic_report_pdf, name="report_pdf"),
    path(
        "patients/<uuid:public_id>/export.fhir.json",
        exports.clinic_fhir_export,
        name="export_fhir",
    ),
    path(
        "patients/<uuid:public_id>/injections/new/",
        clinic.injection_edit,
        name="injection_new",
    ),
    path(
        "patients/<uuid:public_id>/injections/<int:injection_id>/edit/",
        clinic.injection_edit,
        name="injection_edit",
    ),
    path(
        "patients/<uuid:public_id>/flags/<int:flag_id>/acknowledge/",
        clinic.flag_acknowledge_view,
        name="flag_acknowledge",
    ),
    path(
        "patients/<uuid:public_id>/flags/acknowledge/",
        clinic.flags_acknowledge_view,
        name="flags_acknowledge",
    ),
    path("patients/<uuid:public_id>/goals/new/", clinic.goal_edit, name="goal_new"),
    path("patients/<uuid:public_id>/goals/<int:goal_id>/edit/", clinic.goal_edit, name="goal_edit"),
    path(
        "patients/<uuid:public_id>/charts/symptoms.svg",
        clinic.chart_symptoms,
        name="chart_symptoms",
    ),
    path("patients/<uuid:public_id>/charts/goals.svg", clinic.chart_goals, name="chart_goals"),
]
