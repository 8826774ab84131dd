"""The benchmark's baselines, beside the real URLs: Django's own floor on this machine.

`bench/run.py` sets ROOT_URLCONF to this module, so these views go through the same middleware
as the app's pages; the production URLs (config.urls) never include them.

Anonymous (issue 9):
- save one row: a bare view that inserts one DiaryEntry with the ORM (no form, no rules);
- list 50 rows: a bare view that renders 50 patients with a one-line template.

Signed in, the fair ones (issue 22): what any Django page that does the same job costs.
- signed-in save: a POST from a signed-in user with the CSRF check on (the client enforces
  it), one insert into the diary table, and a redirect;
- signed-in 50-row page: the signed-in user's clinic, 50 of its patients rendered through a
  Django template with the request's context processors, a link per row.

And, for reading the table only: a bare view asked by a signed-in user, which shows what the
session, the user and the middleware cost before a page does any work.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.template import Context, Template, engines
from django.urls import path
from django.views.decorators.http import require_POST

from accounts.models import User
from config.urls import urlpatterns as app_urlpatterns
from diary.models import DiaryEntry

_days = itertools.count()
_list = Template("<ul>{% for user in users %}<li>{{ user.name }}</li>{% endfor %}</ul>")
_page = engines["django"].from_string(
    """<!DOCTYPE html>
<html lang="{{ LANGUAGE_CODE|default:'ja' }}">
<head><meta charset="utf-8"><title>{{ request.user.clinic.name }}</title></head>
<body>
<p>{{ user.name }}</p>
<table>
<thead><tr><th>Name</th><th>Number</th><th>Joined</th><th></th></tr></thead>
<tbody>
{% for patient in patients %}<tr>
<td>{{ patient.name }}</td><td>{{ patient.patient_number }}</td>
<td>{{ patient.date_joined|date:"Y-m-d" }}</td>
<td><a href="{% url 'clinic:patient' patient.public_id %}">Open</a></td>
</tr>
{% endfor %}</tbody>
</table>
</body>
</html>"""
)
BASELINE_PATIENT_EMAIL = "baseline@example.invalid"


def _next_day() -> date:
    return date(2000, 1, 1) + timedelta(days=next(_days))


def _insert(patient: User) -> None:
    DiaryEntry.objects.create(
        patient=patient, day=_next_day(), pain=3, swelling=0, warmth=0, redness="none",
        weight_bearing="full",
    )  # fmt: skip


def save_one(request):
    _insert(User.objects.get(email=BASELINE_PATIENT_EMAIL))
    return HttpResponse("saved")


def list_fifty(request):
    users = User.objects.filter(role=User.Role.PATIENT).order_by("name")[:50]
    return HttpResponse(_list.render(Context({"users": users})))


@login_required
@require_POST
def signed_in_save(request):
    _insert(request.user)
    return HttpResponseRedirect("/bench/signed-in/")


@login_required
def signed_in_fifty(request):
    # In the order of the clinic's index, so that the page costs the same for any clinic size.
    patients = User.objects.filter(clinic=request.user.clinic, role=User.Role.PATIENT).order_by(
        "pk"
    )[:50]
    return HttpResponse(_page.render({"patients": patients}, request))


def signed_in(request):
    return HttpResponse(request.user.name)


urlpatterns = [
    path("bench/signed-in/", signed_in),
    path("bench/signed-in/save/", signed_in_save),
    path("bench/signed-in/fifty/", signed_in_fifty),
    path("bench/save-one/", save_one),
    path("bench/list-fifty/", list_fifty),
    *app_urlpatterns,
]
