"""The benchmark's two baselines, beside the real URLs: Django's own floor on this machine.

- save one row: a bare view that inserts one DiaryEntry with the ORM (no form, no rules);
- list 50 rows: a bare view that renders 50 patients with a one-line template.

Beside them, for reading the table only: a bare view asked by a signed-in patient, which shows
what the session, the user and the middleware cost before a page does any work.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from django.http import HttpResponse
from django.template import Context, Template
from django.urls import path

from accounts.models import User
from config.urls import urlpatterns as app_urlpatterns
from diary.models import DiaryEntry

_days = itertools.count()
_list = Template("<ul>{% for user in users %}<li>{{ user.name }}</li>{% endfor %}</ul>")
BASELINE_PATIENT_EMAIL = "baseline@example.invalid"


def save_one(request):
    patient = User.objects.get(email=BASELINE_PATIENT_EMAIL)
    day = date(2000, 1, 1) + timedelta(days=next(_days))
    DiaryEntry.objects.create(
        patient=patient, day=day, pain=3, swelling=0, warmth=0, redness="none",
        weight_bearing="full",
    )  # fmt: skip
    return HttpResponse("saved")


def list_fifty(request):
    users = User.objects.filter(role=User.Role.PATIENT).order_by("name")[:50]
    return HttpResponse(_list.render(Context({"users": users})))


def signed_in(request):
    return HttpResponse(request.user.name)


urlpatterns = [
    path("bench/signed-in/", signed_in),
    path("bench/save-one/", save_one),
    path("bench/list-fifty/", list_fifty),
    *app_urlpatterns,
]
