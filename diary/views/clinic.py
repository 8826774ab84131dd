"""Clinic staff pages: the triage dashboard, the patient page and what it links to."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.forms import PatientRegisterForm
from accounts.models import AccessLog, User
from accounts.services import (
    AccountInactive,
    access_log_write,
    invitation_create,
    invitation_send,
    new_link_create,
    patient_register,
)
from diary import charts
from diary.access import clinic_staff_required, get_injection_for_staff, get_patient_for_staff
from diary.calls import patient_calls, patient_phones
from diary.chart_data import (
    chart_inputs_keep,
    chart_inputs_kept,
    chart_period,
    goals_chart_args,
    svg_response,
    symptom_chart_args,
    symptom_table,
)
from diary.dashboard import CARD_GROUPS, FILTERS, dashboard_counts, dashboard_page
from diary.desk_link import desk_link_remember
from diary.entry_marks import MARKED_FIELDS, abnormal_fields, marks_legend
from diary.flag_text import BECAME_URGENT, flag_name, flag_text
from diary.flagging import (
    FlagBecameUrgent,
    FlagNotOpen,
    FlagsClosed,
    flag_acknowledge,
    flags_acknowledge,
)
from diary.forms import AccessLogFilterForm, FlagAcknowledgeForm, FlagsAcknowledgeForm, GoalForm
from diary.models import MAX_GOALS_PER_COURSE, Flag, Goal, Injection, Severity
from diary.progress import course_outcome
from diary.selectors import (
    access_log_filter,
    clinic_today,
    entries_with_edits,
    history_rows,
    patient_flags,
)
from diary.services import TooManyGoals, goal_set, injection_save
from registry.hooks import injection_form, injection_plan_save

DEFAULT_REVIEW_DAYS = 28  # goals are judged four weeks after the injection unless agreed otherwise


@clinic_staff_required
def patients(request):
    """The triage dashboard: every patient of the clinic, whom to call first at the top."""
    clinic = request.user.clinic
    today = clinic_today(clinic)
    query = request.GET.get("q", "").strip()[:100]
    filter_name = request.GET.get("filter", "all")
    if filter_name not in FILTERS:
        filter_name = "all"
    counts = dashboard_counts(clinic, today)
    page, rows = dashboard_page(
        clinic,
        today,
        query=query,
        filter_name=filter_name,
        page=request.GET.get("page", 1),
        counts=counts,
    )
    context = {
        "page": page,
        "rows": rows,
        "query": query,
        "filter": filter_name,
        "counts": counts,
        "cards": [(name, counts[name]) for name in CARD_GROUPS],
        "today": today,
    }
    return render(request, "clinic/dashboard.html", context)


@clinic_staff_required
def patient_new(request):
    clinic = request.user.clinic
    form = PatientRegisterForm(request.POST or None, clinic=clinic)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            patient = patient_register(
                clinic=clinic, registered_by=request.user, **form.cleaned_data
            )
            invitation, token = invitation_create(user=patient, created_by=request.user)
        # Saved either way: with the mail server down the page says so and shows the link.
        emailed = invitation_send(user=patient, token=token)
        # POST, then redirect: reloading the result page registers nobody twice, and the link
        # reaches it in a short-lived cookie of this browser, never in a URL (diary/desk_link.py).
        response = redirect("clinic:patient_invited", public_id=patient.public_id)
        desk_link_remember(
            response,
            staff=request.user,
            patient=patient,
            invitation=invitation,
            token=token,
            emailed=emailed,
        )
        return response
    context = {"form": form, "days": settings.INVITATION_VALID_DAYS}
    return render(request, "clinic/patient_new.html", context)


@clinic_staff_required
@require_POST
def patient_invite(request, public_id):
    """A new link for a registered patient, e.g. when the first one expired or the password is
    forgotten. Older links stop working; the access log records who sent it.

    Shown here only while the patient has never chosen a password (to help at the desk);
    otherwise it goes to the patient's e-mail only, so staff cannot take the account over.
    """
    patient = get_patient_for_staff(request.user, public_id)
    try:
        with transaction.atomic():
            link = new_link_create(patient=patient, created_by=request.user)
            access_log_write(request, patient=patient, action=AccessLog.Action.SEND_LINK)
    except AccountInactive:
        messages.error(request, _("This account was erased or switched off; no link was sent."))
        return redirect("clinic:patient", public_id=patient.public_id)
    emailed = invitation_send(user=patient, token=link.token, new_password=not link.shown_to_staff)
    response = redirect("clinic:patient_invited", public_id=patient.public_id)
    desk_link_remember(
        response,
        staff=request.user,
        patient=patient,
        invitation=link.invitation,
        token=link.token if link.shown_to_staff else None,
        emailed=emailed,
    )
    return response


@clinic_staff_required
def patient_detail(request, public_id):
    patient = get_patient_for_staff(request.user, public_id)
    access_log_write(request, patient=patient, action=AccessLog.Action.VIEW_PATIENT)
    entries = Paginator(entries_with_edits(patient), 30).get_page(request.GET.get("page"))
    today = clinic_today(patient.clinic)
    injections = list(patient.injections.all())  # newest first
    latest = next((i for i in injections if i.day <= today), None)
    chart_args = symptom_chart_args(patient, *chart_period(patient, today))
    flags = [(flag, flag_text(flag.code, flag.severity)) for flag in patient_flags(patient)]
    context = {
        "patient": patient,
        "today": today,
        "age": patient.age_on(today),
        "injections": injections,
        "latest_injection": latest,
        "day_number": (today - latest.day).days if latest else None,
        "page": entries,
        # Each row with the values at or past a warning-sign threshold (marked in the table).
        "rows": [
            (row, _abnormal(row.entry, patient.clinic))
            for row in history_rows(patient, entries.object_list)
        ],
        "marks_legend": marks_legend(fever_caution_c=patient.clinic.fever_caution_c),
        "flags": flags,
        "open_flags": [flag for flag, _text in flags if flag.status == Flag.Status.OPEN],
        # The form for several flags leaves urgent ones unticked (clinic/_flags_acknowledge.html).
        "open_urgent": any(
            flag.status == Flag.Status.OPEN and flag.severity == Severity.URGENT
            for flag, _text in flags
        ),
        "outcome": course_outcome(patient, today),
        "goals": Goal.objects.filter(patient=patient).select_related("injection"),
        "goals_chart_url": reverse("clinic:chart_goals", args=[patient.public_id]),
        "symptom_chart_url": reverse("clinic:chart_symptoms", args=[patient.public_id])
        + f"?v={chart_inputs_keep(patient, chart_args)}",  # the image draws these, not new ones
        "chart_table": symptom_table(chart_args),
        "acknowledge_form": FlagAcknowledgeForm(),
        # Two or more open flags: one form acknowledges the chosen ones at once.
        "flags_acknowledge_url": reverse("clinic:flags_acknowledge", args=[patient.public_id]),
        "phones": patient_phones(patient),
        "calls": patient_calls(patient),
    }
    return render(request, "clinic/patient_detail.html", context)


def _abnormal(entry, clinic) -> frozenset[str]:
    values = {name: getattr(entry, name) for name in MARKED_FIELDS}
    return abnormal_fields(**values, fever_caution_c=clinic.fever_caution_c)


@clinic_staff_required
def injection_edit(request, public_id, injection_id: int | None = None):
    patient = get_patient_for_staff(request.user, public_id)
    injection = (
        get_injection_for_staff(request.user, patient, injection_id) if injection_id else None
    )
    access_log_write(request, patient=patient, action=AccessLog.Action.INJECTION_FORM)
    today = clinic_today(patient.clinic)
    # The diary's InjectionForm; the register adds the treatment plan when the clinic has plans.
    form = injection_form(request.POST or None, patient=patient, injection=injection, today=today)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = injection_save(
                patient=patient,
                values=form.cleaned_data,
                recorded_by=request.user,
                injection=injection,
            )
            injection_plan_save(form, injection=saved, by=request.user)
        messages.success(request, _("The injection was saved."))
        return redirect("clinic:patient", public_id=patient.public_id)
    return render(
        request,
        "clinic/injection_form.html",
        {"form": form, "patient": patient, "injection": injection},
    )


@clinic_staff_required
@require_POST
def flag_acknowledge_view(request, public_id, flag_id: int):
    patient = get_patient_for_staff(request.user, public_id)
    flag = get_object_or_404(Flag, pk=flag_id, patient=patient)
    flag_acknowledge_posted(request, flag)
    return redirect(reverse("clinic:patient", args=[patient.public_id]) + "#flags")


def flag_acknowledge_posted(request, flag: Flag) -> bool:
    """One flag acknowledged from its form on the patient page (also by the register's "Also
    record as an adverse event" button), with a message for each outcome. False when nothing
    was done that the clinician asked for: the form refused, or the flag urgent since shown."""
    form = FlagAcknowledgeForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return False
    values = form.cleaned_data
    try:
        flag_acknowledge(
            flag=flag,
            by=request.user,
            action=values["action"],
            note=values["note"],
            shown=form.shown_urgency([flag]),
        )
    except FlagNotOpen:
        messages.info(request, _("This flag was already acknowledged or withdrawn."))
    except FlagBecameUrgent:
        messages.error(request, BECAME_URGENT % {"flag": flag_name(flag.code)})
        return False
    else:
        messages.success(request, _("The flag was acknowledged."))
    return True


@clinic_staff_required
@require_POST
def flags_acknowledge_view(request, public_id):
    """Several open flags of the patient acknowledged in one step, with one action and note."""
    patient = get_patient_for_staff(request.user, public_id)
    form = FlagsAcknowledgeForm(request.POST, flags=Flag.objects.filter(patient=patient))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        values = form.cleaned_data
        try:
            done = flags_acknowledge(
                flags=values["flags"],
                by=request.user,
                action=values["action"],
                note=values["note"],
                shown=form.shown_urgency(values["flags"]),
            )
        except FlagsClosed as closed:
            names = ", ".join(flag_name(f.code) for f in closed.flags)
            messages.error(
                request,
                _(
                    "Already closed (withdrawn, or the patient was erased): %(flags)s. "
                    "Nothing was recorded."
                )
                % {"flags": names},
            )
        else:
            _flags_acknowledged_messages(request, done)
    return redirect(reverse("clinic:patient", args=[patient.public_id]) + "#flags")


def _flags_acknowledged_messages(request, done) -> None:
    if done.acknowledged:
        messages.success(
            request,
            ngettext(
                "%(n)d flag was acknowledged.",
                "%(n)d flags were acknowledged.",
                len(done.acknowledged),
            )
            % {"n": len(done.acknowledged)},
        )
    for flag in done.became_urgent:  # ticked as a caution; what it says now was not read
        messages.error(request, BECAME_URGENT % {"flag": flag_name(flag.code)})
    for flag in done.already:  # a colleague was quicker: their record stays
        messages.info(
            request,
            _("%(flag)s was already acknowledged by %(who)s at %(when)s; it was left as it was.")
            % {
                "flag": flag_name(flag.code),
                "who": flag.acknowledged_by.name if flag.acknowledged_by else "—",
                "when": date_format(timezone.localtime(flag.acknowledged_at), "Y-m-d H:i"),
            },
        )


@clinic_staff_required
def goal_edit(request, public_id, goal_id: int | None = None):
    """Agree a goal with the patient (up to five per injection course), or change one."""
    patient = get_patient_for_staff(request.user, public_id)
    goal = get_object_or_404(Goal, pk=goal_id, patient=patient) if goal_id else None
    access_log_write(request, patient=patient, action=AccessLog.Action.GOAL_FORM)
    injections = Injection.objects.filter(patient=patient).order_by("-day")
    initial = {}
    if goal is None:
        latest = injections.first()
        start = latest.day if latest else clinic_today(patient.clinic)
        initial = {"injection": latest, "review_date": start + timedelta(days=DEFAULT_REVIEW_DAYS)}
    form = GoalForm(request.POST or None, instance=goal, initial=initial, injections=injections)
    if request.method == "POST" and form.is_valid():
        try:
            goal_set(patient=patient, values=form.cleaned_data, agreed_by=request.user, goal=goal)
        except TooManyGoals:
            form.add_error(
                None,
                _("An injection course has at most %(n)s goals.") % {"n": MAX_GOALS_PER_COURSE},
            )
        else:
            messages.success(request, _("The goal was saved."))
            return redirect(reverse("clinic:patient", args=[patient.public_id]) + "#goals")
    return render(
        request, "clinic/goal_form.html", {"form": form, "patient": patient, "goal": goal}
    )


@clinic_staff_required
def chart_symptoms(request, public_id):
    patient = get_patient_for_staff(request.user, public_id)
    access_log_write(request, patient=patient, action=AccessLog.Action.VIEW_CHART)
    args = chart_inputs_kept(patient, request.GET.get("v")) or symptom_chart_args(
        patient, *chart_period(patient, clinic_today(patient.clinic))
    )
    return svg_response(request, charts.symptom_chart, args)


@clinic_staff_required
def chart_goals(request, public_id):
    patient = get_patient_for_staff(request.user, public_id)
    access_log_write(request, patient=patient, action=AccessLog.Action.VIEW_CHART)
    start, end = chart_period(patient, clinic_today(patient.clinic))
    return svg_response(request, charts.goals_chart, goals_chart_args(patient, start, end))


@clinic_staff_required
def access_log(request):
    """The clinic administrator reads who opened which patient's data; nothing can be changed."""
    if request.user.role != User.Role.CLINIC_ADMIN:
        raise Http404
    form = AccessLogFilterForm(request.GET or None)
    rows = (
        AccessLog.objects.filter(clinic_id=request.user.clinic_id)
        .select_related("user", "patient")
        .order_by("-at", "-id")
    )
    if form.is_valid():
        rows = access_log_filter(rows, **form.cleaned_data)
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(request, "clinic/access_log.html", {"page": page, "form": form})
