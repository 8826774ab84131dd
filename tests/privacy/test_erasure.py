"""A patient asks for their data to be erased; the clinic's administrator anonymises or deletes
it with a recorded reason. The identity goes either way; the access log always stays."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import AccessLog, User
from diary.models import (
    DiaryEntry,
    DiaryEntryVersion,
    ErasureRequest,
    Flag,
    FlagOccurrence,
    GlobalRating,
    Goal,
    GoalRating,
    Injection,
)
from tests.factories import FROZEN_NOW, PASSWORD, make_health_record, make_user

pytestmark = pytest.mark.django_db

MY_DATA = "/diary/my-data/"
ASK = "/diary/my-data/erasure/"
REQUESTS = "/clinic/erasure-requests/"
NOTE = "夫の太郎が注射の後に迎えに来ました"
OTHER_NOTE = "Ichiro's private note"
REASON = "Patient's written request of 2026-11-20, identity checked at the desk."


def erase_url(patient) -> str:
    return f"/clinic/patients/{patient.public_id}/erase/"


def in_english(*users: User) -> None:
    """Signed-in pages follow the user's saved language; English keeps the asserts readable."""
    User.objects.filter(pk__in=[u.pk for u in users]).update(language="en")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def erase(client, patient, *, mode="anonymise", reason=REASON, number="P-1"):
    return client.post(
        erase_url(patient), {"mode": mode, "reason": reason, "confirm_number": number}
    )


def health_rows(patient) -> dict[str, int]:
    return {
        "entries": DiaryEntry.objects.filter(patient=patient).count(),
        "versions": DiaryEntryVersion.objects.filter(entry__patient=patient).count(),
        "flags": Flag.objects.filter(patient=patient).count(),
        "occurrences": FlagOccurrence.objects.filter(flag__patient=patient).count(),
        "goals": Goal.objects.filter(patient=patient).count(),
        "goal_ratings": GoalRating.objects.filter(goal__patient=patient).count(),
        "overall_ratings": GlobalRating.objects.filter(patient=patient).count(),
        "injections": Injection.objects.filter(patient=patient).count(),
    }


@pytest.fixture
def record(patient, clinician):
    User.objects.filter(pk=patient.pk).update(birth_date=date(1950, 4, 1))
    return make_health_record(patient, note=NOTE, clinician=clinician)


@pytest.fixture
def other_record(other_patient, clinician):
    return make_health_record(other_patient, note=OTHER_NOTE, clinician=clinician)


@pytest.fixture
def other_clinic_admin(other_clinic, frozen_now):
    return make_user(
        "admin@momiji.example.jp",
        clinic=other_clinic,
        role=User.Role.CLINIC_ADMIN,
        name="Momiji Office",
        is_staff=True,
    )


@pytest.fixture
def patient_browser(patient):
    in_english(patient)
    return signed_in(patient)


@pytest.fixture
def admin_browser(clinic_admin):
    in_english(clinic_admin)
    return signed_in(clinic_admin)


@pytest.fixture
def looked_at(clinician, patient, record):
    """A clinician opened the patient's page, so the access log has a row about them."""
    assert signed_in(clinician).get(f"/clinic/patients/{patient.public_id}/").status_code == 200
    rows = list(AccessLog.objects.filter(patient=patient).values_list("pk", flat=True))
    assert rows
    return rows


@pytest.fixture
def requested(patient_browser, patient, record):
    patient_browser.post(ASK, {"confirm": "yes"})
    mail.outbox.clear()
    return ErasureRequest.objects.get(patient=patient)


# --- the patient asks -----------------------------------------------------------------------------


def test_the_request_needs_the_box_ticked(patient_browser, patient, clinic_admin):
    response = patient_browser.post(ASK, {}, follow=True)
    assert response.redirect_chain == [(MY_DATA, 302)]
    assert "Please tick the box to confirm the request." in response.content.decode()
    assert not ErasureRequest.objects.exists()
    assert mail.outbox == []


def test_asking_records_the_request_and_says_so(patient_browser, patient, clinic_admin, record):
    response = patient_browser.post(ASK, {"confirm": "yes"}, follow=True)
    assert response.redirect_chain == [(MY_DATA, 302)]
    content = response.content.decode()
    assert "Your request was sent to your clinic" in content
    assert 'data-erasure="pending"' in content
    assert 'action="/diary/my-data/erasure/"' not in content
    request = ErasureRequest.objects.get()
    assert (request.patient, request.requested_by) == (patient, patient)
    assert request.status == ErasureRequest.Status.REQUESTED
    assert request.requested_at == FROZEN_NOW
    assert health_rows(patient)["entries"] == 1  # nothing is erased yet


def test_asking_needs_a_post(patient_browser):
    assert patient_browser.get(ASK).status_code == 405
    assert not ErasureRequest.objects.exists()


