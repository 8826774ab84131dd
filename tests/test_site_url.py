"""SITE_URL that does not fit the request (another port or host in development, a host name
without SITE_URL set) is warned about in the log where links are built — invitation links and
the patient link in the clinicians' alerts — once per distinct mismatch, not silently used.
The links themselves still use SITE_URL: a forged Host header must not choose where they go."""

from __future__ import annotations

import logging
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client

from config import site_url as site_url_module
from config.site_url import origin, site_url
from diary.alerts import patient_url
from tests.factories import entry_form_data

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Aiko Tanaka",
    "email": "aiko@example.jp",
    "patient_number": "P-8",
    "language": "en",
}


@pytest.fixture(autouse=True)
def nothing_warned_yet():
    site_url_module._warned.clear()
    yield
    site_url_module._warned.clear()


def warnings_in(caplog) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "config.site_url" and record.levelno == logging.WARNING
    ]


def register(client, number="P-8", email="aiko@example.jp", **headers):
    response = client.post(
        "/clinic/patients/new/",
        {**FORM, "email": email, "patient_number": number},
        headers=headers,
    )
    assert response.status_code == 302
    return response


def test_a_site_url_on_another_port_is_warned_about_when_an_invitation_is_made(
    clinician_client, settings, caplog
):
    settings.SITE_URL = "http://127.0.0.1:8001"
    with caplog.at_level(logging.WARNING, logger="config.site_url"):
        register(clinician_client)
    (warning,) = warnings_in(caplog)
    assert "http://127.0.0.1:8001" in warning
    assert "http://testserver" in warning
    # The link still goes where SITE_URL says, not where the request came.
    assert re.search(r"http://127\.0\.0\.1:8001/accounts/invitation/[\w-]+/", mail.outbox[0].body)


def test_the_same_mismatch_is_warned_about_once(clinician_client, settings, caplog):
    settings.SITE_URL = "http://127.0.0.1:8001"
    with caplog.at_level(logging.WARNING, logger="config.site_url"):
        register(clinician_client)
        register(clinician_client, number="P-9", email="ken@example.jp")
    assert len(warnings_in(caplog)) == 1


def test_another_mismatch_is_warned_about_again(clinician_client, settings, caplog):
    settings.SITE_URL = "http://127.0.0.1:8001"
    with caplog.at_level(logging.WARNING, logger="config.site_url"):
        register(clinician_client)
        register(clinician_client, number="P-9", email="ken@example.jp", host="localhost:8000")
    first, second = warnings_in(caplog)
    assert "http://testserver" in first
    assert "http://localhost:8000" in second


def test_a_site_url_that_fits_is_not_warned_about(clinician_client, settings, caplog):
    settings.SITE_URL = "http://testserver:80"  # the default port, written out
    with caplog.at_level(logging.WARNING, logger="config.site_url"):
        register(clinician_client)
    assert warnings_in(caplog) == []


@pytest.mark.django_db(transaction=True)
def test_the_alert_link_to_the_patient_is_checked_too(patient, clinician, settings, caplog):
    """An urgent alert is e-mailed when the patient's save commits, while her request is
    answered: that request is the one compared. (Real commits, so the after-commit e-mail runs
    inside the request as it does in production.)"""
    settings.SITE_URL = "https://diary.clinic.example"
    phone = Client()
    phone.force_login(patient)
    with caplog.at_level(logging.WARNING, logger="config.site_url"):
        response = phone.post("/diary/entry/", entry_form_data(temperature_c=Decimal("38.6")))
    assert response.status_code == 302
    (alert,) = [m for m in mail.outbox if m.to == [clinician.email]]
    assert f"https://diary.clinic.example/clinic/patients/{patient.public_id}/" in alert.body
    (warning,) = warnings_in(caplog)
    assert "https://diary.clinic.example" in warning and "http://testserver" in warning


def test_outside_a_request_nothing_is_compared(patient, settings, caplog):
    settings.SITE_URL = "https://diary.clinic.example"
    with caplog.at_level(logging.WARNING, logger="config.site_url"):
        assert patient_url(patient).startswith("https://diary.clinic.example/clinic/patients/")
        assert site_url("/x/") == "https://diary.clinic.example/x/"
    assert warnings_in(caplog) == []


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("HTTPS://Diary.Example:443/", "https://diary.example"),
        ("http://diary.example:80", "http://diary.example"),
        ("https://diary.example:8443/sub", "https://diary.example:8443"),
        ("http://[::1]:8000", "http://[::1]:8000"),
    ],
)
def test_origins_are_compared_without_default_ports_or_case(url, expected):
    assert origin(url) == expected
