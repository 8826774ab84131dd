from django.urls import path

from diary.views import patient, report

app_name = "diary"

urlpatterns = [
    path("", patient.home, name="home"),
    path("entry/", patient.entry, name="entry_today"),
    path("entry/<str:day>/", patient.entry, name="entry"),
    path("entry/<str:day>/saved/", patient.entry_saved, name="entry_saved"),
    path("history/", patient.history, name="history"),
    path("ratings/", patient.ratings, name="ratings"),
    path("report/", report.patient_report, name="report"),
    path("report.pdf", report.patient_report_pdf, name="report_pdf"),
    path("charts/symptoms.svg", patient.chart_symptoms, name="chart_symptoms"),
    path("charts/goals.svg", patient.chart_goals, name="chart_goals"),
]
