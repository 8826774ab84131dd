"""The service worker's file and the offline page (diary/views/offline.py, issue 20)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

WORKER = "/diary/sw.js"
OFFLINE = "/diary/offline/"


def worker_config(response) -> dict:
    head, _, rest = response.content.decode().partition("\n")
    assert head.startswith("self.DIARY_SW = ") and head.endswith(";")
    assert 'addEventListener("fetch"' in rest  # the file's own code follows
    return json.loads(head.removeprefix("self.DIARY_SW = ").removesuffix(";"))


def test_the_worker_is_served_at_the_diary_address_for_anyone(client):
    response = client.get(WORKER)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"  # the browser asks on every update check
    config = worker_config(response)
    assert config["offline"] == OFFLINE
    assert "/static/css/app.css" in config["shell"]
    assert "/static/js/offline-entry.js" in config["shell"]
    assert config["outbox"] == "/static/js/offline-outbox.js"
    assert len(config["version"]) == 12


def test_the_worker_serves_nothing_older_than_a_session(client, settings, monkeypatch):
    settings.DEBUG = True
    settings.SESSION_ABSOLUTE_HOURS = 5
    assert worker_config(client.get(WORKER))["maxAgeMs"] == 5 * 3600 * 1000


def test_its_version_changes_with_the_shell(client, monkeypatch, settings):
    settings.DEBUG = True  # read again on every request, as in development
    first = worker_config(client.get(WORKER))["version"]
    from diary.views import offline

    real = offline._read
    monkeypatch.setattr(offline, "_read", lambda name: real(name) + b"/* changed */")
    assert worker_config(client.get(WORKER))["version"] != first


def test_the_patient_gets_the_offline_page_with_the_clinic_number(patient_client):
    response = patient_client.get(OFFLINE)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="tel:0311112222"' in page
    assert "private, no-cache" in response["Cache-Control"]  # a copy may be kept


def test_a_clinician_does_not_get_the_offline_page(clinician_client):
    assert clinician_client.get(OFFLINE).status_code == 404


def test_a_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get(OFFLINE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_patient_pages_register_the_worker_and_the_sign_in_page_clears_it(patient_client):
    home = patient_client.get("/diary/").content.decode()
    assert 'src="/static/js/sw-register.js" data-worker="/diary/sw.js"' in home
    assert 'src="/static/js/offline-entry.js"' in home
    sign_in = Client().get("/accounts/login/").content.decode()
    assert 'src="/static/js/sw-register.js"' in sign_in
    assert "data-worker" not in sign_in  # nothing to register there: it only empties the cache
