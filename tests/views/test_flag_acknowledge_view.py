"""Acknowledging a red flag from the clinic's patient page, and the flags listed there."""

from decimal import Decimal

import pytest
from django.utils import translation

from diary.models import Flag
from tests.factories import FROZEN_NOW, make_injection, save_entry

pytestmark = pytest.mark.django_db

NOTE = "Phoned her, coming in at 14:00 for aspiration"


@pytest.fixture
def flag(patient):
    save_entry(patient, temperature_c=Decimal("38.4"))
    return Flag.objects.get(patient=patient)


def url(patient, flag) -> str:
    return f"/clinic/patients/{patient.public_id}/flags/{flag.pk}/acknowledge/"


def page_url(patient) -> str:
    return f"/clinic/patients/{patient.public_id}/"


def in_english(user):
    user.language = "en"
    user.save(update_fields=["language"])


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def assert_still_open(flag):
    flag.refresh_from_db()
    assert flag.status == "open"
    assert (flag.acknowledged_by, flag.acknowledged_at, flag.action, flag.note) == (
        None,
        None,
        "",
        "",
    )


def test_a_clinician_of_the_clinic_acknowledges_with_action_and_note(
    clinician_client, clinician, patient, flag
):
    in_english(clinician)
    response = clinician_client.post(url(patient, flag), {"action": "called", "note": NOTE})

    assert response.status_code == 302
    assert response.url == page_url(patient) + "#flags"
    flag.refresh_from_db()
    assert flag.status == "acknowledged"
    assert (flag.acknowledged_by, flag.acknowledged_at) == (clinician, FROZEN_NOW)
    assert (flag.action, flag.note) == ("called", NOTE)

    page = clinician_client.get(response.url)
    assert messages_of(page) == ["The flag was acknowledged."]
    content = page.content.decode()
    assert 'data-flag="fever" data-severity="urgent" data-status="acknowledged"' in content
    assert "Called the patient" in content and "Dr. Taro Yamada" in content and NOTE in content


def test_without_an_action_it_says_what_is_missing_and_changes_nothing(
    clinician_client, clinician, patient, flag
):
    in_english(clinician)
    response = clinician_client.post(url(patient, flag), {"note": NOTE}, follow=True)
    assert response.redirect_chain == [(page_url(patient) + "#flags", 302)]
    assert messages_of(response) == ["Choose the action you took."]
    assert_still_open(flag)


def test_an_unknown_action_is_refused(clinician_client, patient, flag):
    response = clinician_client.post(url(patient, flag), {"action": "ignored"}, follow=True)
    assert len(messages_of(response)) == 1
    assert_still_open(flag)


def test_a_double_submit_gets_a_friendly_message_and_keeps_the_first(
    clinician_client, clinician, patient, flag
):
    in_english(clinician)
    clinician_client.post(url(patient, flag), {"action": "called", "note": NOTE})
    response = clinician_client.post(
        url(patient, flag), {"action": "no_action", "note": "again"}, follow=True
    )
    assert response.status_code == 200
    # Both clicks came before the page reloaded, so it shows both answers.
    assert messages_of(response) == [
        "The flag was acknowledged.",
        "This flag was already acknowledged or withdrawn.",
    ]
    flag.refresh_from_db()
    assert (flag.action, flag.note) == ("called", NOTE)


def test_the_messages_are_in_the_clinicians_language(clinician_client, patient, flag):
    response = clinician_client.post(url(patient, flag), {"action": "called"}, follow=True)
    with translation.override("ja"):
        expected = translation.gettext("The flag was acknowledged.")
    assert expected != "The flag was acknowledged."
    assert messages_of(response) == [expected]


def test_a_clinician_of_another_clinic_gets_404(other_clinician_client, patient, flag):
    response = other_clinician_client.post(url(patient, flag), {"action": "called"})
    assert response.status_code == 404
    assert_still_open(flag)


def test_a_patient_gets_404(patient_client, patient, flag):
    response = patient_client.post(url(patient, flag), {"action": "no_action"})
    assert response.status_code == 404
    assert_still_open(flag)


def test_an_anonymous_visitor_is_sent_to_sign_in(client, patient, flag):
    response = client.post(url(patient, flag), {"action": "called"})
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")
    assert_still_open(flag)


def test_a_flag_of_another_patient_under_this_patients_address_gets_404(
    clinician_client, patient, other_patient, flag
):
    make_injection(other_patient, day=flag.first_day)
    save_entry(other_patient, unwell=True)
    others = Flag.objects.get(patient=other_patient)
    response = clinician_client.post(url(patient, others), {"action": "called"})
    assert response.status_code == 404
    assert_still_open(others)


def test_get_is_not_allowed(clinician_client, patient, flag):
    assert clinician_client.get(url(patient, flag)).status_code == 405
    assert_still_open(flag)


# The flags on the clinic's patient page


def test_the_patient_page_lists_open_flags_with_an_acknowledge_form(
    clinician_client, clinician, patient, flag
):
    in_english(clinician)
    content = clinician_client.get(page_url(patient)).content.decode()
    assert 'data-flag="fever" data-severity="urgent" data-status="open"' in content
    assert "Temperature ≥ urgent threshold" in content  # the clinician's short explanation
    assert f'action="{url(patient, flag)}"' in content
    for action in ("called", "asked_to_come_in", "referred_emergency", "no_action"):
        assert f'name="action" value="{action}"' in content


def test_the_patient_page_has_no_form_for_a_withdrawn_flag(clinician_client, patient, flag):
    save_entry(patient, temperature_c=Decimal("36.6"))
    content = clinician_client.get(page_url(patient)).content.decode()
    assert 'data-status="withdrawn"' in content
    assert f'action="{url(patient, flag)}"' not in content
