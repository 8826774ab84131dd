"""Adverse events: recorded directly or from a flag, changed with every earlier version kept,
never deleted, marked reported; bad input answered with a message and nothing written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from accounts.models import AccessLog
from diary.models import Flag
from registry.models import AdverseEvent, AdverseEventVersion
from registry.services import adverse_event_change, adverse_event_record
from tests.factories import days_ago, make_flag, make_injection
from tests.registry.helpers import event_form_data, make_event, make_plan
from tests.views.html import field_error

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(clinician):
    clinician.language = "en"
    clinician.save(update_fields=["language"])


def new_url(patient) -> str:
    return f"/clinic/patients/{patient.public_id}/adverse-events/new/"


def event_url(event, suffix="") -> str:
    return f"/clinic/patients/{event.patient.public_id}/adverse-events/{event.pk}/{suffix}"


def test_a_clinician_records_an_event_under_the_injections_plan(
    clinician_client, clinician, kenji, plan
):
    injection = kenji.injections.get()
    data = event_form_data(injection=str(injection.pk))
    response = clinician_client.post(new_url(kenji), data)
    event = AdverseEvent.objects.get()
    assert response.status_code == 302
    assert response["Location"] == event_url(event)
    assert (event.patient, event.injection, event.plan) == (kenji, injection, plan)
    assert event.recorded_by == clinician
    assert event.deadline == days_ago(2) + timedelta(days=15)  # learned 2 days ago, 15 days
    assert [row.action for row in AccessLog.objects.all()] == ["adverse_event_form"]


def test_the_form_opens_with_today_as_the_day_the_clinic_learned_of_it(clinician_client, kenji):
    response = clinician_client.get(new_url(kenji))
    assert response.status_code == 200
    assert response.context["form"].initial["learned_on"] == days_ago(0)


def test_a_flag_prefills_the_onset_the_injection_of_that_day_and_its_plan(
    clinician_client, kenji, plan
):
    injection = kenji.injections.get()
    make_injection(kenji, day=days_ago(30), agent="hyaluronic_acid")  # an earlier one
    flag = make_flag(kenji, code="fever", severity="urgent", first_day=days_ago(7))
    response = clinician_client.get(new_url(kenji) + f"?flag={flag.pk}")
    initial = response.context["form"].initial
    assert initial["onset_on"] == days_ago(7)
    assert initial["injection"] == injection.pk
    assert initial["plan"] == plan.pk
    response = clinician_client.post(
        new_url(kenji) + f"?flag={flag.pk}",
        event_form_data(onset_on=days_ago(7).isoformat(), injection=str(injection.pk)),
    )
    assert response.status_code == 302
    assert AdverseEvent.objects.get().flag == flag


def test_another_patients_flag_is_not_found(clinician_client, kenji, patient):
    flag = make_flag(patient, code="fever", severity="urgent", first_day=days_ago(1))
    assert clinician_client.get(new_url(kenji) + f"?flag={flag.pk}").status_code == 404
    assert clinician_client.get(new_url(kenji) + "?flag=abc").status_code == 404


def test_acknowledge_and_record_acknowledges_then_opens_the_form(
    clinician_client, clinician, kenji
):
    flag = make_flag(kenji, code="fever", severity="urgent", first_day=days_ago(7))
    url = f"/clinic/patients/{kenji.public_id}/flags/{flag.pk}/record-adverse-event/"
    response = clinician_client.post(url, {"action": "asked_to_come_in", "note": "seen today"})
    assert response.status_code == 302
    assert response["Location"] == new_url(kenji) + f"?flag={flag.pk}"
    flag.refresh_from_db()
    assert (flag.status, flag.action, flag.acknowledged_by) == (
        Flag.Status.ACKNOWLEDGED, "asked_to_come_in", clinician
    )  # fmt: skip
    # Without an action chosen nothing is acknowledged and the page says why.
    other = make_flag(kenji, code="unwell", severity="caution", first_day=days_ago(6))
    url = f"/clinic/patients/{kenji.public_id}/flags/{other.pk}/record-adverse-event/"
    response = clinician_client.post(url, {}, follow=True)
    assert "Choose the action you took." in response.content.decode()
    other.refresh_from_db()
    assert other.status == Flag.Status.OPEN


def test_the_flag_card_offers_to_record_it_as_an_adverse_event(clinician_client, kenji):
    flag = make_flag(kenji, code="fever", severity="urgent", first_day=days_ago(7))
    page = clinician_client.get(f"/clinic/patients/{kenji.public_id}/").content.decode()
    assert f"/flags/{flag.pk}/record-adverse-event/" in page
    assert "Also record as an adverse event" in page


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"learned_on": days_ago(5).isoformat()}, "learned_on", "before the onset"),
        ({"onset_on": days_ago(-1).isoformat()}, "onset_on", "cannot be in the future"),
        ({"onset_on": "26/11/2026"}, "onset_on", "Enter a date such as"),
        ({"seriousness": "terrible"}, "seriousness", "Select a valid choice"),
        ({"description": ""}, "description", "This field is required"),
        ({"description": "x" * 4001}, "description", "at most 4000 characters"),
        ({"outcome_on": days_ago(4).isoformat()}, "outcome_on", "before the onset"),
    ],
)
def test_bad_input_gets_a_message_and_writes_nothing(
    clinician_client, kenji, change, field, message
):
    response = clinician_client.post(new_url(kenji), event_form_data(**change))
    assert response.status_code == 200
    assert message in field_error(response.content, field)
    assert not AdverseEvent.objects.exists()


def test_an_onset_before_the_injection_concerned_is_refused(clinician_client, kenji):
    injection = kenji.injections.get()
    data = event_form_data(onset_on=days_ago(12).isoformat(), injection=str(injection.pk))
    response = clinician_client.post(new_url(kenji), data)
    assert "before the injection concerned" in field_error(response.content, "onset_on")


def test_another_patients_injection_cannot_be_chosen(clinician_client, kenji, patient):
    theirs = patient.injections.get()
    response = clinician_client.post(new_url(kenji), event_form_data(injection=str(theirs.pk)))
    assert "Please choose one of the answers shown." in field_error(response.content, "injection")
    assert not AdverseEvent.objects.exists()


def test_another_plan_than_the_injections_is_refused(clinician_client, kenji, clinic):
    second = make_plan(clinic, number="PC3260099")
    injection = kenji.injections.get()
    data = event_form_data(injection=str(injection.pk), plan=str(second.pk))
    response = clinician_client.post(new_url(kenji), data)
    assert response.status_code == 200
    assert "given under plan PC3260015" in field_error(response.content, "plan")
    assert not AdverseEvent.objects.exists()


def test_a_change_keeps_the_version_before_it(clinician_client, clinician, kenji, plan):
    event = make_event(kenji, by=clinician, plan=plan, outcome="recovering")
    response = clinician_client.post(
        event_url(event, "edit/"),
        event_form_data(
            outcome="recovered", outcome_on=days_ago(1).isoformat(), plan=str(plan.pk)
        ),  # fmt: skip
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.outcome == "recovered"
    (version,) = AdverseEventVersion.objects.all()
    assert version.data["outcome"] == "recovering"
    assert version.data["outcome_on"] is None
    assert set(version.changed_fields) == {"outcome", "outcome_on"}
    assert version.changed_by == clinician
    page = clinician_client.get(event_url(event)).content.decode()
    assert "Recovering" in page  # the earlier value, in words


def test_saving_without_a_change_writes_no_version(clinician, kenji, plan):
    event = make_event(kenji, by=clinician, plan=plan)
    assert adverse_event_change(event=event, values={"outcome": event.outcome}, by=clinician) == ()
    assert not AdverseEventVersion.objects.exists()


def test_events_and_versions_are_never_deleted(clinician, kenji, plan):
    event = make_event(kenji, by=clinician, plan=plan)
    adverse_event_change(event=event, values={"outcome": "recovering"}, by=clinician)
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AdverseEvent.objects.all().delete()
    version = AdverseEventVersion.objects.get()
    with pytest.raises(PermissionError):
        version.delete()
    with pytest.raises(PermissionError):
        AdverseEventVersion.objects.update(data={})
    version.data = {}
    with pytest.raises(PermissionError):
        version.save()
    assert AdverseEvent.objects.count() == 1


def test_marking_it_reported_stops_the_countdown_and_keeps_the_version(
    clinician_client, clinician, kenji, plan
):
    event = make_event(kenji, by=clinician, plan=plan)
    page = clinician_client.get(event_url(event)).content.decode()
    assert "Report due in 13 days" in page
    response = clinician_client.post(
        event_url(event), {"reported_on": days_ago(0).isoformat(), "reported_to": "committee"}
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.reported_on, event.reported_to) == (days_ago(0), "committee")
    assert AdverseEventVersion.objects.get().data["reported_on"] is None
    page = clinician_client.get(event_url(event)).content.decode()
    assert "Report due" not in page
    assert "The certified committee" in page


def test_a_report_needs_a_date_and_whom_and_not_before_the_onset(
    clinician_client, clinician, kenji, plan
):
    event = make_event(kenji, by=clinician, plan=plan)
    response = clinician_client.post(event_url(event), {"reported_on": days_ago(0).isoformat()})
    assert "This field is required" in field_error(response.content, "reported_to")
    response = clinician_client.post(
        event_url(event), {"reported_on": days_ago(9).isoformat(), "reported_to": "ministry"}
    )
    assert "before the onset" in field_error(response.content, "reported_on")
    event.refresh_from_db()
    assert event.reported_on is None


def test_the_service_checks_whose_injection_flag_and_plan_it_is(
    clinician, kenji, patient, other_plan
):
    values = {
        "onset_on": days_ago(3), "learned_on": days_ago(2), "description": "x",
        "seriousness": "not_serious", "relation": "unknown", "outcome": "recovered",
    }  # fmt: skip
    with pytest.raises(ValueError):
        adverse_event_record(
            patient=kenji, by=clinician, values={**values, "injection": patient.injections.get()}
        )
    with pytest.raises(ValueError):
        adverse_event_record(patient=kenji, by=clinician, values={**values, "plan": other_plan})
    flag = make_flag(patient, code="fever", severity="urgent", first_day=days_ago(1))
    with pytest.raises(ValueError):
        adverse_event_record(patient=kenji, by=clinician, values=values, flag=flag)
    with pytest.raises(ValidationError):
        adverse_event_record(
            patient=kenji, by=clinician, values={**values, "learned_on": days_ago(4)}
        )
    assert not AdverseEvent.objects.exists()


def test_the_summary_is_in_japanese_for_an_english_reader(clinician_client, clinician, kenji, plan):
    event = make_event(
        kenji, by=clinician, plan=plan, injection=kenji.injections.get(),
        description="Fainted <b>after</b> the draw",
    )  # fmt: skip
    response = clinician_client.get(event_url(event, "summary/"))
    page = response.content.decode()
    assert response.status_code == 200
    expected = (
        "疾病等の報告用まとめ", "計画番号", "PC3260015", "第三種", "入院または入院期間の延長",
        "報告期限", "71歳", "Kanto certified committee", "膝（左）",
    )  # fmt: skip
    for words in expected:
        assert words in page, words
    assert "Fainted &lt;b&gt;after&lt;/b&gt; the draw" in page
    assert AccessLog.objects.get().action == "view_event_summary"


def test_the_summary_pdf_is_a4_and_holds_the_japanese_fields(
    clinician_client, clinician, kenji, plan
):
    from io import BytesIO

    from pypdf import PdfReader

    event = make_event(kenji, by=clinician, plan=plan, injection=kenji.injections.get())
    response = clinician_client.get(event_url(event, "summary.pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="adverse-event-{event.pk}.pdf"'
    reader = PdfReader(BytesIO(response.content))
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4 in points
    text = "".join(page.extract_text() for page in reader.pages)
    assert "計画番号" in text and "PC3260015" in text
    assert AccessLog.objects.get().action == "download_event_summary"
