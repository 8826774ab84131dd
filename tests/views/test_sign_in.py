"""Signing in with an e-mail address, and the start page of each role."""

import pytest

from accounts.models import User
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


@pytest.mark.parametrize(
    ("who", "start"),
    [("patient", "/diary/"), ("clinician", "/clinic/"), ("clinic_admin", "/clinic/")],
)
def test_each_role_starts_on_its_own_page(client, request, who, start):
    client.force_login(request.getfixturevalue(who))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == start


def test_a_superuser_without_a_clinic_starts_in_the_admin(client, db):
    root = User.objects.create_superuser("root@example.jp", "Root-Pass-2026!", name="Root")
    client.force_login(root)
    assert client.get("/")["Location"] == "/admin/"


def test_an_account_without_a_role_to_play_is_told_so(client, db):
    lost = make_user("lost@example.jp", clinic=None, role=User.Role.CLINIC_ADMIN, language="en")
    client.force_login(lost)
    response = client.get("/")
    assert response.status_code == 403
    assert b"Your account is not set up yet" in response.content


def test_a_patient_signs_in_with_their_email_in_any_case(client, patient):
    response = client.post(
        "/accounts/login/", {"username": "Hanako@Example.JP", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == patient.pk
    assert client.get(response["Location"])["Location"] == "/diary/"


def test_sign_in_returns_to_the_page_asked_for(client, patient):
    response = client.post(
        "/accounts/login/?next=/diary/history/",
        {"username": "hanako@example.jp", "password": PASSWORD, "next": "/diary/history/"},
    )
    assert response["Location"] == "/diary/history/"


def test_sign_in_does_not_follow_an_unsafe_next_address(client, patient):
    response = client.post(
        "/accounts/login/",
        {"username": "hanako@example.jp", "password": PASSWORD, "next": "http://evil.example/"},
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_a_wrong_password_is_refused(client, patient):
    response = client.post(
        "/accounts/login/",
        {"username": "hanako@example.jp", "password": "wrong"},
        headers={"accept-language": "en"},
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert b"The e-mail address or the password is not right." in response.content


def test_signing_out_needs_a_post_and_ends_the_session(patient_client):
    response = patient_client.post("/accounts/logout/")
    assert response["Location"] == "/accounts/login/"
    assert patient_client.get("/diary/").status_code == 302


def test_a_wrong_password_in_japanese_does_not_claim_the_e_mail_is_case_sensitive(client, patient):
    response = client.post(
        "/accounts/login/",
        {"username": "hanako@example.jp", "password": "wrong"},
        headers={"accept-language": "ja"},
    )
    content = response.content.decode()
    assert "メールアドレスまたはパスワードが正しくありません" in content
    assert "どちらのフィールドも" not in content
