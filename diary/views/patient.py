"""The patient's pages: home, the daily entry, the confirmation and the history."""

from __future__ import annotations

from datetime import date

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from diary.access import patient_required
from diary.flag_text import tel_href
from diary.forms import DiaryEntryForm
from diary.models import DiaryEntry
from diary.selectors import (
    clinic_today,
    day_findings,
    days_since_injection,
    history_rows,
    injection_days,
    open_flags_for_patient,
    patient_status,
)
from diary.services import entry_save


def _parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Http404 from None


@patient_required
def home(request):
    patient = request.user
    context = {
        "status": patient_status(patient),
        "findings": open_flags_for_patient(patient),
        "clinic": patient.clinic,
        "tel": tel_href(patient.clinic.phone),
    }
    return render(request, "diary/home.html", context)


@patient_required
def entry(request, day: str | None = None):
    patient = request.user
    today = clinic_today(patient.clinic)
    chosen = _parse_day(day) if day else today
    existing = DiaryEntry.objects.filter(patient=patient, day=chosen).first()
    if request.method == "POST":
        form = DiaryEntryForm(request.POST, today=today)
        if form.is_valid():
            saved_day = form.cleaned_data["day"]
            entry_save(patient=patient, day=saved_day, values=form.entry_values(), saved_by=patient)
            return redirect("diary:entry_saved", day=saved_day.isoformat())
    else:
        initial = existing.snapshot() if existing else {}
        initial["day"] = chosen
        form = DiaryEntryForm(initial=initial, today=today)
        if chosen > today:
            # Show the reason at once rather than letting the patient fill in the whole form.
            form = DiaryEntryForm({"day": chosen.isoformat()}, today=today)
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
    patient = request.user
    chosen = _parse_day(day)
    saved = DiaryEntry.objects.filter(patient=patient, day=chosen).first()
    if saved is None:
        raise Http404
    day_number = days_since_injection(chosen, injection_days(patient))
    context = {
        "entry": saved,
        "day_number": day_number,
        "findings": day_findings(patient, chosen),
        "clinic": patient.clinic,
        "tel": tel_href(patient.clinic.phone),
    }
    return render(request, "diary/entry_saved.html", context)


@patient_required
def history(request):
    patient = request.user
    page = Paginator(DiaryEntry.objects.filter(patient=patient).order_by("-day"), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "diary/history.html",
        {"page": page, "rows": history_rows(patient, page.object_list)},
    )
