"""In a long-lived session, the password is asked for again (REAUTH_MAX_AGE_HOURS, 24) before
downloading one's data, asking for erasure, changing the password or managing passkeys —
not before 24 hours, and never for a stranger, who still gets the sign-in page or 404."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import NoReverseMatch, reverse

from accounts.models import User
from accounts.reauth import RECENT_AUTH_AT
from diary.models import ErasureRequest
from tests.factories import FROZEN_NOW, PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
REAUTH = "/accounts/reauth/"


def _passkey_pages() -> list[str]:
    """The passkeys page (issue 17, item 2) uses the same decorator, once it exists."""
    try:
        return [reverse("accounts:passkeys")]
    except NoReverseMatch:
        return []


SENSITIVE_PAGES = [
    "/diary/my-data/export.json",
    "/diary/my-data/export.csv",
    "/diary/my-data/export.fhir.json",
    "/accounts/password/",
    *_passkey_pages(),
]


def later(**delta):
    return FROZEN_NOW + timedelta(**delta)


@pytest.fixture
def phone(patient) -> Client:
    """Hanako's phone, signed in through the form with "stay signed in" ticked."""
    User.objects.filter(pk=patient.pk).update(language="en")
    client = Client()
    response = client.post(
        LOGIN, {"username": patient.email, "password": PASSWORD, "remember": "on"}
    )
    assert response.status_code == 302
    return client


def asks_again(response, next_url: str) -> bool:
    if response.status_code != 302 or not response["Location"].startswith(REAUTH):
        return False
    assert response["Location"] == f"{REAUTH}?next={quote(next_url, safe='')}"
    return True


@pytest.mark.parametrize("page", SENSITIVE_PAGES)
def test_not_asked_within_24_hours(phone, time_machine, page):
    time_machine.move_to(later(hours=23, minutes=59), tick=False)
    response = phone.get(page)
    assert response.status_code == 200, response.get("Location")


@pytest.mark.parametrize("page", SENSITIVE_PAGES)
def test_asked_after_24_hours(phone, time_machine, page):
    time_machine.move_to(later(hours=24, minutes=1), tick=False)
    assert asks_again(phone.get(page), page)


@pytest.mark.parametrize("page", SENSITIVE_PAGES)
def test_the_password_given_again_opens_the_page(phone, time_machine, page):
    time_machine.move_to(later(days=3), tick=False)
    form = phone.get(f"{REAUTH}?next={quote(page)}")
    assert form.status_code == 200
    response = phone.post(REAUTH, {"password": PASSWORD, "next": page})
    assert response["Location"] == page
    assert phone.get(page).status_code == 200


def test_the_diary_itself_is_not_asked_again(phone, time_machine):
    time_machine.move_to(later(days=3), tick=False)
    for page in ("/diary/", "/diary/history/", "/diary/my-data/"):
        assert phone.get(page).status_code == 200, page


def test_asking_for_erasure_after_24_hours_sends_nothing_until_the_password(
    phone, patient, time_machine
):
    time_machine.move_to(later(hours=25), tick=False)
    response = phone.post("/diary/my-data/erasure/", {"confirm": "yes"}, follow=True)
    assert response.redirect_chain[0] == (f"{REAUTH}?next=%2Fdiary%2Fmy-data%2F", 302)
    assert "Nothing was sent yet" in response.content.decode()
    assert not ErasureRequest.objects.filter(patient=patient).exists()
    phone.post(REAUTH, {"password": PASSWORD, "next": "/diary/my-data/"})
    assert phone.post("/diary/my-data/erasure/", {"confirm": "yes"}).status_code == 302
    assert ErasureRequest.objects.filter(patient=patient).count() == 1


def test_asking_for_erasure_within_24_hours_needs_no_password(phone, patient, time_machine):
    time_machine.move_to(later(hours=23), tick=False)
    response = phone.post("/diary/my-data/erasure/", {"confirm": "yes"})
    assert response["Location"] == "/diary/my-data/"
    assert ErasureRequest.objects.filter(patient=patient).count() == 1


def test_a_password_change_after_24_hours_is_not_saved_without_it(phone, patient, time_machine):
    time_machine.move_to(later(hours=25), tick=False)
    new = "a quiet walk by the river"
    response = phone.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response["Location"].startswith(REAUTH)
    patient.refresh_from_db()
    assert patient.check_password(PASSWORD)


def test_a_wrong_password_is_refused_and_counted(phone, patient, time_machine):
    time_machine.move_to(later(days=2), tick=False)
    response = phone.post(REAUTH, {"password": "not-it", "next": "/diary/my-data/export.csv"})
    assert response.status_code == 200
    assert "That password is not right" in response.content.decode()
    assert phone.session[RECENT_AUTH_AT] == FROZEN_NOW.timestamp()  # from the sign-in
    assert AccessAttempt.objects.filter(username=patient.email).exists()


def test_five_wrong_passwords_lock_it_like_the_sign_in_page(phone, patient, time_machine):
    time_machine.move_to(later(days=2), tick=False)
    for _ in range(5):
        phone.post(REAUTH, {"password": "not-it"})
    response = phone.post(REAUTH, {"password": PASSWORD})
    assert response.status_code == 429
    assert asks_again(phone.get("/diary/my-data/export.csv"), "/diary/my-data/export.csv")


def test_next_must_stay_on_the_site(phone, time_machine):
    time_machine.move_to(later(days=2), tick=False)
    response = phone.post(REAUTH, {"password": PASSWORD, "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_the_page_says_why_in_japanese(patient, time_machine):
    client = Client()
    client.post(LOGIN, {"username": patient.email, "password": PASSWORD, "remember": "on"})
    time_machine.move_to(later(days=2), tick=False)
    page = client.get(f"{REAUTH}?next=/diary/my-data/export.csv").content.decode()
    assert "パスワード" in page
    assert 'autocomplete="current-password"' in page


def test_a_stranger_still_gets_the_sign_in_page(client):
    response = client.get("/diary/my-data/export.csv")
    assert response["Location"] == f"{LOGIN}?next=/diary/my-data/export.csv"
    assert client.get(REAUTH)["Location"].startswith(LOGIN)


def test_a_clinician_still_gets_404_for_a_patients_download(clinician_client):
    assert clinician_client.get("/diary/my-data/export.csv").status_code == 404
    assert clinician_client.post("/diary/my-data/erasure/", {"confirm": "yes"}).status_code == 404
