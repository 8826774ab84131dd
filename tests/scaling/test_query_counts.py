"""The dashboard and the patient page cost the same number of queries for 5 or 200 patients."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Clinic, User
from diary.selectors import clinic_today
from diary.synthetic import synthetic_clinic
from tests.factories import make_clinician

pytestmark = pytest.mark.django_db


def queries_for(client, url: str) -> int:
    # The first request of a new sign-in lists the browser (accounts.UserSession); count a
    # page as it costs on every later request.
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def clinic_of(size: int, days: int, client):
    clinic = synthetic_clinic(patients=size, days=days, today=_today(), name=f"Clinic {size}")
    doctor = make_clinician(f"doctor{clinic.pk}@example.jp", clinic=clinic, name="Dr")
    client.force_login(doctor)
    return clinic


def _today():
    return clinic_today(Clinic(time_zone="Asia/Tokyo"))


def test_the_dashboard_query_count_does_not_grow_with_patients(client):
    clinic_of(5, 20, client)
    small = queries_for(client, "/clinic/")
    clinic_of(200, 20, client)
    large = queries_for(client, "/clinic/")
    assert large == small


def test_the_patient_page_query_count_does_not_grow_with_entries(client):
    small_clinic = clinic_of(3, 40, client)
    few = User.objects.filter(clinic=small_clinic, role="patient").first()
    small = queries_for(client, f"/clinic/patients/{few.public_id}/")
    large_clinic = clinic_of(3, 120, client)
    many = User.objects.filter(clinic=large_clinic, role="patient").first()
    large = queries_for(client, f"/clinic/patients/{many.public_id}/")
    assert large == small
