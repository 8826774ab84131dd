from django.urls import path

from diary.views import clinic, exports, privacy, report

app_name = "clinic"

urlpatterns = [
    path("", clinic.patients, name="patients"),
    path("access-log/", clinic.access_log, name="access_log"),
    path("research-export.csv", exports.research_csv, name="research_export"),
    path("erasure-requests/", privacy.erasure_requests, name="erasure_requests"),
    path("patients/<uuid:public_id>/erase/", privacy.erase, name="erase"),
    path("patients/new/", clinic.patient_new, name="patient_new"),
    path("patients/<uuid:public_id>/", clinic.patient_detail, name="patient"),
    path("patients/<uuid:public_id>/invite/", clinic.patient_invite, name="patient_invite"),
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
    path("patients/<uuid:public_id>/goals/new/", clinic.goal_edit, name="goal_new"),
    path("patients/<uuid:public_id>/goals/<int:goal_id>/edit/", clinic.goal_edit, name="goal_edit"),
    path(
        "patients/<uuid:public_id>/charts/symptoms.svg",
        clinic.chart_symptoms,
        name="chart_symptoms",
    ),
    path("patients/<uuid:public_id>/charts/goals.svg", clinic.chart_goals, name="chart_goals"),
]
