"""Acknowledging several open flags of a patient in one step, from the clinic's patient page."""

import re
from datetime import datetime
from decimal import Decimal

import pytest

from accounts.models import AccessLog
from diary.flagging import flag_acknowledge
from diary.models import Flag
from tests.factories import FROZEN_NOW, days_ago, make_clinician, make_injection, save_entry

pytestmark = pytest.mark.django_db

NOTE = "Phoned her: coming in at 14:00"


@pytest.fixture
def two_flags(patient):
    save_entry(patient, day=days_ago(1), unwell=True)  # caution
    save_entry(patient, temperature_c=Decimal("38.4"))  # urgent
    return list(Flag.objects.filter(patient=patient).order_by("code"))


@pytest.fixture
def english(clinician):
    clinician.language = "en"
    clinician.save(update_fields=["language"])


def url(patient) -> str:
    return f"/clinic/patients/{patient.public_id}/flags/acknowledge/"


def page_url(patient) -> str:
    return f"/clinic/patients/{patient.public_id}/"


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def statuses(flags) -> list[str]:
    return [Flag.objects.get(pk=f.pk).status for f in flags]


def post(client, patient, flags, **data):
    return client.post(url(patient), {"flags": [f.pk for f in flags], **data}, follow=True)


def test_both_flags_are_acknowledged_with_the_one_action_and_note(
    clinician_client, clinician, patient, two_flags, english
):
    response = post(clinician_client, patient, two_flags, action="asked_to_come_in", note=NOTE)

    assert response.redirect_chain == [(page_url(patient) + "#flags", 302)]
    assert messages_of(response) == ["2 flags were acknowledged."]
    for flag in two_flags:
        flag.refresh_from_db()
        assert (flag.status, flag.acknowledged_by, flag.acknowledged_at) == (
            "acknowledged", clinician, FROZEN_NOW
        )  # fmt: skip
        assert (flag.action, flag.note) == ("asked_to_come_in", NOTE)
    content = response.content.decode()
    assert content.count('data-status="acknowledged"') == 2
    assert content.count(NOTE) == 2
    assert 'id="acknowledge-several"' not in content  # nothing open any more


def test_only_the_ticked_flags_are_acknowledged(clinician_client, patient, two_flags):
    fever, unwell = two_flags
    post(clinician_client, patient, [unwell], action="called")
    assert statuses(two_flags) == ["open", "acknowledged"]


def test_a_flag_a_colleague_acknowledged_meanwhile_is_named_and_left_as_it_was(
    clinician_client, clinic, patient, two_flags, english
):
    fever, unwell = two_flags
    colleague = make_clinician("nurse@example.jp", clinic=clinic, name="Nurse Aoki")
    flag_acknowledge(flag=fever, by=colleague, action="called", note="first")

    response = post(clinician_client, patient, two_flags, action="no_action", note=NOTE)

    assert messages_of(response) == [
        "1 flag was acknowledged.",
        "Fever was already acknowledged by Nurse Aoki at 2026-11-26 10:00; it was left as it was.",
    ]
    fever.refresh_from_db()
    assert (fever.acknowledged_by, fever.note) == (colleague, "first")
    assert statuses(two_flags) == ["acknowledged", "acknowledged"]


def test_without_a_flag_chosen_it_says_so_and_records_nothing(
    clinician_client, patient, two_flags, english
):
    response = post(clinician_client, patient, [], action="called", note=NOTE)
    assert messages_of(response) == ["Choose at least one flag."]
    assert statuses(two_flags) == ["open", "open"]


def test_without_an_action_it_says_so_and_records_nothing(
    clinician_client, patient, two_flags, english
):
    response = post(clinician_client, patient, two_flags, note=NOTE)
    assert messages_of(response) == ["Choose the action you took."]
    assert statuses(two_flags) == ["open", "open"]


def test_a_flag_of_another_patient_is_refused_and_nothing_is_recorded(
    clinician_client, patient, other_patient, two_flags, english
):
    make_injection(other_patient, day=days_ago(5))
    save_entry(other_patient, unwell=True)
    others = Flag.objects.get(patient=other_patient)

    response = post(clinician_client, patient, [*two_flags, others], action="called")

    assert messages_of(response) == [
        "A chosen flag is not one of this patient's. Nothing was recorded."
    ]
    assert statuses([*two_flags, others]) == ["open", "open", "open"]


def test_a_flag_id_that_is_no_number_is_refused(clinician_client, patient, two_flags, english):
    response = clinician_client.post(
        url(patient), {"flags": ["1 OR 1=1"], "action": "called"}, follow=True
    )
    assert response.status_code == 200
    assert messages_of(response) == [
        "A chosen flag is not one of this patient's. Nothing was recorded."
    ]
    assert statuses(two_flags) == ["open", "open"]


