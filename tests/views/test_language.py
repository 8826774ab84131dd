"""Japanese by default, the browser's language before sign-in, the user's choice after."""

import pytest
from django.test import Client

from accounts.models import User
from tests.views.html import html_lang

pytestmark = pytest.mark.django_db


def test_a_visitor_without_a_language_preference_gets_japanese(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert html_lang(response.content) == "ja"
    assert response["Content-Language"] == "ja"
    assert "Sign in" not in response.content.decode().split("<main", 1)[1]


def test_a_browser_asking_for_english_gets_the_english_login_page(client):
    response = client.get("/accounts/login/", headers={"accept-language": "en-GB,en;q=0.9"})
    assert html_lang(response.content) == "en"
    content = response.content.decode()
    assert "<h1" in content and "Sign in</h1>" in content
    assert "E-mail address" in content


def test_a_browser_asking_for_an_unsupported_language_gets_japanese(client):
    response = client.get("/accounts/login/", headers={"accept-language": "fr-FR,fr;q=0.9"})
    assert html_lang(response.content) == "ja"


def test_the_sign_in_page_and_the_patients_settings_offer_the_other_language(
    client, patient_client
):
    login = Client().get("/accounts/login/").content.decode()
    assert 'action="/accounts/language/"' in login
    assert 'value="en"' in login
    # A patient's header keeps to one row on a phone: the switch is on the settings page,
    # which every page's header links to (issue 18).
    home = patient_client.get("/diary/").content.decode()
    assert 'href="/diary/settings/"' in home
    settings = patient_client.get("/diary/settings/").content.decode()
    assert 'action="/accounts/language/"' in settings
    assert 'value="en"' in settings


def test_switching_language_saves_it_on_the_account(patient_client, patient):
    response = patient_client.post("/accounts/language/", {"language": "en", "next": "/diary/"})
    assert response.status_code == 302
    assert response["Location"] == "/diary/"
    patient.refresh_from_db()
    assert patient.language == "en"
    assert html_lang(patient_client.get("/diary/").content) == "en"


def test_the_saved_language_follows_the_user_to_another_device(patient_client, patient):
    patient_client.post("/accounts/language/", {"language": "en", "next": "/diary/"})
    phone = Client()  # no cookie from the switch
    phone.force_login(User.objects.get(pk=patient.pk))
    response = phone.get("/diary/")
    assert html_lang(response.content) == "en"
    assert "Day 5 after the injection" in response.content.decode()


def test_the_users_language_wins_over_the_browsers(patient_client, patient):
    response = patient_client.get("/diary/", headers={"accept-language": "en"})
    assert html_lang(response.content) == "ja"


def test_switching_back_to_japanese(patient_client, patient):
    patient.language = "en"
    patient.save(update_fields=["language"])
    patient_client.post("/accounts/language/", {"language": "ja", "next": "/diary/"})
    patient.refresh_from_db()
    assert patient.language == "ja"
    assert html_lang(patient_client.get("/diary/").content) == "ja"


def test_before_sign_in_the_choice_is_kept_in_a_cookie(client):
    response = client.post("/accounts/language/", {"language": "en", "next": "/accounts/login/"})
    assert response["Location"] == "/accounts/login/"
    assert response.cookies["django_language"].value == "en"
    assert html_lang(client.get("/accounts/login/").content) == "en"


def test_the_language_cookie_alone_gives_english(client):
    client.cookies["django_language"] = "en"
    assert html_lang(client.get("/accounts/login/").content) == "en"


@pytest.mark.parametrize(
    "next_url",
    ["http://evil.example/", "//evil.example/path", "https://evil.example/diary/"],
)
def test_an_unsafe_next_address_is_not_followed(patient_client, patient, next_url):
    response = patient_client.post("/accounts/language/", {"language": "en", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/"
    patient.refresh_from_db()
    assert patient.language == "en"


def test_an_unknown_language_changes_nothing(patient_client, patient):
    response = patient_client.post("/accounts/language/", {"language": "xx", "next": "/diary/"})
    assert response["Location"] == "/diary/"
    assert "django_language" not in response.cookies
    patient.refresh_from_db()
    assert patient.language == "ja"


def test_the_language_switch_must_be_posted(patient_client, patient):
    response = patient_client.get("/accounts/language/", {"language": "en"})
    assert response.status_code == 405
    patient.refresh_from_db()
    assert patient.language == "ja"
