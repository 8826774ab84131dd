"""The register's addresses: the clinic's under /clinic/, the patient's under /diary/."""

from django.urls import path

from registry import views

app_name = "registry"

EVENT = "clinic/patients/<uuid:public_id>/adverse-events/<int:event_id>/"

urlpatterns = [
    path("clinic/outcomes/", views.outcomes, name="outcomes"),
    path("clinic/plans/", views.plans, name="plans"),
    path("clinic/plans/new/", views.plan_edit, name="plan_new"),
    path("clinic/plans/<int:plan_id>/edit/", views.plan_edit, name="plan_edit"),
    path(
        "clinic/plans/<int:plan_id>/years/<int:year>/report/",
        views.periodic_report_page,
        name="periodic_report",
    ),
    path(
        "clinic/plans/<int:plan_id>/years/<int:year>/report.pdf",
        views.periodic_report_pdf,
        name="periodic_report_pdf",
    ),
    path(
        "clinic/plans/<int:plan_id>/years/<int:year>/report.csv",
        views.periodic_report_csv,
        name="periodic_report_csv",
    ),
    path("clinic/adverse-events/", views.adverse_events, name="adverse_events"),
    path(
        "clinic/patients/<uuid:public_id>/adverse-events/new/",
        views.event_new,
        name="event_new",
    ),
    path(EVENT, views.event_detail, name="event"),
    path(EVENT + "edit/", views.event_edit, name="event_edit"),
    path(EVENT + "summary/", views.event_summary_page, name="event_summary"),
    path(EVENT + "summary.pdf", views.event_summary_pdf, name="event_summary_pdf"),
    path(
        "clinic/patients/<uuid:public_id>/flags/<int:flag_id>/record-adverse-event/",
        views.flag_acknowledge_and_record,
        name="flag_record_event",
    ),
    path("diary/my-data/records-kept/", views.records_kept, name="records_kept"),
]
