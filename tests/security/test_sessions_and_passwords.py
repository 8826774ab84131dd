"""Sessions end after idle time (clinic staff 15 minutes, patients 60) and after 12 hours
whatever the activity, with a notice on the sign-in page. Passwords: patients at least 13
characters, clinic staff 8 (plus a one-time code), never a common one; changing it signs out
every other session."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext, ngettext

from accounts.models import User
from accounts.services import invitation_create, patient_register
from diary.models import DiaryEntry
from tests.factories import FROZEN_NOW, PASSWORD, entry_form_data

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PASSWORD_CHANGE = "/accounts/password/"
IDLE_NOTICE_EN = "You were signed out after {minutes} minutes without activity"
LIFETIME_NOTICE_EN = "You were signed out because your session reached 12 hours"

PATIENT_12 = "Kx7-Ql2-Wm9z"
PATIENT_13 = PATIENT_12 + "p"
STAFF_7 = "Kx7-Ql2"
STAFF_8 = STAFF_7 + "W"
COMMON_LONG = "password123456"  # 14 characters, on Django's list of common passwords
COMMON_STAFF = "passw0rd"


def at(minutes: float):
    return FROZEN_NOW + timedelta(minutes=minutes)


def browser(user, *, language: str | None = None) -> Client:
    """A signed-in browser; `language` is what it asks for (Accept-Language)."""
    client = Client(headers={"accept-language": language} if language else {})
    client.force_login(user)
    return client


def in_english(*users: User) -> None:
    """Signed-in pages follow the user's saved language; English keeps the asserts readable."""
    User.objects.filter(pk__in=[u.pk for u in users]).update(language="en")


def japanese(message: str, **params) -> str:
    with translation.override("ja"):
        text = gettext(message)
    assert text != message, f"no Japanese translation for {message!r}"
    return text % params if params else text


# --- idle timeout ---------------------------------------------------------------------------------