def test_a_withdrawn_flag_among_them_is_named_and_nothing_is_recorded(
    clinician_client, patient, two_flags, english
):
    save_entry(patient, temperature_c=Decimal("36.6"))  # the fever withdrawn
    response = post(clinician_client, patient, two_flags, action="called")
    assert messages_of(response) == [
        "Already closed (withdrawn, or the patient was erased): Fever. Nothing was recorded."
    ]
    assert statuses(two_flags) == ["withdrawn", "open"]


def test_the_clinic_administrator_may_acknowledge(clinic_admin_client, patient, two_flags):
    post(clinic_admin_client, patient, two_flags, action="called")
    assert statuses(two_flags) == ["acknowledged", "acknowledged"]


def test_a_clinician_of_another_clinic_gets_404(other_clinician_client, patient, two_flags):
    response = other_clinician_client.post(
        url(patient), {"flags": [f.pk for f in two_flags], "action": "called"}
    )
    assert response.status_code == 404
    assert statuses(two_flags) == ["open", "open"]


def test_a_patient_gets_404(patient_client, patient, two_flags):
    response = patient_client.post(
        url(patient), {"flags": [f.pk for f in two_flags], "action": "called"}
    )
    assert response.status_code == 404
    assert statuses(two_flags) == ["open", "open"]


def test_an_anonymous_visitor_is_sent_to_sign_in(client, patient, two_flags):
    response = client.post(url(patient), {"flags": [f.pk for f in two_flags], "action": "called"})
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")
    assert statuses(two_flags) == ["open", "open"]


def test_get_is_not_allowed(clinician_client, patient, two_flags):
    assert clinician_client.get(url(patient)).status_code == 405


def test_it_writes_no_access_log_row_of_its_own_like_one_acknowledgement(
    clinician_client, clinician, patient, two_flags
):
    """Who and when are on each flag, as for a single acknowledgement; only the page it
    returns to is logged (view_patient)."""
    before = AccessLog.objects.filter(user=clinician, patient=patient).count()
    clinician_client.post(url(patient), {"flags": [f.pk for f in two_flags], "action": "called"})
    assert AccessLog.objects.filter(user=clinician, patient=patient).count() == before


# The patient page


def box(flag) -> str:
    return f'type="checkbox" name="flags" value="{flag.pk}" id="ack-several-flag-{flag.pk}"'


def test_the_page_offers_one_form_for_the_open_flags_the_urgent_one_not_ticked(
    clinician_client, patient, two_flags, english
):
    fever, unwell = two_flags  # by code
    assert (fever.severity, unwell.severity) == ("urgent", "caution")
    content = clinician_client.get(page_url(patient)).content.decode()
    assert f'action="{url(patient)}"' in content
    assert "Acknowledge the 2 open flags in one step" in content
    assert f"{box(unwell)} checked>" in content
    # One step must not close an urgent flag for someone who has not dealt with it.
    assert f"{box(fever)}>" in content
    assert "Urgent flags are not ticked in advance: tick each one you have dealt with." in content
    for action in ("called", "asked_to_come_in", "referred_emergency", "no_action"):
        assert f'name="action" value="{action}" id="ack-several-{action}"' in content


def test_without_an_urgent_flag_every_flag_is_ticked_and_there_is_no_hint(
    clinician_client, patient, english
):
    save_entry(patient, day=days_ago(1), unwell=True)
    save_entry(patient, temperature_c=Decimal("37.6"))  # caution
    cautions = list(Flag.objects.filter(patient=patient))
    assert sorted(f.severity for f in cautions) == ["caution", "caution"]
    content = clinician_client.get(page_url(patient)).content.decode()
    for flag in cautions:
        assert f"{box(flag)} checked>" in content
    assert "urgent-not-ticked" not in content


def test_with_one_open_flag_there_is_no_form_for_several(
    clinician_client, clinician, patient, two_flags
):
    flag_acknowledge(flag=two_flags[1], by=clinician, action="called")
    content = clinician_client.get(page_url(patient)).content.decode()
    assert 'id="acknowledge-several"' not in content
    assert f'action="{url(patient)}"' not in content


def test_each_open_flag_is_collapsed_with_its_name_days_and_wait_in_the_summary(
    clinician_client, patient, two_flags, english
):
    content = clinician_client.get(page_url(patient)).content.decode()
    assert content.count('<details class="flag-details">') == 2
    assert '<details class="flag-details" open' not in content
    summary = content.split('<summary class="flag-summary">')[1].split("</summary>")[0]
    assert "Fever" in summary and "11/26" in summary and "waiting 1 min" in summary
    assert 'class="urgent-waiting' in summary


