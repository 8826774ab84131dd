"""SPEC §3: no research jargon on a patient's page. The patient's own copy of the visit report
says the OMERACT-OARSI verdict in plain words; the clinic's copy may name it."""

from __future__ import annotations

import pytest

from tests.factories import days_ago, make_entry
from tests.report import pdf_pages_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def diary(patient):
    make_entry(patient, day=days_ago(1), pain=3)


def test_the_patients_own_report_names_no_research_criteria(patient_client, diary):
    content = patient_client.get("/diary/report/").content.decode()
    assert "OMERACT" not in content
    assert "はっきりした改善（研究でよく使われる基準による）" in content  # the patient's language


def test_the_patients_own_pdf_names_no_research_criteria(patient_client, diary):
    text = "\n".join(pdf_pages_text(patient_client.get("/diary/report.pdf").content))
    assert "OMERACT" not in text


def test_the_patients_own_report_in_japanese_names_no_research_criteria(
    patient_client, patient, diary
):
    patient.language = "ja"
    patient.save(update_fields=["language"])
    content = patient_client.get("/diary/report/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "OMERACT" not in content and "レスポンダー" not in content


def test_the_clinic_report_names_the_criteria(clinician_client, patient, diary):
    content = clinician_client.get(f"/clinic/patients/{patient.public_id}/report/").content
    assert b"OMERACT-OARSI" in content
