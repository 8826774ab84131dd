"""The patient's pages: home, the daily entry, the confirmation, ratings, history, charts and
settings."""

from __future__ import annotations

import uuid
from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.passkeys import passkey_offer_due
from accounts.services import session_opened_by_clinic_link
from diary import charts
from diary.access import patient_required
from diary.chart_data import (
    chart_inputs_keep,
    chart_inputs_kept,
    chart_period,
    goals_chart_args,
    svg_response,
    symptom_chart_args,
    symptom_table,
)
from diary.entry_conflict import conflict_rows, resend_fields
from diary.flag_text import limb_of, tel_href
from diary.forms import (
    WEIGHT_BEARING_WORDS,
    DiaryEntryForm,
    EarlierDayForm,
    RatingsForm,
    TextSizeForm,
)
from diary.models import DiaryEntry
from diary.progress import course_outcome, ratings_due
from diary.recheck import patient_recheck
from diary.selectors import (
    clinic_today,
    day_findings,
    days_since_injection,
    earliest_entry_day,
    entries_with_edits,
    injection_days,
    injection_for_day,
    patient_status,
)
from diary.services import EntryChanged, entry_save, ratings_save, user_text_size_set
from diary.warning_status import day_alert, history_page_of, home_warnings, patient_history_rows

HISTORY_PER_PAGE = 30
# Where a confirmation leads back to: the page the patient came from.
FROM_HOME, FROM_HISTORY = "home", "history"


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
    warnings = home_warnings(patient, limb=contact["limb"])
    context = {
        "status": status,
        "warnings": warnings,
        "recheck": patient_recheck(patient, status.today, limb=contact["limb"]),  # issue 19
        # "This is the usual reaction" must never stand beside a warning (SPEC §3).
        "has_warning": bool(warnings),
        **contact,
        "outcome": course_outcome(patient, status.today),
        "ratings_form": RatingsForm(goals=due.goals, ask_overall=due.overall) if due else None,
        **_chart_context(patient, status.today),
        "passkey_offer": passkey_offer_due(request),  # after a password sign-in (issue 17)
    }
    return render(request, "diary/home.html", context)


