"""The register's pages: plans, adverse events, periodic reports, what works in our clinic.

Short function views: find the object through registry.access (404 otherwise), write the access
log, validate a form, call one service, render or redirect.
"""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import AccessLog
from accounts.services import access_log_write
from diary.access import clinic_staff_required, get_patient_for_staff, patient_required
from diary.models import ErasureRequest, Flag, Injection
from diary.report import report_pdf
from diary.research import spreadsheet_text
from diary.selectors import clinic_today
from diary.views.clinic import flag_acknowledge_posted
from diary.views.downloads import as_download
from registry import rules
from registry.access import clinic_admin_required, get_event_for_staff, get_plan_for_staff
from registry.forms import (
    AdverseEventForm,
    OutcomesFilterForm,
    PlanForm,
    ReportedForm,
    event_initial,
)
from registry.models import PlanInjection
from registry.pages import described_versions, outcome_sections, periodic_rows
from registry.retention import retention_hold
from registry.selectors import (
    clinic_deadlines,
    clinic_events,
    clinic_outcomes,
    clinic_plans,
    deadlines_of,
    default_period,
    event_versions,
    events_from_flag,
    periodic_report,
    plans_for_injections,
)
from registry.services import (
    adverse_event_change,
    adverse_event_mark_reported,
    adverse_event_record,
    plan_save,
)
from registry.summary import event_summary

# --- Plans -------------------------------------------------------------------------------


@clinic_staff_required
def plans(request):
    access_log_write(request, patient=None, action=AccessLog.Action.VIEW_PLANS)
    today = clinic_today(request.user.clinic)
    context = {"plans": clinic_plans(request.user.clinic, today), "today": today}
    return render(request, "registry/plans.html", context)


@clinic_admin_required
def plan_edit(request, plan_id: int | None = None):
    clinic = request.user.clinic
    plan = get_plan_for_staff(request.user, plan_id) if plan_id else None
    access_log_write(request, patient=None, action=AccessLog.Action.PLAN_FORM)
    form = PlanForm(request.POST or None, instance=plan, clinic=clinic, today=clinic_today(clinic))
    if request.method == "POST" and form.is_valid():
        try:
            plan_save(clinic=clinic, values=form.cleaned_data, by=request.user, plan=plan)
        except ValidationError as error:  # a number the clinic has used already
            _form_errors(form, error)
        else:
            messages.success(request, _("The treatment plan was saved."))
            return redirect("registry:plans")
    return render(request, "registry/plan_form.html", {"form": form, "plan": plan})


def _plan_year(request, plan_id: int, year: int):
    plan = get_plan_for_staff(request.user, plan_id)
    today = clinic_today(plan.clinic)
    current = rules.plan_year_number(plan.accepted_on, today)
    if current is None or not 1 <= year <= current:
        raise Http404
    return plan, today


@clinic_staff_required
def periodic_report_page(request, plan_id: int, year: int):
    plan, today = _plan_year(request, plan_id, year)
    access_log_write(request, patient=None, action=AccessLog.Action.VIEW_PERIODIC_REPORT)
    report = periodic_report(plan, year, today)
    context = {"report": report, "rows": periodic_rows(report), "today": today}
    return render(request, "registry/print/periodic_report.html", context)


@clinic_staff_required
def periodic_report_pdf(request, plan_id: int, year: int):
    plan, today = _plan_year(request, plan_id, year)
    access_log_write(request, patient=None, action=AccessLog.Action.DOWNLOAD_PERIODIC_REPORT)
    report = periodic_report(plan, year, today)
    context = {"report": report, "rows": periodic_rows(report), "today": today, "for_pdf": True}
    html = render_to_string("registry/print/periodic_report.html", context, request=request)
    response = HttpResponse(report_pdf(html), content_type="application/pdf")
    return as_download(response, f"periodic-report-{plan.pk}-year-{year}.pdf")


@clinic_staff_required
def periodic_report_csv(request, plan_id: int, year: int):
    plan, today = _plan_year(request, plan_id, year)
    access_log_write(request, patient=None, action=AccessLog.Action.DOWNLOAD_PERIODIC_REPORT)
    report = periodic_report(plan, year, today)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Section"), _("Item"), _("Value")])
    writer.writerow([_("Plan"), _("Plan number"), spreadsheet_text(plan.number)])
    writer.writerow([_("Plan"), _("Title of the plan"), spreadsheet_text(plan.title)])
    span = _("Year %(n)s: %(start)s – %(end)s") % {
        "n": year,
        "start": report.year.start.isoformat(),
        "end": report.year.end.isoformat(),
    }
    writer.writerow([_("Plan"), _("Plan year"), span])
    writer.writerow([_("Plan"), _("Figures as of"), report.as_of.isoformat()])
    for section, item, value in periodic_rows(report):
        writer.writerow([section, spreadsheet_text(item), value])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    return as_download(response, f"periodic-report-{plan.pk}-year-{year}.csv")


