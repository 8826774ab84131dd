"""The patient opens the one-time link, chooses a password and is signed in."""

from datetime import timedelta

import pytest

from accounts.models import Invitation
from accounts.services import invitation_create, patient_register
from tests.factories import FROZEN_NOW

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Knee-Diary-2026!"


@pytest.fixture
def invited(clinic, frozen_now):
    return patient_register(clinic=clinic, email="aiko@example.jp", name="Aiko Tanaka")


@pytest.fixture
def link(invited):
    _invitation, token = invitation_create(user=invited)
    return f"/accounts/invitation/{token}/"


def choose(client, link, password=NEW_PASSWORD, confirm=None):
    return client.post(link, {"new_password1": password, "new_password2": confirm or password})


def test_the_link_asks_the_patient_to_choose_a_password(client, link):
    response = client.get(link)
    assert response.status_code == 200
    assert response.context["invited"].email == "aiko@example.jp"
    content = response.content.decode()
    assert 'name="new_password1"' in content
    assert "aiko@example.jp" in content


def test_choosing_a_password_signs_the_patient_in_and_goes_home(client, link, invited):
    response = choose(client, link)
    assert response.status_code == 302
    assert response["Location"] == "/"
    invited.refresh_from_db()
    assert invited.check_password(NEW_PASSWORD)
    assert int(client.session["_auth_user_id"]) == invited.pk
    home = client.get("/", follow=True)
    assert home.redirect_chain[-1][0] == "/diary/"
    assert home.context["user"] == invited


def test_the_link_works_only_once(client, link):
    choose(client, link)
    client.logout()
    for method in (client.get, lambda url: choose(client, url, "Other-Pass-2026!")):
        response = method(link)
        assert response.status_code == 410
        assert b'name="new_password1"' not in response.content
    assert Invitation.objects.get().used_at == FROZEN_NOW


def test_a_reused_link_does_not_change_the_password(client, link, invited):
    choose(client, link)
    choose(client, link, "Other-Pass-2026!")
    invited.refresh_from_db()
    assert invited.check_password(NEW_PASSWORD)


def test_the_link_still_works_on_the_seventh_day(client, link, time_machine):
    time_machine.move_to(FROZEN_NOW + timedelta(days=6, hours=23), tick=False)
    assert client.get(link).status_code == 200


def test_the_link_expires_after_seven_days(client, link, invited, time_machine):
    time_machine.move_to(FROZEN_NOW + timedelta(days=7, minutes=1), tick=False)
    assert client.get(link).status_code == 410
    response = choose(client, link)
    assert response.status_code == 410
    invited.refresh_from_db()
    assert not invited.has_usable_password()
    assert "_auth_user_id" not in client.session


def test_a_newer_invitation_makes_the_older_link_stop_working(client, link, invited):
    _invitation, token = invitation_create(user=invited)
    assert client.get(link).status_code == 410
    assert client.get(f"/accounts/invitation/{token}/").status_code == 200


def test_an_unknown_link_is_gone(client, invited):
    response = client.get("/accounts/invitation/made-up-token/")
    assert response.status_code == 410


def test_the_gone_page_explains_what_to_do_in_english(client, link):
    choose(client, link)
    client.logout()
    response = client.get(link, headers={"accept-language": "en"})
    content = response.content.decode()
    assert "This link no longer works" in content
    assert "ask your clinic for a new link" in content


def test_a_weak_password_is_refused_and_the_link_stays_usable(client, link, invited):
    response = choose(client, link, "12345678")
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    invited.refresh_from_db()
    assert not invited.has_usable_password()
    assert Invitation.objects.get().used_at is None
    assert client.get(link).status_code == 200


def test_two_different_passwords_are_refused(client, link):
    response = choose(client, link, NEW_PASSWORD, "Different-Pass-2026!")
    assert response.status_code == 200
    assert response.context["form"].has_error("new_password2", "password_mismatch")
    assert Invitation.objects.get().used_at is None
