"""Clinicians record and correct injections on the patient's page."""

from datetime import timedelta

import pytest

from diary.models import Injection
from tests.factories import TODAY, days_ago, injection_form_data, make_injection
from tests.views.html import field_error

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(clinician):
    clinician.language = "en"
    clinician.save(update_fields=["language"])


def new_url(patient):
    return f"/clinic/patients/{patient.public_id}/injections/new/"


def edit_url(patient, injection):
    return f"/clinic/patients/{patient.public_id}/injections/{injection.pk}/edit/"


def test_a_clinician_records_an_injection(clinician_client, patient, clinician):
    data = injection_form_data(
        days_ago(1), time="09:30", course_number="2", course_total="5", notes="no effusion"
    )
    response = clinician_client.post(new_url(patient), data)
    assert response.status_code == 302
    assert response["Location"] == f"/clinic/patients/{patient.public_id}/"
    injection = patient.injections.get(day=days_ago(1))
    assert (injection.joint, injection.side, injection.agent) == ("knee", "right", "corticosteroid")
    assert (injection.course_number, injection.course_total) == (2, 5)
    assert injection.created_by == clinician
    assert injection.notes == "no effusion"
    page = clinician_client.get(response["Location"]).content.decode()
    assert "The injection was saved." in page
    assert "2 of 5" in page


def test_the_new_injection_form_is_for_today_at_most(clinician_client, patient):
    response = clinician_client.get(new_url(patient))
    assert response.context["form"].fields["day"].widget.attrs["max"] == "2026-11-26"
    assert response.context["injection"] is None


def test_a_future_injection_is_refused(clinician_client, patient):
    response = clinician_client.post(
        new_url(patient), injection_form_data(TODAY + timedelta(days=1))
    )
    assert response.status_code == 200
    assert "cannot be in the future" in field_error(response.content, "day")
    assert patient.injections.count() == 1


def test_a_number_beyond_the_course_length_is_refused(clinician_client, patient):
    response = clinician_client.post(
        new_url(patient), injection_form_data(course_number="3", course_total="2")
    )
    assert response.status_code == 200
    assert "cannot exceed the course length" in field_error(response.content, "course_number")
    assert patient.injections.count() == 1


def test_a_clinician_corrects_an_injection(clinician_client, patient, clinician):
    injection = make_injection(patient, day=days_ago(3), agent="prp", created_by=clinician)
    page = clinician_client.get(edit_url(patient, injection))
    assert page.context["injection"] == injection
    assert b'value="2026-11-23"' in page.content
    response = clinician_client.post(
        edit_url(patient, injection), injection_form_data(days_ago(2), agent="hyaluronic_acid")
    )
    assert response.status_code == 302
    injection.refresh_from_db()
    assert (injection.day, injection.agent) == (days_ago(2), "hyaluronic_acid")
    assert patient.injections.count() == 2


def test_an_injection_recorded_by_an_account_since_removed_can_be_corrected(
    clinician_client, patient
):
    injection = patient.injections.get()  # recorded without a recorder
    response = clinician_client.post(
        edit_url(patient, injection), injection_form_data(days_ago(5), notes="checked")
    )
    assert response.status_code == 302
    injection.refresh_from_db()
    assert injection.notes == "checked"


def test_a_clinician_of_another_clinic_cannot_record_for_our_patient(
    other_clinician_client, patient
):
    response = other_clinician_client.post(new_url(patient), injection_form_data())
    assert response.status_code == 404
    assert patient.injections.count() == 1


def test_a_clinician_of_another_clinic_cannot_correct_our_patients_injection(
    other_clinician_client, patient
):
    injection = patient.injections.get()
    response = other_clinician_client.post(
        edit_url(patient, injection), injection_form_data(days_ago(1), agent="prp")
    )
    assert response.status_code == 404
    injection.refresh_from_db()
    assert (injection.day, injection.agent) == (days_ago(5), "hyaluronic_acid")


def test_a_patient_cannot_record_an_injection(patient_client, patient):
    response = patient_client.post(new_url(patient), injection_form_data())
    assert response.status_code == 404
    assert Injection.objects.count() == 1


def test_a_new_injection_has_no_preselected_joint_side_or_medicine(clinician_client, patient):
    """A default that is wrong for this patient (left, hyaluronic acid) would be recorded by a
    tired click; the date starts at today."""
    form = clinician_client.get(new_url(patient)).context["form"]
    for name in ("joint", "side", "agent"):
        assert form[name].value() in (None, ""), name
        assert form.fields[name].choices[0][0] == ""
    assert form["day"].value() == TODAY


def test_a_new_injection_without_a_side_is_refused(clinician_client, patient):
    response = clinician_client.post(new_url(patient), injection_form_data(days_ago(1), side=""))
    assert response.status_code == 200
    assert field_error(response.content, "side")
    assert not patient.injections.filter(day=days_ago(1)).exists()


def test_editing_keeps_the_recorded_side_without_a_blank_choice(clinician_client, patient):
    injection = patient.injections.get()
    form = clinician_client.get(edit_url(patient, injection)).context["form"]
    assert form["side"].value() == injection.side
    assert "" not in [value for value, _ in form.fields["side"].choices]