# --- Adverse events ----------------------------------------------------------------------


@clinic_staff_required
def adverse_events(request):
    clinic = request.user.clinic
    access_log_write(request, patient=None, action=AccessLog.Action.VIEW_ADVERSE_EVENTS)
    today = clinic_today(clinic)
    page = Paginator(clinic_events(clinic), 50).get_page(request.GET.get("page"))
    context = {"deadlines": clinic_deadlines(clinic, today), "page": page, "today": today}
    return render(request, "registry/adverse_events.html", context)


def _event_choices(patient):
    injections = list(Injection.objects.filter(patient=patient).order_by("-day", "-pk"))
    return injections, plans_for_injections(patient.clinic)


def _from_flag(request, patient) -> tuple[Flag | None, dict]:
    """The flag the event is recorded from (?flag=…), and what it prefills: the onset is the
    flag's first day, the injection the one that day is "day N" of, and that injection's plan."""
    flag_id = request.GET.get("flag") or request.POST.get("flag")
    if not flag_id:
        return None, {}
    if not str(flag_id).isdigit():
        raise Http404
    flag = get_object_or_404(Flag, pk=int(flag_id), patient=patient)
    injection = (
        Injection.objects.filter(patient=patient, day__lte=flag.first_day)
        .order_by("-day", "-pk")
        .first()
    )
    link = PlanInjection.objects.filter(injection=injection).first() if injection else None
    initial = {
        "onset_on": flag.first_day,
        "learned_on": flag.first_day,
        "injection": injection.pk if injection else None,
        "plan": link.plan_id if link else None,
    }
    return flag, initial