def test_a_second_request_is_already_with_the_clinic(patient_browser, clinic_admin, requested):
    response = patient_browser.post(ASK, {"confirm": "yes"}, follow=True)
    assert "Your request is already with your clinic." in response.content.decode()
    assert ErasureRequest.objects.count() == 1
    assert mail.outbox == []


def test_only_the_clinics_administrators_are_emailed(
    patient_browser, clinic_admin, clinician, other_clinic_admin, record
):
    patient_browser.post(ASK, {"confirm": "yes"})
    assert [message.to for message in mail.outbox] == [["admin@example.jp"]]


def test_the_email_has_a_link_and_no_health_data(patient_browser, clinic_admin, record):
    in_english(clinic_admin)
    patient_browser.post(ASK, {"confirm": "yes"})
    [message] = mail.outbox
    assert message.subject == "Injection diary: a patient asked for their data to be erased"
    assert "http://testserver/clinic/erasure-requests/" in message.body
    assert "P-1" in message.body
    text = message.subject + message.body
    for private in (NOTE, "Hanako", "hanako@example.jp", "1950", "knee", "fever"):
        assert private not in text


def test_the_email_is_in_the_administrators_language(patient_browser, clinic_admin, record):
    patient_browser.post(ASK, {"confirm": "yes"})
    [message] = mail.outbox
    with translation.override("ja"):
        subject = gettext("Injection diary: a patient asked for their data to be erased")
    assert subject.startswith("注射後の症状日記")
    assert message.subject == subject
    assert "http://testserver/clinic/erasure-requests/" in message.body


# --- who sees the requests ------------------------------------------------------------------------


def test_the_clinic_admin_sees_the_request_with_a_review_link(admin_browser, patient, requested):
    response = admin_browser.get(REQUESTS)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Hanako Sato" in content
    assert 'data-status="requested"' in content
    assert f'href="{erase_url(patient)}"' in content


def test_the_erase_page_names_the_patient(admin_browser, patient, requested):
    response = admin_browser.get(erase_url(patient))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Hanako Sato" in content
    assert 'name="confirm_number"' in content


@pytest.mark.parametrize("who", ["clinician", "patient", "other_clinician"])
def test_others_get_404_for_the_requests_and_the_erase_page(request, patient, requested, who):
    client = signed_in(request.getfixturevalue(who))
    assert client.get(REQUESTS).status_code == 404
    response = client.get(erase_url(patient))
    assert response.status_code == 404
    assert erase(client, patient).status_code == 404
    assert User.objects.get(pk=patient.pk).name == "Hanako Sato"


def test_an_admin_of_another_clinic_cannot_see_or_erase_the_patient(
    other_clinic_admin, patient, requested
):
    client = signed_in(other_clinic_admin)
    listing = client.get(REQUESTS)
    assert listing.status_code == 200
    assert "Hanako" not in listing.content.decode()
    assert client.get(erase_url(patient)).status_code == 404
    assert erase(client, patient).status_code == 404
    assert User.objects.get(pk=patient.pk).is_active
    assert ErasureRequest.objects.get().status == ErasureRequest.Status.REQUESTED


