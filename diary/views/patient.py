"""The patient's pages: home, the daily entry, the confirmation, ratings, history and charts."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.services import session_opened_by_clinic_link
from diary import charts
from diary.access import patient_required
from diary.chart_data import (
    chart_period,
    goals_chart_args,
    svg_response,
    symptom_chart_args,
    symptom_table,
)
from diary.flag_text import limb_of, tel_href
from diary.forms import WEIGHT_BEARING_WORDS, DiaryEntryForm, RatingsForm
from diary.models import DiaryEntry
from diary.progress import course_outcome, ratings_due
from diary.red_flags import CAUTION, URGENT
from diary.selectors import (
    clinic_today,
    day_findings,
    days_since_injection,
    earliest_entry_day,
    history_rows,
    injection_days,
    injection_for_day,
    open_flags_for_patient,
    patient_status,
)
from diary.services import entry_save, ratings_save


def _parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Http404 from None


def _contact_context(patient, injection) -> dict:
    """What a warning needs beside its words: whom to call, at night too, and what to tell them.

    `injection` is the patient's latest (None when none is recorded); `limb` words the signs.
    """
    clinic = patient.clinic
    return {
        "clinic": clinic,
        "tel": tel_href(clinic.phone),
        "after_hours_tel": tel_href(clinic.after_hours_phone) if clinic.after_hours_phone else "",
        "injection": injection,
        "limb": limb_of(injection.joint if injection else None),
    }


@patient_required
def home(request):
    patient = request.user
    status = patient_status(patient)
    due = ratings_due(patient, status.today)
    contact = _contact_context(patient, status.latest_injection)
    findings = open_flags_for_patient(patient, limb=contact["limb"])
    context = {
        "status": status,
        "findings": findings,
        # "This is the usual reaction" must never stand beside a warning (SPEC §3).
        "has_warning": any(f.severity in (URGENT, CAUTION) for f in findings),
        **contact,
        "outcome": course_outcome(patient, status.today),
        "ratings_form": RatingsForm(goals=due.goals, ask_overall=due.overall) if due else None,
        **_chart_context(patient, status.today),
    }
    return render(request, "diary/home.html", context)


def _chart_context(patient, today) -> dict:
    start, end = chart_period(patient, today)
    return {
        "chart_table": symptom_table(symptom_chart_args(patient, start, end)),
        "symptom_chart_url": reverse("diary:chart_symptoms"),
        "goals_chart_url": reverse("diary:chart_goals"),
    }


@patient_required
def ratings(request):
    """This week's goal and overall ratings, asked on the home page until the review date."""
    patient = request.user
    today = clinic_today(patient.clinic)
    due = ratings_due(patient, today)
    if not due:
        return redirect("diary:home")
    form = RatingsForm(request.POST or None, goals=due.goals, ask_overall=due.overall)
    if request.method == "POST" and form.is_valid():
        ratings_save(
            patient=patient,
            day=today,
            goal_values=form.goal_values(),
            overall=form.overall_value(),
        )
        messages.success(request, _("Thank you, your ratings are saved."))
        return redirect("diary:home")
    return render(request, "diary/ratings.html", {"ratings_form": form})


@patient_required
def chart_symptoms(request):
    patient = request.user
    start, end = chart_period(patient, clinic_today(patient.clinic))
    return svg_response(request, charts.symptom_chart, symptom_chart_args(patient, start, end))


@patient_required
def chart_goals(request):
    patient = request.user
    start, end = chart_period(patient, clinic_today(patient.clinic))
    return svg_response(request, charts.goals_chart, goals_chart_args(patient, start, end))


@patient_required
def entry(request, day: str | None = None):
    patient = request.user
    today = clinic_today(patient.clinic)
    chosen = _parse_day(day) if day else today
    earliest = earliest_entry_day(patient)
    if request.method == "POST":
        form = DiaryEntryForm(request.POST, today=today, earliest=earliest)
        if form.is_valid():
            saved_day = form.cleaned_data["day"]
            entry_save(
                patient=patient,
                day=saved_day,
                values=form.entry_values(),
                saved_by=patient,
                via_clinic_link=session_opened_by_clinic_link(request),
            )
            return redirect("diary:entry_saved", day=saved_day.isoformat())
    # Only a page that is shown needs the stored entry and the wording (a saved form redirects).
    existing = DiaryEntry.objects.filter(patient=patient, day=chosen).first()
    injection = injection_for_day(patient, chosen)
    limb = limb_of(injection.joint if injection else None)
    if request.method == "POST":
        # Validated again in the page's wording (labels are fixed once a form is validated).
        form = DiaryEntryForm(request.POST, today=today, earliest=earliest, day=chosen, limb=limb)
        form.is_valid()
    else:
        initial = existing.snapshot() if existing else {}
        initial["day"] = chosen
        form = DiaryEntryForm(
            initial=initial, today=today, earliest=earliest, day=chosen, limb=limb
        )
        if chosen > today or chosen < earliest:
            # Show the reason at once rather than letting the patient fill in the whole form.
            form = DiaryEntryForm(
                {"day": chosen.isoformat()}, today=today, earliest=earliest, day=chosen, limb=limb
            )
            form.is_valid()
    day_number = days_since_injection(chosen, injection_days(patient))
    context = {
        "form": form,
        "day": chosen,
        "today": today,
        "existing": existing,
        "day_number": day_number,
        "is_baseline": day_number is None,
    }
    return render(request, "diary/entry.html", context)


@patient_required
def entry_saved(request, day: str):
    """What the rules found on the saved day, and whom to call; every day is judged for fever,
    feeling unwell and spreading redness, also without an injection."""
    patient = request.user
    chosen = _parse_day(day)
    saved = DiaryEntry.objects.filter(patient=patient, day=chosen).first()
    if saved is None:
        raise Http404
    today = clinic_today(patient.clinic)
    days = injection_days(patient)
    day_number = days_since_injection(chosen, days)
    # The limb the day was asked about; what to tell the clinic is the latest injection.
    day_injection = injection_for_day(patient, chosen)
    limb = limb_of(day_injection.joint if day_injection else None)
    latest = injection_for_day(patient, today) if days else None
    words = WEIGHT_BEARING_WORDS[limb]
    context = {
        **_contact_context(patient, latest),
        "entry": saved,
        "today": today,
        "day_number": day_number,
        "has_injection": bool(days),
        "findings": day_findings(patient, chosen, limb=limb),
        "weight_bearing": (words.summary, words.answer(saved.weight_bearing)),
        "limb": limb,
    }
    return render(request, "diary/entry_saved.html", context)


@patient_required
def history(request):
    patient = request.user
    page = Paginator(DiaryEntry.objects.filter(patient=patient).order_by("-day"), 30).get_page(
        request.GET.get("page")
    )
    today = clinic_today(patient.clinic)
    context = {
        "page": page,
        "rows": history_rows(patient, page.object_list),
        "outcome": course_outcome(patient, today),
        **_chart_context(patient, today),
    }
    return render(request, "diary/history.html", context)