def _chart_context(patient, today) -> dict:
    args = symptom_chart_args(patient, *chart_period(patient, today))
    kept = chart_inputs_keep(patient, args)  # the image request draws these, not new ones
    return {
        "chart_table": symptom_table(args),
        "symptom_chart_url": reverse("diary:chart_symptoms") + f"?v={kept}",
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
    args = chart_inputs_kept(patient, request.GET.get("v")) or symptom_chart_args(
        patient, *chart_period(patient, clinic_today(patient.clinic))
    )
    return svg_response(request, charts.symptom_chart, args)


@patient_required
def chart_goals(request):
    patient = request.user
    start, end = chart_period(patient, clinic_today(patient.clinic))
    return svg_response(request, charts.goals_chart, goals_chart_args(patient, start, end))


def _came_from(request) -> str:
    """The page a confirmation leads back to: the history, or home (anything else)."""
    return FROM_HISTORY if request.GET.get("from") == FROM_HISTORY else FROM_HOME


def _with_from(url: str, came_from: str) -> str:
    return f"{url}?from={came_from}" if came_from == FROM_HISTORY else url


@patient_required
def entry(request, day: str | None = None):
    """The diary form for today or for the day in the address; the form has no date to edit.

    The form is always sent to its day's address, so an entry kept on the phone and sent
    after midnight is saved for the day it was filled in. It carries a key for this sending
    (a retry saves nothing twice: 303 to the day's page) and the version of the entry it was
    loaded with (changed meanwhile: 409 and both versions, the patient chooses).
    """
    patient = request.user
    today = clinic_today(patient.clinic)
    chosen = _parse_day(day) if day else today
    came_from = _came_from(request)
    earliest = earliest_entry_day(patient)
    if request.method == "POST":
        data = request.POST.copy()
        data["day"] = chosen.isoformat()  # the page's day, whatever the request says
        form = DiaryEntryForm(data, today=today, earliest=earliest)
        if form.is_valid():
            try:
                result = entry_save(
                    patient=patient,
                    day=chosen,
                    values=form.entry_values(),
                    saved_by=patient,
                    via_clinic_link=session_opened_by_clinic_link(request),
                    submission_id=form.submission_key(),
                    loaded_version=form.loaded_version_sent(),
                    answers_revision=form.answers_revision_sent(),
                )
            except EntryChanged as changed:
                return _entry_conflict(request, form, changed.entry, today, came_from)
            saved = reverse("diary:entry_saved", kwargs={"day": chosen.isoformat()})
            response = redirect(_with_from(saved, came_from))
            if result.duplicate:
                response.status_code = 303  # sent before: the day's page, nothing saved again
            return response
    # Only a page that is shown needs the stored entry and the wording (a saved form redirects).
    existing = DiaryEntry.objects.filter(patient=patient, day=chosen).first()
    injection = injection_for_day(patient, chosen)
    limb = limb_of(injection.joint if injection else None)
    sending = {
        "submission_id": str(uuid.uuid4()),
        "loaded_version": existing.version_token() if existing else "",
    }
    if request.method == "POST":
        # A form without the two sending fields (loaded before they existed) gets them now.
        if form.submission_key() is None:
            data["submission_id"] = sending["submission_id"]
        if "loaded_version" not in data:
            data["loaded_version"] = sending["loaded_version"]
        # Validated again in the page's wording (labels are fixed once a form is validated).
        form = DiaryEntryForm(data, today=today, earliest=earliest, day=chosen, limb=limb)
        form.is_valid()
    else:
        initial = existing.snapshot() if existing else {}
        initial.update(day=chosen, **sending)
        form = DiaryEntryForm(
            initial=initial, today=today, earliest=earliest, day=chosen, limb=limb
        )
        if chosen > today or chosen < earliest:
            # Show the reason at once rather than letting the patient fill in the whole form.
            form = DiaryEntryForm(
                {"day": chosen.isoformat(), **sending},
                today=today,
                earliest=earliest,
                day=chosen,
                limb=limb,
            )
            form.is_valid()
    day_number = days_since_injection(chosen, injection_days(patient))
    context = {
        # Whom to call while an entry waits on the phone (the #offline-saved panel).
        **_contact_context(patient, injection),
        "form": form,
        "day": chosen,
        "today": today,
        "existing": existing,
        "day_number": day_number,
        "is_baseline": day_number is None,
        "came_from": came_from,
        "action": _with_from(reverse("diary:entry", kwargs={"day": chosen.isoformat()}), came_from),
        "back_url": _back_url(patient, chosen, came_from),
    }
    return render(request, "diary/entry.html", context)


def _entry_conflict(request, form, saved: DiaryEntry, today: date, came_from: str):
    """409: the day's entry changed after the form was loaded. Both versions, field by field,
    and two ways on: send these answers again over the saved ones, or keep the saved ones."""
    patient = request.user
    day = saved.day
    injection = injection_for_day(patient, day)
    words = WEIGHT_BEARING_WORDS[limb_of(injection.joint if injection else None)]
    different, same = conflict_rows(saved, DiaryEntry(**form.entry_values()), words)
    saved_url = reverse("diary:entry_saved", kwargs={"day": day.isoformat()})
    context = {
        "day": day,
        "today": today,
        "saved": saved,
        "different": different,
        "same": same,
        # Keep my answers: the same answers, over the version now stored, as a new sending.
        "resend": resend_fields(
            form, loaded_version=saved.version_token(), submission_id=str(uuid.uuid4())
        ),
        "action": _with_from(reverse("diary:entry", kwargs={"day": day.isoformat()}), came_from),
        "saved_url": _with_from(saved_url, came_from),
    }
    return render(request, "diary/entry_conflict.html", context, status=409)


def _back_url(patient, day: date, came_from: str) -> str:
    """Home, or the history page that lists the day, scrolled to it."""
    if came_from != FROM_HISTORY:
        return reverse("diary:home")
    page = history_page_of(patient, day, per_page=HISTORY_PER_PAGE)
    query = f"?page={page}" if page > 1 else ""
    return f"{reverse('diary:history')}{query}#day-{day.isoformat()}"


@patient_required
def entry_earlier(request):
    """Choose an earlier day to fill in or correct: a page of its own, not a field on today's
    form. Opened from the history; the form it leads to comes back there."""
    patient = request.user
    today = clinic_today(patient.clinic)
    earliest = earliest_entry_day(patient)
    form = EarlierDayForm(request.GET or None, today=today, earliest=earliest)
    if form.is_bound and form.is_valid():
        chosen = form.cleaned_data["day"]
        if chosen == today:
            return redirect("diary:entry_today")
        url = reverse("diary:entry", kwargs={"day": chosen.isoformat()})
        return redirect(_with_from(url, FROM_HISTORY))
    if form.errors:
        form.fields["day"].widget.attrs.update(
            {"aria-invalid": "true", "aria-describedby": "id_day_error"}
        )
    return render(request, "diary/entry_earlier.html", {"form": form, "today": today})


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
    findings = day_findings(patient, chosen, limb=limb)
    urgent = bool(findings) and findings[0].is_urgent
    came_from = _came_from(request)
    context = {
        **_contact_context(patient, latest),
        "entry": saved,
        "today": today,
        "day_number": day_number,
        "has_injection": bool(days),
        "findings": findings,
        "urgent": urgent,
        # Whether the clinic was e-mailed about this day's urgent signs (only when one went out).
        "alert": day_alert(patient, chosen) if urgent else None,
        "weight_bearing": (words.summary, words.answer(saved.weight_bearing)),
        "limb": limb,
        "came_from": came_from,
        "back_url": _back_url(patient, chosen, came_from),
        "change_url": _with_from(
            reverse("diary:entry", kwargs={"day": chosen.isoformat()}), came_from
        ),
    }
    return render(request, "diary/entry_saved.html", context)


@patient_required
def history(request):
    """Every entry, latest first: the warnings each day raised and its earlier answers."""
    patient = request.user
    page = Paginator(entries_with_edits(patient), HISTORY_PER_PAGE).get_page(
        request.GET.get("page")
    )
    today = clinic_today(patient.clinic)
    latest = injection_for_day(patient, today)
    context = {
        "page": page,
        "rows": patient_history_rows(
            patient, page.object_list, limb=limb_of(latest.joint if latest else None)
        ),
        "outcome": course_outcome(patient, today),
        **_chart_context(patient, today),
    }
    return render(request, "diary/history.html", context)


# The account pages the settings page links to, by URL name. Some arrive with the sign-in work
# (issue 17): a name that does not resolve yet is left out rather than breaking the page.
ACCOUNT_LINKS = (
    ("accounts:password_change", gettext_lazy("Change the password")),
    ("accounts:sessions", gettext_lazy("Phones and computers signed in")),
    ("accounts:passkeys", gettext_lazy("Passkeys (fingerprint or face)")),
)


def _account_links() -> list[tuple[str, str]]:
    links = []
    for name, label in ACCOUNT_LINKS:
        try:
            links.append((reverse(name), label))
        except NoReverseMatch:
            continue
    return links


@patient_required
def settings_page(request):
    """Settings and my data: text size, language, sign-in, downloads — out of the header."""
    context = {
        "text_size_form": TextSizeForm(initial={"text_size": request.user.text_size}),
        "account_links": _account_links(),
    }
    return render(request, "diary/settings.html", context)


@patient_required
@require_POST
def text_size(request):
    form = TextSizeForm(request.POST)
    if form.is_valid():
        user_text_size_set(user=request.user, text_size=form.cleaned_data["text_size"])
        messages.success(request, _("The text size is saved."))
    else:
        messages.error(request, _("Please choose one of the text sizes shown."))
    return redirect("diary:settings")