def test_a_patient_idle_for_61_minutes_is_signed_out_with_a_notice(patient, time_machine):
    client = browser(patient, language="en")
    assert client.get("/diary/").status_code == 200
    time_machine.move_to(at(61), tick=False)
    response = client.get("/diary/history/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/diary/history/"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert IDLE_NOTICE_EN.format(minutes=60) in page.content.decode()
    assert client.get("/diary/").status_code == 302


def test_the_idle_notice_is_in_japanese_by_default(patient, time_machine):
    client = browser(patient)
    client.get("/diary/")
    time_machine.move_to(at(61), tick=False)
    page = client.get("/diary/", follow=True)
    assert page.redirect_chain[-1][0] == f"{LOGIN}?next=/diary/"
    message = (
        "You were signed out after %(minutes)d minutes without activity, to protect your "
        "health data. Please sign in again."
    )
    assert japanese(message, minutes=60) in page.content.decode()


def test_a_patient_active_within_the_hour_stays_signed_in(patient, time_machine):
    client = browser(patient)
    for minutes in (0, 59, 118, 177, 236):
        time_machine.move_to(at(minutes), tick=False)
        assert client.get("/diary/").status_code == 200, minutes


def test_a_clinician_idle_for_16_minutes_is_signed_out(clinician, time_machine):
    client = browser(clinician, language="en")
    assert client.get("/clinic/").status_code == 200
    time_machine.move_to(at(16), tick=False)
    response = client.get("/clinic/", follow=True)
    assert response.redirect_chain[0] == (f"{LOGIN}?next=/clinic/", 302)
    assert IDLE_NOTICE_EN.format(minutes=15) in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_clinician_active_within_15_minutes_stays_signed_in(clinician, time_machine):
    client = browser(clinician)
    for minutes in (0, 14, 28, 42):
        time_machine.move_to(at(minutes), tick=False)
        assert client.get("/clinic/").status_code == 200, minutes


def test_a_clinic_admin_has_the_staff_limit(clinic_admin, time_machine):
    client = browser(clinic_admin)
    client.get("/clinic/")
    time_machine.move_to(at(16), tick=False)
    assert client.get("/clinic/")["Location"] == f"{LOGIN}?next=/clinic/"


def test_an_idle_post_is_not_saved_and_not_kept_as_the_next_address(patient, time_machine):
    client = browser(patient)
    client.get("/diary/")
    time_machine.move_to(at(61), tick=False)
    response = client.post("/diary/entry/", entry_form_data(pain="9"))
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert not DiaryEntry.objects.filter(patient=patient).exists()


def test_the_next_address_keeps_its_query_string(patient, time_machine):
    client = browser(patient)
    client.get("/diary/")
    time_machine.move_to(at(61), tick=False)
    response = client.get("/diary/history/?page=2")
    assert response["Location"] == f"{LOGIN}?next=/diary/history/%3Fpage%3D2"


# --- absolute lifetime ----------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "page"), [("patient", "/diary/"), ("clinician", "/clinic/")])
def test_twelve_hours_sign_out_even_with_activity_every_ten_minutes(
    request, time_machine, who, page
):
    client = browser(request.getfixturevalue(who), language="en")
    for step in range(12 * 6 + 1):  # 0:00, 0:10, … 12:00
        time_machine.move_to(at(10 * step), tick=False)
        assert client.get(page).status_code == 200, f"signed out early, at {10 * step} min"
    time_machine.move_to(at(12 * 60 + 10), tick=False)
    response = client.get(page, follow=True)
    assert response.redirect_chain[0] == (f"{LOGIN}?next={page}", 302)
    assert LIFETIME_NOTICE_EN in response.content.decode()
    assert "_auth_user_id" not in client.session


# --- password length and common passwords ---------------------------------------------------------


@pytest.fixture
def invitation_link(clinic, frozen_now):
    invited = patient_register(clinic=clinic, email="aiko@example.jp", name="Aiko Tanaka")
    _invitation, token = invitation_create(user=invited)
    return f"/accounts/invitation/{token}/"


def choose_password(link, password):
    client = Client(headers={"accept-language": "en"})
    return client.post(link, {"new_password1": password, "new_password2": password})


def change_password(client, old, new):
    return client.post(
        PASSWORD_CHANGE, {"old_password": old, "new_password1": new, "new_password2": new}
    )


def assert_password_refused(response, text):
    assert response.status_code == 200
    assert text in response.content.decode()


def test_the_lengths_used_below_are_what_they_say():
    assert (len(PATIENT_12), len(PATIENT_13), len(STAFF_7), len(STAFF_8)) == (12, 13, 7, 8)


def test_an_invited_patient_cannot_choose_12_characters(invitation_link):
    response = choose_password(invitation_link, PATIENT_12)
    assert_password_refused(response, "It must contain at least 13 characters")
    assert not User.objects.get(email="aiko@example.jp").has_usable_password()


def test_an_invited_patient_may_choose_13_characters(invitation_link):
    response = choose_password(invitation_link, PATIENT_13)
    assert response.status_code == 302
    assert User.objects.get(email="aiko@example.jp").check_password(PATIENT_13)


def test_an_invited_patient_cannot_choose_a_common_password(invitation_link):
    response = choose_password(invitation_link, COMMON_LONG)
    assert_password_refused(response, "This password is too common")
    assert not User.objects.get(email="aiko@example.jp").has_usable_password()


def test_a_patient_cannot_change_to_12_characters(patient):
    in_english(patient)
    response = change_password(browser(patient), PASSWORD, PATIENT_12)
    assert_password_refused(response, "It must contain at least 13 characters")
    patient.refresh_from_db()
    assert patient.check_password(PASSWORD)


def test_a_patient_may_change_to_13_characters(patient):
    response = change_password(browser(patient), PASSWORD, PATIENT_13)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/done/"
    patient.refresh_from_db()
    assert patient.check_password(PATIENT_13)


def test_a_patient_cannot_change_to_a_common_password(patient):
    in_english(patient)
    response = change_password(browser(patient), PASSWORD, COMMON_LONG.upper())
    assert_password_refused(response, "This password is too common")
    patient.refresh_from_db()
    assert patient.check_password(PASSWORD)


def test_a_clinician_cannot_change_to_7_characters(clinician):
    in_english(clinician)
    response = change_password(browser(clinician), PASSWORD, STAFF_7)
    assert_password_refused(response, "It must contain at least 8 characters")
    clinician.refresh_from_db()
    assert clinician.check_password(PASSWORD)


def test_a_clinician_may_change_to_8_characters(clinician):
    response = change_password(browser(clinician), PASSWORD, STAFF_8)
    assert response.status_code == 302
    clinician.refresh_from_db()
    assert clinician.check_password(STAFF_8)


def test_a_clinician_cannot_change_to_a_common_password(clinician):
    in_english(clinician)
    response = change_password(browser(clinician), PASSWORD, COMMON_STAFF)
    assert_password_refused(response, "This password is too common")


def test_the_length_rule_is_explained_in_japanese(patient):
    response = change_password(browser(patient), PASSWORD, PATIENT_12)
    with translation.override("ja"):
        too_short = ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            13,
        ) % {"min_length": 13}
    assert too_short.startswith("このパスワードは短すぎます")
    assert too_short in response.content.decode()


# --- other sessions after a password change -------------------------------------------------------


def test_changing_the_password_signs_out_every_other_session(patient):
    phone, computer = browser(patient), browser(patient)
    assert computer.get("/diary/").status_code == 200
    assert change_password(phone, PASSWORD, PATIENT_13).status_code == 302
    assert phone.get("/diary/").status_code == 200
    response = computer.get("/diary/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/diary/"
    assert "_auth_user_id" not in computer.session


def test_a_clinicians_other_sessions_end_too(clinician):
    ward, office = browser(clinician), browser(clinician)
    change_password(ward, PASSWORD, STAFF_8)
    assert ward.get("/clinic/").status_code == 200
    assert office.get("/clinic/")["Location"] == f"{LOGIN}?next=/clinic/"


def test_a_refused_change_signs_nobody_out(patient):
    phone, computer = browser(patient), browser(patient)
    change_password(phone, PASSWORD, PATIENT_12)
    assert computer.get("/diary/").status_code == 200
    assert phone.get("/diary/").status_code == 200