# A flag urgent otherwise than the page showed it (diary.flagging.FlagBecameUrgent)


def shown_inputs(content: str) -> dict[str, str]:
    return dict(
        re.findall(r'<input type="hidden" name="(shown_urgent_at_\d+)" value="([^"]*)">', content)
    )


def test_every_acknowledging_form_sends_back_each_flag_s_urgency_as_shown(
    clinician_client, patient, two_flags
):
    fever, unwell = two_flags  # by code: fever urgent, unwell caution
    content = clinician_client.get(page_url(patient)).content.decode()
    found = re.findall(r'name="(shown_urgent_at_\d+)" value="([^"]*)"', content)
    # In the form for several (one per flag) and in each flag's own form (which the
    # register's "Also record as an adverse event" button posts too).
    assert sorted(found) == sorted(
        [(f"shown_urgent_at_{fever.pk}", fever.urgent_at.isoformat())] * 2
        + [(f"shown_urgent_at_{unwell.pk}", "")] * 2
    )
    assert datetime.fromisoformat(fever.urgent_at.isoformat()) == fever.urgent_at


@pytest.fixture
def fever_turned_urgent(patient):
    """A caution fever (37.6 °C) that a later entry (38.4 °C) made urgent, and a caution; the
    page showed both as cautions."""
    save_entry(patient, day=days_ago(1), unwell=True)
    save_entry(patient, temperature_c=Decimal("37.6"))
    save_entry(patient, temperature_c=Decimal("38.4"))
    flags = list(Flag.objects.filter(patient=patient).order_by("code"))
    assert [(f.code, f.severity) for f in flags] == [("fever", "urgent"), ("unwell", "caution")]
    return flags


def shown_as_cautions(flags) -> dict[str, str]:
    return {f"shown_urgent_at_{flag.pk}": "" for flag in flags}


BECAME_URGENT_EN = (
    "Fever was not acknowledged: it became urgent after this page was opened. Read it again, "
    "then acknowledge it."
)


def test_in_one_step_a_flag_urgent_since_the_page_stays_open_and_says_so(
    clinician_client, patient, fever_turned_urgent, english
):
    response = post(
        clinician_client, patient, fever_turned_urgent, action="called",
        **shown_as_cautions(fever_turned_urgent),
    )  # fmt: skip
    assert statuses(fever_turned_urgent) == ["open", "acknowledged"]
    assert messages_of(response) == ["1 flag was acknowledged.", BECAME_URGENT_EN]


def test_one_flag_urgent_since_the_page_is_not_acknowledged_and_says_so(
    clinician_client, patient, fever_turned_urgent, english
):
    fever = fever_turned_urgent[0]
    response = clinician_client.post(
        f"/clinic/patients/{patient.public_id}/flags/{fever.pk}/acknowledge/",
        {"action": "called", **shown_as_cautions([fever])},
        follow=True,
    )
    assert statuses([fever]) == ["open"]
    assert messages_of(response) == [BECAME_URGENT_EN]


def test_also_recording_an_event_from_a_flag_urgent_since_refuses_and_stays_on_the_page(
    clinician_client, patient, fever_turned_urgent, english
):
    fever = fever_turned_urgent[0]
    response = clinician_client.post(
        f"/clinic/patients/{patient.public_id}/flags/{fever.pk}/record-adverse-event/",
        {"action": "called", **shown_as_cautions([fever])},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{page_url(patient)}#flags"
    assert statuses([fever]) == ["open"]


def test_also_recording_an_event_from_the_page_as_it_is_acknowledges_it(
    clinician_client, patient, fever_turned_urgent
):
    fever = fever_turned_urgent[0]
    content = clinician_client.get(page_url(patient)).content.decode()
    response = clinician_client.post(
        f"/clinic/patients/{patient.public_id}/flags/{fever.pk}/record-adverse-event/",
        {"action": "called", **shown_inputs(content)},
    )
    assert response.status_code == 302 and "adverse-events/new/" in response["Location"]
    assert statuses([fever]) == ["acknowledged"]


@pytest.mark.parametrize("shown", [None, "yesterday", "2026-11-26T10:00:00"])
def test_a_missing_broken_or_naive_value_is_no_check(
    clinician_client, patient, fever_turned_urgent, shown
):
    extra = {} if shown is None else {f"shown_urgent_at_{fever_turned_urgent[0].pk}": shown}
    post(clinician_client, patient, fever_turned_urgent, action="called", **extra)
    assert statuses(fever_turned_urgent) == ["acknowledged", "acknowledged"]
