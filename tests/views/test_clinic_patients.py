"""The clinic's patient list and a patient's page."""

import re

import pytest

from tests.factories import TODAY, days_ago, make_entry, make_patient

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(clinician):
    clinician.language = "en"
    clinician.save(update_fields=["language"])


def test_the_list_shows_each_patient_of_the_clinic_with_a_link(
    clinician_client, patient, other_patient, other_clinic
):
    make_entry(patient, day=TODAY)
    make_patient("stranger@example.jp", clinic=other_clinic, name="Aaron Stranger")
    response = clinician_client.get("/clinic/")
    content = response.content.decode()
    for someone in (patient, other_patient):
        assert someone.name in content
        assert someone.patient_number in content
        assert f'href="/clinic/patients/{someone.public_id}/"' in content
    assert "Aaron Stranger" not in content


def test_the_list_does_not_show_clinic_staff(clinician_client, patient, clinician, clinic_admin):
    content = clinician_client.get("/clinic/").content.decode()
    assert "Hanako Sato" in content
    assert "Kimura Office" not in content
    assert f"/clinic/patients/{clinician.public_id}/" not in content
    assert f"/clinic/patients/{clinic_admin.public_id}/" not in content


@pytest.mark.parametrize(("query", "found"), [("hanako", True), ("P-1", True), ("P-2", False)])
def test_the_list_can_be_searched_by_name_or_patient_number(
    clinician_client, patient, other_patient, query, found
):
    content = clinician_client.get("/clinic/", {"q": query}).content.decode()
    assert ("Hanako Sato" in content) is found
    assert ("Ichiro Suzuki" in content) is (not found)
    assert f'value="{query}"' in content


def test_the_patient_page_shows_injections_and_entries_with_baseline_days(
    clinician_client, patient
):
    make_entry(patient, day=days_ago(7), pain=6, notes="before the injection")
    make_entry(patient, day=days_ago(1), pain=3, notes="much better")
    response = clinician_client.get(f"/clinic/patients/{patient.public_id}/")
    content = response.content.decode()
    assert response.context["patient"] == patient
    assert "Hanako Sato" in content
    assert "hanako@example.jp" in content
    assert "P-1" in content
    assert "2026-11-21" in content  # the injection
    assert "Hyaluronic acid" in content
    assert "much better" in content
    assert "before the injection" in content
    assert "Baseline (before the injection)" in content
    assert re.search(r"Day\s+4", content)
    edit = f"/clinic/patients/{patient.public_id}/injections/{patient.injections.get().pk}/edit/"
    assert f'href="{edit}"' in content


def test_the_patient_page_shows_the_age(clinician_client, patient):
    from datetime import date

    patient.birth_date = date(1956, 4, 1)
    patient.save(update_fields=["birth_date"])
    response = clinician_client.get(f"/clinic/patients/{patient.public_id}/")
    assert response.context["age"] == 70
    assert "70 years" in response.content.decode()


def test_the_patient_page_offers_a_new_invitation_only_before_a_password_is_chosen(
    clinician, clinician_client, patient, clinic
):
    """After that, only a link by e-mail for a forgotten password (never shown to staff)."""
    clinician.language = "en"
    clinician.save(update_fields=["language"])
    with_password = clinician_client.get(f"/clinic/patients/{patient.public_id}/")
    content = with_password.content.decode()
    assert "Send a new invitation" not in content
    assert "E-mail a link to choose a new password" in content
    invited = make_patient("new@example.jp", clinic=clinic, password=None)
    content = clinician_client.get(f"/clinic/patients/{invited.public_id}/").content.decode()
    assert f"/clinic/patients/{invited.public_id}/invite/" in content


def test_a_search_that_finds_nobody_says_so(
    clinician, clinician_client, patient, django_assert_max_num_queries
):
    clinician.language = "ja"
    clinician.save(update_fields=["language"])
    clinician_client.get("/clinic/")  # the session's first request writes its start time
    # No look-ups for rows that are not there: the session, the user, the clinic, the counts,
    # the page and its count.
    with django_assert_max_num_queries(8):
        content = clinician_client.get("/clinic/", {"q": "nobody"}).content.decode()
    assert "該当する患者はいません。" in content
    assert "Hanako Sato" not in content
