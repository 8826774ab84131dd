"""Who may open the visit report: the clinic's clinicians (each opening written to the access
log), the patient their own; anyone else gets 404, and nobody signed out sees anything."""

from __future__ import annotations

import pytest

from accounts.models import AccessLog
from diary.charts import japanese_font_path
from tests.factories import TODAY, days_ago, make_entry
from tests.report import marked, pdf_pages_text

pytestmark = pytest.mark.django_db

OWN_NOTE = "Hanako: the knee felt warm after the walk"
OTHER_NOTE = "Ichiro: stairs were hard today"


@pytest.fixture
def diaries(patient, other_patient):
    """A day of diary each for Hanako (injected 5 days ago) and Ichiro, with a note."""
    make_entry(patient, day=days_ago(1), pain=3, notes=OWN_NOTE)
    make_entry(other_patient, day=days_ago(1), pain=7, notes=OTHER_NOTE)


def clinic_url(patient, name: str = "report/") -> str:
    return f"/clinic/patients/{patient.public_id}/{name}"


def logged(user, action: str) -> list[AccessLog]:
    return list(AccessLog.objects.filter(user=user, action=action))


# --- The clinician -------------------------------------------------------------------------


def test_a_clinician_opens_the_report_and_each_opening_is_logged(
    clinician_client, clinician, clinic, patient, diaries
):
    for _ in range(2):
        response = clinician_client.get(clinic_url(patient))
        assert response.status_code == 200
        assert "Hanako Sato" in response.content.decode()
    entries = logged(clinician, AccessLog.Action.VIEW_REPORT)
    assert len(entries) == 2
    assert {(e.patient, e.clinic, e.path) for e in entries} == {
        (patient, clinic, clinic_url(patient))
    }
    assert not logged(clinician, AccessLog.Action.DOWNLOAD_REPORT)


def test_a_clinician_downloads_the_pdf_and_it_is_logged(
    clinician_client, clinician, clinic, patient, diaries
):
    response = clinician_client.get(clinic_url(patient, "report.pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(pdf_pages_text(response.content))
    assert "Hanako Sato" in text and OWN_NOTE in text
    [entry] = logged(clinician, AccessLog.Action.DOWNLOAD_REPORT)
    assert (entry.patient, entry.clinic, entry.path) == (
        patient,
        clinic,
        clinic_url(patient, "report.pdf"),
    )
    assert not logged(clinician, AccessLog.Action.VIEW_REPORT)


def test_the_clinic_report_shows_only_that_patient(clinician_client, patient, diaries):
    content = clinician_client.get(clinic_url(patient)).content.decode()
    assert OWN_NOTE in content
    assert OTHER_NOTE not in content and "Ichiro Suzuki" not in content


@pytest.mark.parametrize("name", ["report/", "report.pdf"])
def test_a_clinician_of_another_clinic_gets_404_and_nothing_is_logged(
    other_clinician_client, other_clinician, patient, name
):
    assert other_clinician_client.get(clinic_url(patient, name)).status_code == 404
    assert not AccessLog.objects.filter(user=other_clinician).exists()


@pytest.mark.parametrize("name", ["report/", "report.pdf"])
def test_an_unknown_patient_is_404(clinician_client, clinician, name):
    url = f"/clinic/patients/00000000-0000-4000-8000-000000000000/{name}"
    assert clinician_client.get(url).status_code == 404
    assert not AccessLog.objects.filter(user=clinician).exists()


@pytest.mark.parametrize("name", ["report/", "report.pdf"])
def test_a_clinician_cannot_open_a_clinician_as_a_patient(
    clinician_client, clinician, clinic_admin, name
):
    assert clinician_client.get(clinic_url(clinic_admin, name)).status_code == 404


@pytest.mark.parametrize("url", ["/diary/report/", "/diary/report.pdf"])
def test_a_clinician_has_no_patient_report_of_their_own(clinician_client, url):
    assert clinician_client.get(url).status_code == 404


# --- The patient ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["report/", "report.pdf"])
def test_a_patient_cannot_use_the_clinic_report_urls(patient_client, patient, other_patient, name):
    assert patient_client.get(clinic_url(patient, name)).status_code == 404
    assert patient_client.get(clinic_url(other_patient, name)).status_code == 404
    assert not AccessLog.objects.exists()


def test_a_patient_sees_their_own_report_and_nothing_of_anyone_else(patient_client, diaries):
    response = patient_client.get("/diary/report/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Hanako Sato" in content and OWN_NOTE in content
    assert "Ichiro Suzuki" not in content and OTHER_NOTE not in content
    rows = marked(content, "data-day")
    assert [(row.attrs["data-day"], row.cells[1]) for row in rows] == [
        (days_ago(1).isoformat(), "3")
    ]
    assert 'href="/diary/report.pdf?from=' in content
    assert not AccessLog.objects.exists()  # the patient's own view is not a clinician access


def test_a_patient_downloads_their_own_pdf(patient_client, other_patient, diaries):
    response = patient_client.get("/diary/report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Hanako" not in response["Content-Disposition"]
    text = "\n".join(pdf_pages_text(response.content))
    assert "Hanako Sato" in text and OWN_NOTE in text
    assert "Ichiro Suzuki" not in text and OTHER_NOTE not in text


def test_a_patient_report_ignores_another_patients_entries_on_the_same_days(
    patient_client, patient, other_patient
):
    for day in (days_ago(2), days_ago(1), TODAY):
        make_entry(other_patient, day=day, pain=9)
    content = patient_client.get("/diary/report/").content.decode()
    assert not marked(content, "data-day")
    assert "Ichiro Suzuki" not in content


# --- Signed out ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/diary/report/",
        "/diary/report.pdf",
        "/clinic/patients/{public_id}/report/",
        "/clinic/patients/{public_id}/report.pdf",
    ],
)
def test_signed_out_visitors_are_sent_to_sign_in(client, patient, path):
    url = path.format(public_id=patient.public_id)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "Hanako" not in response.content.decode()


# --- The font ------------------------------------------------------------------------------


def test_the_font_is_served_to_anyone_as_a_ttf(client):
    response = client.get("/fonts/ipaexg.ttf")
    assert response.status_code == 200
    assert response["Content-Type"] == "font/ttf"
    assert b"".join(response.streaming_content) == japanese_font_path().read_bytes()
    assert "public" in response["Cache-Control"]
