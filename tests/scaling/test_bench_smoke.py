"""`make bench` and `make loadtest` still run (smallest sizes, SQLite), and the bench's baselines
are what they claim: real views behind the app's middleware, kept out of the production URLs."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from tests.factories import make_clinic, make_patient

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def run_script(*args: str, timeout: int = 240) -> str:
    # SQLite only, whatever database the test run itself uses.
    unset = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_bench_runs_and_prints_the_fair_baselines_and_the_read_against_lines():
    out = run_script(
        "bench/run.py", "--sizes", "2", "3", "--days", "5", "--long-days", "8", "--runs", "1"
    )
    assert "SQLite" in out
    for row in (
        "baseline: signed-in save one row",
        "one ORM read by primary key",
        "the same SQL through a cursor",
        "the save's rule reads, through the ORM",
        "the same statements through a cursor",
        "baseline: signed-in 50-row page, 2 pts",
        "baseline: signed-in 50-row page, 3 pts",
        "entry save (form + rules + flags)",
        "symptom chart, cold request",
        "visit report PDF, 30 days",
        "entry save / signed-in save",
        "dashboard / signed-in 50-row page, 3 pts",
        "dashboard 3 / 2 patients",
        "cold symptom chart (request)",
    ):
        assert row in out, row


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_loadtest_runs_and_finds_every_submit_in_the_database():
    out = run_script(
        "bench/loadtest.py", "--seconds", "1", "--patients", "2", "--clinicians", "1",
        "--workers", "1", "--port", str(free_port()),
    )  # fmt: skip
    assert "saves per second per core" in out
    assert "missing 0, not submitted 0: OK" in out


def test_loadtest_refuses_a_port_another_server_holds():
    # Its readiness check would otherwise reach that server and load-test it instead.
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        done = subprocess.run(
            [sys.executable, "bench/loadtest.py", "--seconds", "1",
             "--port", str(taken.getsockname()[1])],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    assert done.returncode != 0
    assert "is in use" in done.stderr


def test_the_baseline_views_are_not_in_the_production_urls():
    for url in ("/bench/signed-in/save/", "/bench/signed-in/fifty/", "/bench/save-one/"):
        with pytest.raises(Resolver404):
            resolve(url, urlconf="config.urls")


@pytest.mark.urls("bench.baseline_urls")
def test_the_signed_in_save_baseline_checks_csrf_and_redirects():
    patient = make_patient("bench-smoke@example.jp", clinic=make_clinic())
    client = Client(enforce_csrf_checks=True)
    client.force_login(patient)
    assert client.post("/bench/signed-in/save/").status_code == 403
    assert patient.diary_entries.count() == 0
    client.get("/diary/entry/")  # sets the CSRF cookie, as the form page does for a browser
    token = client.cookies["csrftoken"].value
    response = client.post("/bench/signed-in/save/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert patient.diary_entries.count() == 1


@pytest.mark.urls("bench.baseline_urls")
def test_the_fifty_row_baseline_needs_a_signed_in_user():
    assert Client().get("/bench/signed-in/fifty/").status_code == 302
