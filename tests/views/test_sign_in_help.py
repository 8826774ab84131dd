"""The sign-in page says to call the clinic, and names the number once this browser (an earlier
sign-in) or the typed address's domain tells which clinic — never whether an account exists."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def browser() -> Client:
    return Client(headers={"accept-language": "en"})


def help_line(content: str) -> str:
    return content.split("call-clinic-sign-in", 1)[1].split("</section>", 1)[0]


def test_an_unknown_browser_is_told_to_call_its_clinic(clinic):
    line = help_line(browser().get(LOGIN).content.decode())
    assert "Please call your clinic" in line
    assert clinic.phone not in line


def test_after_a_sign_in_the_browser_shows_the_clinics_number(patient, clinic):
    phone = browser()
    phone.post(LOGIN, {"username": patient.email, "password": PASSWORD})
    phone.post("/accounts/logout/")
    line = help_line(phone.get(LOGIN).content.decode())
    assert clinic.phone in line
    assert 'href="tel:0311112222"' in line
    assert clinic.name in line
    assert patient.email not in phone.get(LOGIN).content.decode()


def test_a_tampered_cookie_shows_no_clinic(patient, clinic, other_clinic):
    phone = browser()
    phone.cookies["diary_clinic"] = str(other_clinic.pk)  # not signed
    line = help_line(phone.get(LOGIN).content.decode())
    assert other_clinic.phone not in line
    assert "Please call your clinic" in line


def test_a_listed_domain_names_the_clinic_whether_or_not_the_address_exists(clinic):
    clinic.email_domains = "Sakura-Clinic.jp, @example-sakura.jp"
    clinic.full_clean()
    clinic.save()
    assert clinic.email_domains == "sakura-clinic.jp, example-sakura.jp"
    pages = []
    for email in ("nurse@sakura-clinic.jp", "nobody-at-all@sakura-clinic.jp"):
        response = browser().post(LOGIN, {"username": email, "password": "wrong-password"})
        assert response.status_code == 200
        pages.append(help_line(response.content.decode()))
    assert clinic.phone in pages[0]
    assert pages[0] == pages[1]


def test_an_unlisted_domain_names_no_clinic(clinic):
    clinic.email_domains = "sakura-clinic.jp"
    clinic.save()
    response = browser().post(LOGIN, {"username": "a@clinic.jp", "password": "wrong-password"})
    assert clinic.phone not in help_line(response.content.decode())


def test_the_page_links_to_the_reset(client):
    assert 'href="/accounts/password/reset/"' in client.get(LOGIN).content.decode()