@clinic_staff_required
def event_new(request, public_id):
    patient = get_patient_for_staff(request.user, public_id)
    access_log_write(request, patient=patient, action=AccessLog.Action.ADVERSE_EVENT_FORM)
    flag, initial = _from_flag(request, patient)
    injections, plans_ = _event_choices(patient)
    today = clinic_today(patient.clinic)
    initial.setdefault("learned_on", today)
    form = AdverseEventForm(
        request.POST or None, initial=initial, today=today, injections=injections, plans=plans_
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = adverse_event_record(
                patient=patient, values=form.event_values(), by=request.user, flag=flag
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The adverse event was recorded."))
            return redirect("registry:event", public_id=patient.public_id, event_id=event.pk)
    context = {
        "form": form,
        "patient": patient,
        "flag": flag,
        "earlier": events_from_flag(flag) if flag else [],
    }
    return render(request, "registry/event_form.html", context)


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@clinic_staff_required
def event_edit(request, public_id, event_id: int):
    patient = get_patient_for_staff(request.user, public_id)
    event = get_event_for_staff(request.user, patient, event_id)
    access_log_write(request, patient=patient, action=AccessLog.Action.ADVERSE_EVENT_FORM)
    injections, plans_ = _event_choices(patient)
    form = AdverseEventForm(
        request.POST or None,
        initial=event_initial(event),
        today=clinic_today(patient.clinic),
        injections=injections,
        plans=plans_,
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = adverse_event_change(event=event, values=form.event_values(), by=request.user)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if changed:
                messages.success(
                    request, _("The adverse event was changed; the earlier version is kept.")
                )
            return redirect("registry:event", public_id=patient.public_id, event_id=event.pk)
    context = {"form": form, "patient": patient, "event": event, "flag": event.flag}
    return render(request, "registry/event_form.html", context)


@clinic_staff_required
def event_detail(request, public_id, event_id: int):
    """The event, its earlier versions, and the form that marks it reported (POST)."""
    patient = get_patient_for_staff(request.user, public_id)
    event = get_event_for_staff(request.user, patient, event_id)
    access_log_write(request, patient=patient, action=AccessLog.Action.VIEW_ADVERSE_EVENT)
    today = clinic_today(patient.clinic)
    initial = {"reported_on": event.reported_on, "reported_to": event.reported_to}
    form = ReportedForm(request.POST or None, initial=initial, today=today, onset=event.onset_on)
    if request.method == "POST" and form.is_valid():
        adverse_event_mark_reported(event=event, by=request.user, **form.cleaned_data)
        messages.success(request, _("The report was recorded."))
        return redirect("registry:event", public_id=patient.public_id, event_id=event.pk)
    injections, plans_ = _event_choices(patient)
    context = {
        "patient": patient,
        "event": event,
        "versions": described_versions(event_versions(event), injections, plans_),
        "deadline": event.deadline,
        "item": next(iter(deadlines_of([event], today)), None),
        "reported_form": form,
    }
    return render(request, "registry/event_detail.html", context)


def _summary_context(request, patient, event, *, for_pdf: bool) -> dict:
    today = clinic_today(patient.clinic)
    return {
        "patient": patient,
        "event": event,
        "parts": event_summary(event, today),
        "today": today,
        "for_pdf": for_pdf,
        "pdf_url": reverse("registry:event_summary_pdf", args=[patient.public_id, event.pk]),
        "back_url": reverse("registry:event", args=[patient.public_id, event.pk]),
    }


@clinic_staff_required
def event_summary_page(request, public_id, event_id: int):
    patient = get_patient_for_staff(request.user, public_id)
    event = get_event_for_staff(request.user, patient, event_id)
    access_log_write(request, patient=patient, action=AccessLog.Action.VIEW_EVENT_SUMMARY)
    with translation.override("ja"):  # the report forms are Japanese
        context = _summary_context(request, patient, event, for_pdf=False)
        return render(request, "registry/print/event_summary.html", context)


@clinic_staff_required
def event_summary_pdf(request, public_id, event_id: int):
    patient = get_patient_for_staff(request.user, public_id)
    event = get_event_for_staff(request.user, patient, event_id)
    access_log_write(request, patient=patient, action=AccessLog.Action.DOWNLOAD_EVENT_SUMMARY)
    with translation.override("ja"):
        context = _summary_context(request, patient, event, for_pdf=True)
        html = render_to_string("registry/print/event_summary.html", context, request=request)
    response = HttpResponse(report_pdf(html), content_type="application/pdf")
    return as_download(response, f"adverse-event-{event.pk}.pdf")


@clinic_staff_required
@require_POST
def flag_acknowledge_and_record(request, public_id, flag_id: int):
    """ "Also record as an adverse event" on a flag card: the diary's acknowledgement
    (unchanged), then the adverse event form prefilled from the flag."""
    patient = get_patient_for_staff(request.user, public_id)
    flag = get_object_or_404(Flag, pk=flag_id, patient=patient)
    if not flag_acknowledge_posted(request, flag):  # the event is recorded from it after
        return redirect(reverse("clinic:patient", args=[patient.public_id]) + "#flags")
    url = reverse("registry:event_new", args=[patient.public_id])
    return redirect(f"{url}?flag={flag.pk}")


# --- What works in our clinic ------------------------------------------------------------


@clinic_staff_required
def outcomes(request):
    clinic = request.user.clinic
    access_log_write(request, patient=None, action=AccessLog.Action.VIEW_OUTCOMES)
    today = clinic_today(clinic)
    start, end = default_period(today)
    form = OutcomesFilterForm(request.GET or None, today=today, default=(start, end))
    grouping = "agent"
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        grouping = form.cleaned_data["group"] or "agent"
    elif form.is_bound:
        messages.error(
            request, _("The period chosen was not valid, so the last 12 months are shown.")
        )
    result = clinic_outcomes(clinic, start=start, end=end, grouping=grouping, today=today)
    context = {
        "form": form,
        "result": result,
        "sections": outcome_sections(result) if result.rows else [],
        "start": start,
        "end": end,
        "grouping": grouping,
        "min_patients": rules.MIN_GROUP_PATIENTS,
    }
    return render(request, "registry/outcomes.html", context)


# --- The patient's answer to an erasure request ------------------------------------------


@patient_required
def records_kept(request):
    """Why a patient treated under a plan cannot have their records erased yet, and what can be
    done instead. The patient's own page (not access-logged: it is not staff reading)."""
    hold = retention_hold(request.user)
    if hold is None:
        raise Http404
    pending = ErasureRequest.objects.filter(
        patient=request.user, status=ErasureRequest.Status.REQUESTED
    ).exists()
    return render(request, "registry/records_kept.html", {"hold": hold, "pending": pending})
