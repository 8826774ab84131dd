"""The clinician records the patient's pain before the injection (0–10, optional) on the
injection form: the course's baseline when the diary has too few days before it (issue 15)."""

import pytest

from diary.models import Injection
from tests.factories import days_ago, injection_form_data, make_injection
from tests.views.html import field_block, field_error

pytestmark = pytest.mark.django_db

MESSAGE = "Enter the pain before the injection as a whole number from 0 to 10, or leave it empty."
MESSAGE_JA = "注射前の痛みは 0 から 10 までの整数で入力するか、空欄のままにしてください。"


@pytest.fixture(autouse=True)
def english(clinician):
    clinician.language = "en"
    clinician.save(update_fields=["language"])


def new_url(patient):
    return f"/clinic/patients/{patient.public_id}/injections/new/"


def edit_url(patient, injection):
    return f"/clinic/patients/{patient.public_id}/injections/{injection.pk}/edit/"


def test_the_form_asks_for_the_pain_before_the_injection_on_0_to_10(clinician_client, patient):
    response = clinician_client.get(new_url(patient))
    block = field_block(response.content, "baseline_pain")
    assert block.startswith("Pain before the injection (0–10)")
    assert "Optional." in block
    assert "fewer than 3 entries in the 7 days before that first injection" in block
    html = response.content.decode()
    assert 'name="baseline_pain" min="0" max="10" step="1" inputmode="numeric"' in html


def test_the_pain_before_the_injection_is_stored(clinician_client, patient):
    data = injection_form_data(days_ago(1), baseline_pain="6")
    assert clinician_client.post(new_url(patient), data).status_code == 302
    assert patient.injections.get(day=days_ago(1)).baseline_pain == 6


@pytest.mark.parametrize("value", ["0", "10", "１０"])  # full width, as a Japanese keyboard types
def test_both_ends_of_the_scale_are_accepted(clinician_client, patient, value):
    data = injection_form_data(days_ago(1), baseline_pain=value)
    assert clinician_client.post(new_url(patient), data).status_code == 302
    assert patient.injections.get(day=days_ago(1)).baseline_pain == int(value)


def test_it_may_be_left_empty(clinician_client, patient):
    data = injection_form_data(days_ago(1), baseline_pain="")
    assert clinician_client.post(new_url(patient), data).status_code == 302
    assert patient.injections.get(day=days_ago(1)).baseline_pain is None


@pytest.mark.parametrize("value", ["-1", "11", "abc", "5.5", "99999999999999999999"])
def test_a_value_off_the_scale_gets_a_clear_message_and_nothing_is_saved(
    clinician_client, patient, value
):
    response = clinician_client.post(
        new_url(patient), injection_form_data(days_ago(1), baseline_pain=value)
    )
    assert response.status_code == 200
    assert field_error(response.content, "baseline_pain") == MESSAGE
    assert patient.injections.count() == 1
    assert not Injection.objects.filter(day=days_ago(1)).exists()


def test_the_message_is_in_the_clinicians_language(clinician_client, clinician, patient):
    clinician.language = "ja"
    clinician.save(update_fields=["language"])
    response = clinician_client.post(
        new_url(patient), injection_form_data(days_ago(1), baseline_pain="11")
    )
    assert response.status_code == 200
    assert field_error(response.content, "baseline_pain") == MESSAGE_JA
    assert "注射前の痛み（0–10）" in field_block(response.content, "baseline_pain")


def test_editing_shows_the_recorded_pain_and_can_change_it(clinician_client, patient):
    injection = make_injection(patient, day=days_ago(3), baseline_pain=7)
    page = clinician_client.get(edit_url(patient, injection))
    assert 'name="baseline_pain" value="7"' in page.content.decode()
    data = injection_form_data(days_ago(3), baseline_pain="5", notes="re-asked")
    assert clinician_client.post(edit_url(patient, injection), data).status_code == 302
    injection.refresh_from_db()
    assert (injection.baseline_pain, injection.notes) == (5, "re-asked")


def test_editing_other_fields_keeps_the_recorded_pain(clinician_client, patient):
    injection = make_injection(patient, day=days_ago(3), baseline_pain=7)
    data = injection_form_data(days_ago(3), baseline_pain="7", agent="prp")
    assert clinician_client.post(edit_url(patient, injection), data).status_code == 302
    injection.refresh_from_db()
    assert (injection.baseline_pain, injection.agent) == (7, "prp")


def test_an_invalid_edit_leaves_the_recorded_pain_as_it_was(clinician_client, patient):
    injection = make_injection(patient, day=days_ago(3), baseline_pain=7)
    response = clinician_client.post(
        edit_url(patient, injection), injection_form_data(days_ago(3), baseline_pain="-1")
    )
    assert response.status_code == 200
    assert field_error(response.content, "baseline_pain") == MESSAGE
    injection.refresh_from_db()
    assert injection.baseline_pain == 7


def test_a_clinician_of_another_clinic_cannot_set_it(other_clinician_client, patient):
    injection = make_injection(patient, day=days_ago(3), baseline_pain=7)
    response = other_clinician_client.post(
        edit_url(patient, injection), injection_form_data(days_ago(3), baseline_pain="2")
    )
    assert response.status_code == 404
    injection.refresh_from_db()
    assert injection.baseline_pain == 7


def test_a_patient_cannot_set_it(patient_client, patient):
    injection = make_injection(patient, day=days_ago(3), baseline_pain=7)
    response = patient_client.post(
        edit_url(patient, injection), injection_form_data(days_ago(3), baseline_pain="2")
    )
    assert response.status_code == 404
    injection.refresh_from_db()
    assert injection.baseline_pain == 7
