"""Records of a patient treated under a plan are kept 10 years after the last such treatment:
the erasure request is answered with the legal reason, a deletion is refused, an
anonymisation removes the contact data only and is recorded."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.test import Client

from accounts.models import User
from diary.models import DiaryEntry, ErasureRequest, Injection
from diary.privacy import patient_erase
from registry.models import AdverseEvent, PlanInjection, RetainedErasure
from registry.retention import RecordsKept, retention_hold
from tests.factories import TOKYO, days_ago, make_entry
from tests.registry.helpers import make_event

pytestmark = pytest.mark.django_db

KEPT_UNTIL = date(2036, 11, 16)  # Kenji's PRP injection was on 2026-11-16
REASON = "Written request of 2026-11-25, identity checked at the desk."


def signed_in(user, language="en") -> Client:
    User.objects.filter(pk=user.pk).update(language=language)
    client = Client()
    client.force_login(user)
    return client


def erase(client, patient, mode):
    return client.post(
        f"/clinic/patients/{patient.public_id}/erase/",
        {"mode": mode, "reason": REASON, "confirm_number": patient.patient_number},
    )


@pytest.fixture
def kenji_record(kenji):
    User.objects.filter(pk=kenji.pk).update(phone="090-1234-5678", phone2="03-1111-0000")
    make_entry(kenji, day=days_ago(2), notes="knee warm at night")
    kenji.refresh_from_db()
    return kenji


def test_the_hold_runs_10_years_from_the_last_treatment_under_a_plan(kenji, plan):
    hold = retention_hold(kenji)
    assert (hold.last_treatment, hold.kept_until, hold.plan_numbers) == (
        days_ago(10), KEPT_UNTIL, ("PC3260015",)
    )  # fmt: skip
    assert retention_hold(kenji, today=KEPT_UNTIL) is not None
    assert retention_hold(kenji, today=date(2036, 11, 17)) is None


def test_a_patient_never_treated_under_a_plan_has_no_hold(patient):
    assert retention_hold(patient) is None


def test_the_erase_page_says_so_and_a_deletion_is_refused(clinic_admin, kenji_record):
    admin = signed_in(clinic_admin)
    page = admin.get(f"/clinic/patients/{kenji_record.public_id}/erase/").content.decode()
    assert f"Records kept until {KEPT_UNTIL.isoformat()}" in page
    response = erase(admin, kenji_record, "delete")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Act on the Safety of Regenerative Medicine" in page
    assert f"until {KEPT_UNTIL.isoformat()}" in page
    kenji_record.refresh_from_db()
    assert kenji_record.is_active and kenji_record.email == "kenji@example.jp"
    assert Injection.objects.filter(patient=kenji_record).count() == 1
    assert DiaryEntry.objects.filter(patient=kenji_record).count() == 1
    assert not ErasureRequest.objects.filter(status="done").exists()


def test_the_service_refuses_a_deletion_too(clinic_admin, kenji_record):
    with pytest.raises(RecordsKept) as refused:
        patient_erase(patient=kenji_record, by=clinic_admin, mode="delete", reason=REASON)
    assert refused.value.hold.kept_until == KEPT_UNTIL
    assert PlanInjection.objects.count() == 1


def test_an_anonymisation_removes_the_contact_data_only_and_is_recorded(clinic_admin, kenji_record):
    admin = signed_in(clinic_admin)
    response = erase(admin, kenji_record, "anonymise")
    assert response.status_code == 302
    kenji = User.objects.get(pk=kenji_record.pk)
    assert kenji.email.endswith("@erased.invalid")
    assert (kenji.phone, kenji.phone2, kenji.is_active) == ("", "", False)
    assert not kenji.has_usable_password()
    # The record stays whole: name, number, birth date, the diary with its notes.
    assert (kenji.name, kenji.patient_number, kenji.birth_date) == (
        "Kenji Ito", "P-7", date(1955, 6, 1)
    )  # fmt: skip
    assert DiaryEntry.objects.get(patient=kenji).notes == "knee warm at night"
    assert PlanInjection.objects.filter(injection__patient=kenji).count() == 1
    done = ErasureRequest.objects.get(patient=kenji)
    assert (done.status, done.mode, done.handled_by) == ("done", "anonymise", clinic_admin)
    assert done.reason.startswith("Contact data only: the records are kept until 2036-11-16")
    assert done.reason.endswith(REASON)
    kept = RetainedErasure.objects.get()
    assert (kept.patient, kept.erasure_request, kept.kept_until, kept.done_by) == (
        kenji, done, KEPT_UNTIL, clinic_admin
    )  # fmt: skip
    page = admin.get(response["Location"]).content.decode()
    assert "Only the contact data was removed" in page


def test_after_the_period_the_records_may_be_deleted(clinic_admin, kenji_record, time_machine):
    time_machine.move_to(datetime(2036, 11, 17, 10, 0, tzinfo=TOKYO), tick=False)
    patient_erase(patient=kenji_record, by=clinic_admin, mode="delete", reason=REASON)
    assert not Injection.objects.filter(patient=kenji_record).exists()
    assert not PlanInjection.objects.exists()


def test_a_patient_with_adverse_events_is_never_deleted(clinic_admin, clinician, patient):
    make_event(patient, by=clinician)  # no plan: no hold, but events are never deleted
    admin = signed_in(clinic_admin)
    response = erase(admin, patient, "delete")
    assert "adverse events on record" in response.content.decode()
    assert AdverseEvent.objects.count() == 1 and patient.injections.count() == 1
    assert erase(admin, patient, "anonymise").status_code == 302  # the usual anonymisation
    assert User.objects.get(pk=patient.pk).name.startswith("Erased patient")
    assert AdverseEvent.objects.count() == 1


@pytest.mark.parametrize(
    "language, words",
    [
        ("ja", ["記録を保存している理由", "最後の治療から10年間", "2036年11月16日まで保存されます",
                "代わりにできること", "メールアドレスと電話番号を消し"]),
        ("en", ["Why your records are kept", "10 years after the last treatment",
                "Your records are kept until Nov. 16, 2036.", "What can be done instead"]),
    ],
)  # fmt: skip
def test_the_patients_request_is_answered_in_their_language(kenji, clinic_admin, language, words):
    client = signed_in(kenji, language)
    response = client.post("/diary/my-data/erasure/", {"confirm": "yes"})
    assert response.status_code == 302
    assert response["Location"] == "/diary/my-data/records-kept/"
    page = client.get(response["Location"]).content.decode()
    for text in words:
        assert text in page, text
    assert ErasureRequest.objects.get(patient=kenji).status == "requested"
    # Asking again brings the same answer.
    again = client.post("/diary/my-data/erasure/", {"confirm": "yes"})
    assert again["Location"] == "/diary/my-data/records-kept/"


def test_the_answer_page_is_only_for_a_patient_whose_records_are_kept(
    client, patient, clinician, kenji
):
    client.force_login(patient)
    assert client.get("/diary/my-data/records-kept/").status_code == 404
    response = client.post("/diary/my-data/erasure/", {"confirm": "yes"})
    assert response["Location"] == "/diary/my-data/"
    client.force_login(clinician)
    assert client.get("/diary/my-data/records-kept/").status_code == 404
