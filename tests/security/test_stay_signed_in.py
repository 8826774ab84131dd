"""Stay signed in on this phone (issue 17, item 1): a patient who ticks it keeps a rolling
PATIENT_REMEMBER_DAYS session on that browser; unticked, switched off by the clinic, or for clinic
staff, the usual idle and absolute limits apply. Every kind of sign-out ends it: the patient's
own, "sign out everywhere else", one browser from the list, the clinic's "sign out everywhere",
a password change and a password reset."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client

from accounts.models import AccessLog, User, UserSession
from accounts.sessions import session_end_reason
from tests.factories import FROZEN_NOW, PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; SO-51D) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)
WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0"
)
NEW_PASSWORD = "a quiet walk by the river"


def later(**delta):
    return FROZEN_NOW + timedelta(**delta)


def sign_in(user: User, *, remember: bool = True, agent: str = IPHONE) -> Client:
    """A browser that signs in through the form, as a person does (in English, to read it)."""
    User.objects.filter(pk=user.pk).update(language="en")
    client = Client(headers={"user-agent": agent, "accept-language": "en"})
    data = {"username": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "on"
    response = client.post(LOGIN, data)
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def signed_in(client: Client, page: str = "/diary/") -> bool:
    response = client.get(page)
    if response.status_code == 200:
        return True
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    return False


# --- the sign-in form ---------------------------------------------------------------------------


def test_the_sign_in_page_offers_it_ticked(client, clinic):
    content = client.get(LOGIN).content.decode()
    box = re.search(r'<input[^>]*name="remember"[^>]*>', content)
    assert box is not None
    assert "checked" in box.group(0)
    assert (
        "Stay signed in on this phone"
        in client.get(LOGIN, headers={"accept-language": "en"}).content.decode()
    )


# --- staying signed in ----------------------------------------------------------------------------


def test_a_patient_who_stays_signed_in_is_still_in_after_two_days(patient, time_machine):
    phone = sign_in(patient)
    assert signed_in(phone)
    time_machine.move_to(later(days=2), tick=False)
    assert signed_in(phone)
    assert signed_in(phone, "/diary/history/")


def test_the_session_and_its_cookie_last_the_configured_days(patient, settings):
    settings.PATIENT_REMEMBER_DAYS = 30
    phone = Client()
    response = phone.post(
        LOGIN, {"username": patient.email, "password": PASSWORD, "remember": "on"}
    )
    assert int(response.cookies["sessionid"]["max-age"]) == 30 * 86400
    assert phone.session.get_expiry_age() == 30 * 86400


def test_each_use_moves_the_end_further_out(patient, time_machine):
    phone = sign_in(patient)
    for days in (60, 120, 180):  # 180 days in all, never 90 without use
        time_machine.move_to(later(days=days), tick=False)
        assert signed_in(phone), days


def test_ninety_one_days_without_use_sign_out(patient, time_machine):
    phone = sign_in(patient)
    assert signed_in(phone)
    time_machine.move_to(later(days=91), tick=False)
    assert not signed_in(phone)
    assert not UserSession.objects.filter(user=patient, session_key=phone.session.session_key)


def test_unticked_the_patient_is_signed_out_after_an_hour_idle(patient, time_machine):
    phone = sign_in(patient, remember=False)
    assert signed_in(phone)
    time_machine.move_to(later(minutes=61), tick=False)
    assert not signed_in(phone)


def test_unticked_two_days_later_the_patient_signs_in_again(patient, time_machine):
    phone = sign_in(patient, remember=False)
    time_machine.move_to(later(days=2), tick=False)
    assert not signed_in(phone)


def test_a_clinician_who_ticks_it_keeps_the_15_minute_limit(clinician, time_machine):
    ward = sign_in(clinician, agent=WINDOWS)
    assert signed_in(ward, "/clinic/")
    time_machine.move_to(later(minutes=16), tick=False)
    assert not signed_in(ward, "/clinic/")


def test_a_clinician_who_ticks_it_keeps_the_12_hour_limit(clinician, time_machine):
    ward = sign_in(clinician, agent=WINDOWS)
    for step in range(1, 12 * 6 + 1):
        time_machine.move_to(later(minutes=10 * step), tick=False)
        assert signed_in(ward, "/clinic/")
    time_machine.move_to(later(hours=12, minutes=10), tick=False)
    assert not signed_in(ward, "/clinic/")


def test_a_clinicians_cookie_lasts_12_hours_whatever_the_box_says(clinician):
    response = Client().post(
        LOGIN, {"username": clinician.email, "password": PASSWORD, "remember": "on"}
    )
    assert response.status_code == 302
    assert int(response.cookies["sessionid"]["max-age"]) == 12 * 3600


def test_a_clinic_that_switched_it_off_does_not_offer_it(patient, clinic, time_machine):
    clinic.patients_stay_signed_in = False
    clinic.save()
    phone = sign_in(patient)  # the box is not on the page; sent anyway, it is ignored
    page = phone.get("/diary/")
    assert page.status_code == 200
    phone.post("/accounts/logout/")
    assert 'name="remember"' not in phone.get(LOGIN).content.decode()  # the clinic is known
    phone = sign_in(patient)
    time_machine.move_to(later(minutes=61), tick=False)
    assert not signed_in(phone)


def test_switching_it_off_ends_long_sessions_at_once(patient, clinic, time_machine):
    phone = sign_in(patient)
    time_machine.move_to(later(days=2), tick=False)
    assert signed_in(phone)
    clinic.patients_stay_signed_in = False
    clinic.save()
    assert not signed_in(phone)


def test_the_clinic_can_switch_it_off_in_the_admin(client, clinic):
    superuser = User.objects.create_superuser("it@example.jp", PASSWORD, name="IT")
    client.force_login(superuser)
    page = client.get(f"/admin/accounts/clinic/{clinic.pk}/change/").content.decode()
    assert 'name="patients_stay_signed_in"' in page


# --- the list of browsers -------------------------------------------------------------------------


def test_the_patient_sees_each_browser_in_plain_words(patient, time_machine):
    sign_in(patient, agent=ANDROID)
    time_machine.move_to(later(minutes=5), tick=False)
    phone = sign_in(patient, agent=IPHONE)
    content = phone.get("/accounts/sessions/").content.decode()
    assert "iPhone · Safari" in content
    assert "Android · Chrome" in content
    assert content.count('data-session="this"') == 1
    this = content.split('data-session="this"')[1].split("</li>")[0]
    assert "iPhone · Safari" in this
    assert "This browser" in this


def test_last_used_is_written_at_most_once_a_minute(patient, time_machine):
    phone = sign_in(patient)
    phone.get("/diary/")
    row = UserSession.objects.get(user=patient)
    first = row.last_used_at
    time_machine.move_to(later(seconds=30), tick=False)
    phone.get("/diary/")
    row.refresh_from_db()
    assert row.last_used_at == first
    time_machine.move_to(later(minutes=2), tick=False)
    phone.get("/diary/")
    row.refresh_from_db()
    assert row.last_used_at == later(minutes=2)


def test_a_session_from_before_the_list_gets_a_row(patient):
    phone = Client()
    phone.force_login(patient)
    UserSession.objects.all().delete()
    session = phone.session
    session.pop("user_session", None)
    session.save()
    assert signed_in(phone)
    assert UserSession.objects.filter(user=patient, session_key=phone.session.session_key)


def test_a_session_that_timed_out_is_not_listed(patient, time_machine):
    short = sign_in(patient, remember=False, agent=WINDOWS)
    assert signed_in(short)
    time_machine.move_to(later(hours=2), tick=False)
    phone = sign_in(patient, agent=IPHONE)
    content = phone.get("/accounts/sessions/").content.decode()
    assert "Windows" not in content
    assert UserSession.objects.filter(user=patient).count() == 1


# --- each kind of sign-out ends it ----------------------------------------------------------------


def test_signing_out_on_the_phone_ends_its_session(patient):
    phone = sign_in(patient)
    key = phone.session.session_key
    phone.post("/accounts/logout/")
    assert not signed_in(phone)
    assert not UserSession.objects.filter(session_key=key).exists()


def test_sign_out_everywhere_else_ends_the_phone(patient):
    phone = sign_in(patient)
    computer = sign_in(patient, agent=WINDOWS)
    response = computer.post("/accounts/sessions/end-others/", follow=True)
    assert "1 other browser was signed out." in response.content.decode()
    assert not signed_in(phone)
    assert signed_in(computer)
    assert list(UserSession.objects.filter(user=patient).values_list("device", flat=True)) == [
        "Windows"
    ]


def test_one_browser_can_be_signed_out_from_the_list(patient, other_patient):
    phone = sign_in(patient)
    tablet = sign_in(patient, agent=ANDROID)
    computer = sign_in(patient, agent=WINDOWS)
    row = UserSession.objects.get(user=patient, device="Android")
    response = computer.post("/accounts/sessions/end/", {"session": row.pk})
    assert response["Location"] == "/accounts/sessions/"
    assert not signed_in(tablet)
    assert signed_in(phone)
    assert signed_in(computer)


def test_a_browser_of_someone_else_cannot_be_signed_out(patient, other_patient):
    hanako = sign_in(patient)
    ichiro = sign_in(other_patient)
    hanakos_row = UserSession.objects.get(user=patient)
    assert ichiro.post("/accounts/sessions/end/", {"session": hanakos_row.pk}).status_code == 404
    assert ichiro.post("/accounts/sessions/end/", {"session": "x"}).status_code == 404
    assert signed_in(hanako)


def test_signing_out_this_browser_from_the_list_signs_out(patient):
    phone = sign_in(patient)
    row = UserSession.objects.get(user=patient)
    assert phone.post("/accounts/sessions/end/", {"session": row.pk})["Location"] == LOGIN
    assert not signed_in(phone)


def test_the_clinics_sign_out_everywhere_ends_the_phone(patient, clinician, time_machine):
    phone = sign_in(patient)
    time_machine.move_to(later(days=2), tick=False)
    desk = Client()
    User.objects.filter(pk=clinician.pk).update(language="en")
    desk.force_login(clinician)
    response = desk.post(f"/clinic/patients/{patient.public_id}/sign-out/", follow=True)
    assert "was signed out on 1 browser" in response.content.decode()
    assert not signed_in(phone)
    assert not UserSession.objects.filter(user=patient).exists()
    row = AccessLog.objects.get(action=AccessLog.Action.SIGN_OUT)
    assert (row.user, row.patient) == (clinician, patient)


def test_a_password_change_on_another_browser_ends_the_phone(patient, time_machine):
    phone = sign_in(patient)
    computer = sign_in(patient, agent=WINDOWS)
    response = computer.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == "/accounts/password/done/"
    assert not signed_in(phone)
    assert signed_in(computer)
    assert UserSession.objects.filter(user=patient).count() == 1


def test_a_password_reset_ends_the_phone(patient, client):
    phone = sign_in(patient)
    client.post("/accounts/password/reset/", {"email": patient.email})
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    form = client.get(link.group(1))["Location"]
    response = client.post(form, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == "/accounts/password/reset/done/"
    assert not signed_in(phone)
    assert not UserSession.objects.filter(user=patient).exists()


# --- the rule itself, without a request -----------------------------------------------------------


def test_the_rule_for_a_patient_who_stays(patient):
    now = 1_000_000_000.0
    data = {"stay_signed_in": True, "session_started_at": now - 200 * 86400}
    assert (
        session_end_reason({**data, "session_seen_at": now - 89 * 86400}, user=patient, now=now)
        is None
    )
    ended = session_end_reason({**data, "session_seen_at": now - 91 * 86400}, user=patient, now=now)
    assert (ended.reason, ended.limit) == ("unused", 90)


def test_the_rule_ignores_the_flag_for_staff(clinician):
    now = 1_000_000_000.0
    data = {"stay_signed_in": True, "session_started_at": now, "session_seen_at": now - 16 * 60}
    assert session_end_reason(data, user=clinician, now=now).reason == "idle"


def test_a_link_from_the_clinic_once_used_ends_the_phone(patient, clinician):
    from accounts.services import new_link_create

    phone = sign_in(patient)
    link = new_link_create(patient=patient, created_by=clinician)
    desk = Client()
    response = desk.post(
        f"/accounts/invitation/{link.token}/",
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert not signed_in(phone)
    assert list(UserSession.objects.filter(user=patient).values_list("session_key", flat=True)) == [
        desk.session.session_key
    ]
