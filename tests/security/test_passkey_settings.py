"""Where passkeys work (config/relying_party.py): the relying party id and allowed origins come
from SITE_URL, fit `make run` (127.0.0.1 is not a domain, so localhost) and a clinic's https
address, and a setting no browser would accept stops the start-up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from config.relying_party import default_allowed_origins, default_rp_id, relying_party_check

ROOT = Path(__file__).resolve().parents[2]
CLINIC = "https://diary.example-clinic.jp"


@pytest.mark.parametrize(
    ("site_url", "rp_id", "origins"),
    [
        ("http://127.0.0.1:8000", "localhost", ["http://localhost:8000"]),
        ("http://localhost:8000", "localhost", ["http://localhost:8000"]),
        ("http://[::1]:8000", "localhost", ["http://localhost:8000"]),
        (CLINIC, "diary.example-clinic.jp", [CLINIC]),
        ("https://Diary.Example-Clinic.jp:443/", "diary.example-clinic.jp", [CLINIC]),
        ("https://diary.example-clinic.jp:8443", "diary.example-clinic.jp", [f"{CLINIC}:8443"]),
    ],
)
def test_the_defaults_follow_site_url(site_url, rp_id, origins):
    assert default_rp_id(site_url) == rp_id
    assert default_allowed_origins(site_url) == origins
    assert relying_party_check(rp_id, origins) == origins


def test_origins_are_written_as_browsers_send_them():
    checked = relying_party_check(
        "example-clinic.jp", ["https://Diary.Example-Clinic.jp/", " https://example-clinic.jp:443"]
    )
    assert checked == [CLINIC, "https://example-clinic.jp"]


@pytest.mark.parametrize(
    ("rp_id", "origins", "says"),
    [
        ("127.0.0.1", ["http://127.0.0.1:8000"], "IP address"),
        ("", [CLINIC], "domain name"),
        ("diary.example-clinic.jp", [], "at least one origin"),
        ("diary.example-clinic.jp", ["https://evil.example"], "not on the relying party"),
        ("diary.example-clinic.jp", ["http://diary.example-clinic.jp"], "https://"),
        ("diary.example-clinic.jp", [f"{CLINIC}/login/"], "not an origin"),
        ("example-clinic.jp", ["https://notexample-clinic.jp"], "not on the relying party"),
    ],
)
def test_a_relying_party_no_browser_would_accept_stops_the_start(rp_id, origins, says):
    with pytest.raises(ImproperlyConfigured, match=says):
        relying_party_check(rp_id, origins)


def settings_in_a_new_process(**env) -> subprocess.CompletedProcess:
    code = (
        "import config.settings as s; "
        "print(s.OTP_WEBAUTHN_RP_ID); print(','.join(s.OTP_WEBAUTHN_ALLOWED_ORIGINS))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OTP_WEBAUTHN", "SITE_URL"))}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_make_run_has_passkeys_at_localhost():
    result = settings_in_a_new_process()
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["localhost", "http://localhost:8000"]


def test_a_clinic_sets_its_address_and_gets_passkeys_there():
    result = settings_in_a_new_process(SITE_URL=CLINIC)
    assert result.stdout.split() == ["diary.example-clinic.jp", CLINIC]

    shared = settings_in_a_new_process(
        SITE_URL=CLINIC,
        OTP_WEBAUTHN_RP_ID="example-clinic.jp",
        OTP_WEBAUTHN_ALLOWED_ORIGINS=f"{CLINIC},https://example-clinic.jp",
    )
    assert shared.stdout.split() == ["example-clinic.jp", f"{CLINIC},https://example-clinic.jp"]


def test_a_wrong_origin_in_the_environment_fails_loudly():
    result = settings_in_a_new_process(
        SITE_URL=CLINIC, OTP_WEBAUTHN_ALLOWED_ORIGINS="http://diary.example-clinic.jp"
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "must use https://" in result.stderr


def test_the_packages_own_checks_pass():
    problems = [m for m in checks.run_checks() if m.id and m.id.startswith("otp_webauthn")]
    assert problems == []