def test_anonymous_visitors_are_sent_to_sign_in(client, patient):
    for url in (REQUESTS, erase_url(patient)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


# --- the erase form -------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["P-2", "p-1", "P1", ""])
def test_the_patient_number_must_be_typed_exactly(admin_browser, patient, requested, typed):
    response = erase(admin_browser, patient, number=typed)
    assert response.status_code == 200
    assert response.context["form"].errors["confirm_number"]
    if typed:
        assert "The patient number does not match." in response.content.decode()
    assert User.objects.get(pk=patient.pk).name == "Hanako Sato"
    assert health_rows(patient)["entries"] == 1
    assert ErasureRequest.objects.get().status == ErasureRequest.Status.REQUESTED


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_reason_is_required(admin_browser, patient, requested, reason):
    response = erase(admin_browser, patient, reason=reason)
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert User.objects.get(pk=patient.pk).is_active
    assert ErasureRequest.objects.get().status == ErasureRequest.Status.REQUESTED


def test_a_mode_is_required(admin_browser, patient, requested):
    response = erase(admin_browser, patient, mode="shred")
    assert response.status_code == 200
    assert response.context["form"].errors["mode"]
    assert User.objects.get(pk=patient.pk).is_active


# --- anonymise ------------------------------------------------------------------------------------


def test_anonymise_keeps_the_numbers_and_blanks_the_free_text(
    admin_browser, patient, record, requested
):
    before = health_rows(patient)
    response = erase(admin_browser, patient, mode="anonymise")
    assert response.status_code == 302
    assert response["Location"] == REQUESTS
    assert health_rows(patient) == before
    entry = DiaryEntry.objects.get(patient=patient)
    assert (entry.pain, entry.swelling, entry.notes) == (7, 1, "")
    version = DiaryEntryVersion.objects.get(entry=entry)
    assert version.data["notes"] == ""
    assert version.data["pain"] == 5
    for injection in Injection.objects.filter(patient=patient):
        assert (injection.notes, injection.given_by) == ("", "")
    goal = Goal.objects.get(patient=patient)
    assert NOTE not in goal.title
    assert GoalRating.objects.get(goal=goal).value == 5
    flag = Flag.objects.get(patient=patient)
    assert flag.note == ""
    assert flag.code == "fever"


def test_no_free_text_of_the_patient_is_left_anywhere(admin_browser, patient, record, requested):
    erase(admin_browser, patient, mode="anonymise")
    texts = [
        *DiaryEntry.objects.filter(patient=patient).values_list("notes", flat=True),
        *(str(v.data) for v in DiaryEntryVersion.objects.filter(entry__patient=patient)),
        *Injection.objects.filter(patient=patient).values_list("notes", flat=True),
        *Goal.objects.filter(patient=patient).values_list("title", flat=True),
        *Flag.objects.filter(patient=patient).values_list("note", flat=True),
    ]
    assert not [text for text in texts if NOTE in text]


def test_anonymise_removes_the_identity(admin_browser, patient, record, requested):
    erase(admin_browser, patient, mode="anonymise")
    erased = User.objects.get(pk=patient.pk)
    assert "Hanako" not in erased.name
    assert "hanako" not in erased.email
    assert erased.patient_number == ""
    assert erased.birth_date is None
    assert not erased.is_active
    assert not erased.has_usable_password()
    assert not erased.invitations.exists()


def test_the_request_is_marked_done_with_who_when_how_and_why(
    admin_browser, clinic_admin, patient, requested
):
    erase(admin_browser, patient, mode="anonymise")
    done = ErasureRequest.objects.get()
    assert done.pk == requested.pk
    assert done.status == ErasureRequest.Status.DONE
    assert done.mode == ErasureRequest.Mode.ANONYMISE
    assert done.reason == REASON
    assert done.handled_by == clinic_admin
    assert done.handled_at == FROZEN_NOW


def test_the_list_shows_what_was_done(admin_browser, patient, requested):
    response = erase(admin_browser, patient, mode="anonymise")
    page = admin_browser.get(response["Location"]).content.decode()
    assert 'data-status="done"' in page
    assert REASON.replace("'", "&#x27;") in page
    assert "Kimura Office" in page
    assert "Hanako" not in page
    assert f'href="{erase_url(patient)}"' not in page


def test_the_patients_session_ends_and_the_password_no_longer_works(
    admin_browser, patient_browser, patient, requested
):
    assert patient_browser.get("/diary/").status_code == 200
    erase(admin_browser, patient, mode="anonymise")
    response = patient_browser.get("/diary/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    fresh = Client()
    sign_in = fresh.post(
        "/accounts/login/", {"username": "hanako@example.jp", "password": PASSWORD}
    )
    assert sign_in.status_code == 200
    assert "_auth_user_id" not in fresh.session


# --- delete ---------------------------------------------------------------------------------------


def test_delete_removes_every_health_record(admin_browser, patient, record, requested):
    assert all(health_rows(patient).values())
    response = erase(admin_browser, patient, mode="delete")
    assert response.status_code == 302
    assert health_rows(patient) == dict.fromkeys(health_rows(patient), 0)
    erased = User.objects.get(pk=patient.pk)
    assert (erased.patient_number, erased.is_active) == ("", False)
    done = ErasureRequest.objects.get()
    assert (done.status, done.mode) == (ErasureRequest.Status.DONE, ErasureRequest.Mode.DELETE)


def test_delete_leaves_other_patients_alone(admin_browser, patient, other_patient, other_record):
    before = health_rows(other_patient)
    erase(admin_browser, patient, mode="delete")
    assert health_rows(other_patient) == before
    assert DiaryEntry.objects.get(patient=other_patient).notes == f"{OTHER_NOTE} (entry)"
    assert User.objects.get(pk=other_patient.pk).is_active


def test_an_admin_may_erase_without_a_request_from_the_patient(
    admin_browser, clinic_admin, patient, record
):
    erase(admin_browser, patient, mode="delete")
    done = ErasureRequest.objects.get()
    assert done.requested_by == clinic_admin
    assert done.status == ErasureRequest.Status.DONE


# --- the access log stays -------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["anonymise", "delete"])
def test_the_access_log_is_kept(admin_browser, patient, looked_at, mode):
    erase(admin_browser, patient, mode=mode)
    kept = AccessLog.objects.filter(patient=patient)
    # Opening and sending the erasure page is itself logged (issue 16).
    assert sorted(
        kept.exclude(action=AccessLog.Action.ERASURE_PAGE).values_list("pk", flat=True)
    ) == sorted(looked_at)
    assert kept.filter(action=AccessLog.Action.ERASURE_PAGE).exists()
    assert AccessLog.objects.get(pk=looked_at[0]).action == AccessLog.Action.VIEW_PATIENT
