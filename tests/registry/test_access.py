"""Every register page writes the access log, answers 404 to patients and to another clinic's
staff for this clinic's records, and lists only the clinic's own."""

from __future__ import annotations

import pytest

from accounts.models import AccessLog
from tests.registry.helpers import make_event

pytestmark = pytest.mark.django_db

CLINIC_PAGES = {
    "/clinic/outcomes/": "view_outcomes",
    "/clinic/plans/": "view_plans",
    "/clinic/adverse-events/": "view_adverse_events",
}


@pytest.mark.parametrize("path, action", CLINIC_PAGES.items())
def test_each_clinic_page_is_logged_without_a_patient(clinician_client, clinician, path, action):
    assert clinician_client.get(path).status_code == 200
    row = AccessLog.objects.get()
    assert (row.user, row.clinic, row.patient, row.action, row.path) == (
        clinician, clinician.clinic, None, action, path
    )  # fmt: skip


@pytest.mark.parametrize("path", [*CLINIC_PAGES, "/clinic/plans/new/"])
def test_a_patient_gets_404_and_no_log(patient_client, path):
    assert patient_client.get(path).status_code == 404
    assert not AccessLog.objects.exists()


def test_another_clinic_sees_its_own_lists_only(client, clinician, other_clinician, kenji, plan):
    make_event(kenji, by=clinician, plan=plan, description="Kenji fainted")
    client.force_login(other_clinician)
    for path in ("/clinic/plans/", "/clinic/adverse-events/"):
        page = client.get(path).content.decode()
        assert "PC3260015" not in page and "Kenji" not in page


def test_another_clinics_staff_cannot_open_our_event(
    client, clinician, other_clinician, kenji, plan
):
    event = make_event(kenji, by=clinician, plan=plan)
    base = f"/clinic/patients/{kenji.public_id}/adverse-events"
    client.force_login(other_clinician)
    for path in (f"{base}/new/", f"{base}/{event.pk}/", f"{base}/{event.pk}/edit/",
                 f"{base}/{event.pk}/summary/", f"{base}/{event.pk}/summary.pdf"):  # fmt: skip
        assert client.get(path).status_code == 404, path
    response = client.post(
        f"{base}/{event.pk}/", {"reported_on": "2026-11-26", "reported_to": "ministry"}
    )
    assert response.status_code == 404
    event.refresh_from_db()
    assert event.reported_on is None
    assert not AccessLog.objects.exists()


def test_an_event_opens_only_under_its_own_patient(
    clinician_client, clinician, kenji, patient, plan
):
    event = make_event(kenji, by=clinician, plan=plan)
    path = f"/clinic/patients/{patient.public_id}/adverse-events/{event.pk}/"
    assert clinician_client.get(path).status_code == 404


def test_the_admin_lists_the_clinics_own_plans_read_only(clinic_admin_client, plan, other_plan):
    page = clinic_admin_client.get("/admin/registry/treatmentplan/").content.decode()
    assert plan.number in page and other_plan.number not in page
    assert clinic_admin_client.get("/admin/registry/treatmentplan/add/").status_code == 403
    change = clinic_admin_client.post(
        f"/admin/registry/treatmentplan/{plan.pk}/change/", {"number": "X"}
    )
    assert change.status_code == 403
    other = clinic_admin_client.get(f"/admin/registry/treatmentplan/{other_plan.pk}/change/")
    assert other.status_code in (302, 404)  # Django's "does not exist" redirect
