from django.urls import path

from diary.views import exports, offline, patient, privacy, report

app_name = "diary"

urlpatterns = [
    path("", patient.home, name="home"),
    path("entry/", patient.entry, name="entry_today"),
    # Before entry/<day>/: "earlier" is not a day.
    path("entry/earlier/", patient.entry_earlier, name="entry_earlier"),
    path("entry/<str:day>/", patient.entry, name="entry"),
    path("entry/<str:day>/saved/", patient.entry_saved, name="entry_saved"),
    path("history/", patient.history, name="history"),
    path("ratings/", patient.ratings, name="ratings"),
    path("report/", report.patient_report, name="report"),
    path("settings/", patient.settings_page, name="settings"),
    path("settings/text-size/", patient.text_size, name="text_size"),
    path("my-data/", privacy.my_data, name="my_data"),
    path("my-data/export.json", privacy.export_json, name="export_json"),
    path("my-data/export.csv", privacy.export_csv, name="export_csv"),
    path("my-data/export.fhir.json", exports.patient_fhir_export, name="export_fhir"),
    path("my-data/erasure/", privacy.erasure_ask, name="erasure_ask"),
    path("report.pdf", report.patient_report_pdf, name="report_pdf"),
    path("charts/symptoms.svg", patient.chart_symptoms, name="chart_symptoms"),
    path("charts/goals.svg", patient.chart_goals, name="chart_goals"),
    # The service worker at the diary's own address: its scope is /diary/ (views/offline.py).
    path("sw.js", offline.service_worker, name="service_worker"),
    path("offline/", offline.offline_page, name="offline"),
]
