"""The FHIR download: for the clinic's staff (logged) and for the patient (their own only)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle

from accounts.models import AccessLog
from tests.exports.conftest import resources
from tests.factories import days_ago, make_entry, make_patient

pytestmark = pytest.mark.django_db


def clinic_url(patient, **period) -> str:
    url = reverse("clinic:export_fhir", args=[patient.public_id])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in period.items()) if period else "")


def own_url(**period) -> str:
    url = reverse("diary:export_fhir")
    return url + ("?" + "&".join(f"{k}={v}" for k, v in period.items()) if period else "")


def parsed(response) -> Bundle:
    return Bundle.model_validate_json(response.content)


def assert_private_download(response) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    assert response["Cache-Control"] == "private, no-store"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="injection-diary-')
    assert disposition.endswith('.fhir.json"')


def test_a_clinician_downloads_the_patients_bundle(clinician_client, patient, record):
    response = clinician_client.get(clinic_url(patient))

    assert_private_download(response)
    bundle = parsed(response)
    assert len(resources(bundle, "Observation")) == record["observations"]
    assert len(resources(bundle, "Procedure")) == 1
    assert len(resources(bundle, "Goal")) == 2
    assert len(resources(bundle, "Flag")) == 2


def test_the_file_name_says_nothing_about_the_patient(clinician_client, patient, record):
    disposition = clinician_client.get(clinic_url(patient))["Content-Disposition"]

    for mark in ("Hanako", "Sato", "P-1", str(patient.public_id), "hanako"):
        assert mark not in disposition
    assert f"{days_ago(12):%Y%m%d}" in disposition  # the default period: from a week before


def test_the_download_is_written_to_the_access_log(clinician_client, clinician, patient, record):
    path = clinic_url(patient)
    clinician_client.get(path)

    (row,) = AccessLog.objects.all()
    assert (row.user, row.patient, row.clinic, row.action) == (
        clinician,
        patient,
        patient.clinic,
        AccessLog.Action.EXPORT,
    )
    assert row.path == path.split("?")[0]


def test_the_clinic_administrator_may_download_it_too(clinic_admin_client, patient, record):
    assert_private_download(clinic_admin_client.get(clinic_url(patient)))


def test_the_period_is_taken_from_the_query(clinician_client, patient, record):
    day = days_ago(3).isoformat()
    response = clinician_client.get(clinic_url(patient, **{"from": day, "to": day}))

    bundle = parsed(response)
    assert {str(o.effectiveDateTime) for o in resources(bundle, "Observation")} == {day}
    assert resources(bundle, "Procedure") == []
    assert f"{days_ago(3):%Y%m%d}-{days_ago(3):%Y%m%d}" in response["Content-Disposition"]


@pytest.mark.parametrize(
    "period",
    [
        {"from": "2026-13-01"},
        {"from": days_ago(1).isoformat(), "to": days_ago(3).isoformat()},
        {"to": "2099-01-01"},
        {"from": days_ago(400).isoformat(), "to": days_ago(1).isoformat()},
    ],
)
def test_an_invalid_period_is_refused_with_a_message_and_not_logged(
    clinician_client, patient, record, period
):
    response = clinician_client.get(clinic_url(patient, **period))

    assert response.status_code == 400
    assert b"YYYY-MM-DD" in response.content
    assert not AccessLog.objects.exists()


def test_a_clinician_of_another_clinic_gets_404_and_nothing_is_logged(
    other_clinician_client, patient, record
):
    assert other_clinician_client.get(clinic_url(patient)).status_code == 404
    assert not AccessLog.objects.exists()


def test_a_patient_cannot_use_the_clinic_url(patient_client, patient, record):
    assert patient_client.get(clinic_url(patient)).status_code == 404


def test_a_patient_of_another_clinic_is_not_found(clinician_client, other_clinic):
    stranger = make_patient("stranger@example.jp", clinic=other_clinic, patient_number="Q-1")
    assert clinician_client.get(clinic_url(stranger)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, patient):
    for url in (clinic_url(patient), own_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_the_patient_downloads_their_own_bundle(patient_client, patient, record):
    response = patient_client.get(own_url())

    assert_private_download(response)
    bundle = parsed(response)
    (resource,) = resources(bundle, "Patient")
    assert resource.name[0].text == "Hanako Sato"
    assert len(resources(bundle, "Observation")) == record["observations"]
    assert not AccessLog.objects.exists()  # the log is of staff looking at a record


def test_a_patient_gets_only_their_own_data(other_patient_client, other_patient, patient, record):
    make_entry(other_patient, day=days_ago(1), pain=2)

    response = other_patient_client.get(own_url())

    assert response.status_code == 200
    bundle = parsed(response)
    (resource,) = resources(bundle, "Patient")
    assert resource.name[0].text == "Ichiro Suzuki"
    assert len(resources(bundle, "Observation")) == 8 + 3
    assert resources(bundle, "Flag") == [] and resources(bundle, "Goal") == []
    for mark in (b"Hanako", str(patient.public_id).encode(), b"P-1"):
        assert mark not in response.content


def test_clinic_staff_cannot_use_the_patients_own_url(clinician_client):
    assert clinician_client.get(own_url()).status_code == 404


def test_the_patients_own_export_refuses_an_invalid_period(patient_client, patient):
    assert patient_client.get(own_url(to="2099-01-01")).status_code == 400


def test_the_clinicians_patient_page_links_to_the_export(clinician_client, patient):
    response = clinician_client.get(reverse("clinic:patient", args=[patient.public_id]))
    assert clinic_url(patient).encode() in response.content


def test_the_my_data_page_links_to_the_export(patient_client):
    response = patient_client.get(reverse("diary:my_data"))
    assert own_url().encode() in response.content
