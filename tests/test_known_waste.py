"""Issue 22, item 3: work a request no longer does twice.

- a signed-in request reads the user and their clinic in one query (accounts/backends.py);
- `diary.selectors` no longer imports `diary.flagging` (the cycle through `clinic_today` is gone:
  `Clinic.today()`), and each module imports on its own.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.backends import ClinicModelBackend, ClinicWebAuthnBackend
from accounts.models import Clinic
from diary.selectors import clinic_today

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
@pytest.mark.parametrize("backend", [ClinicModelBackend, ClinicWebAuthnBackend])
def test_the_session_user_comes_with_their_clinic_in_one_query(
    backend, patient, django_assert_num_queries
):
    with django_assert_num_queries(1):
        user = backend().get_user(patient.pk)
        assert user.clinic.name == "Sakura Clinic"


@pytest.mark.django_db
@pytest.mark.parametrize("backend", [ClinicModelBackend, ClinicWebAuthnBackend])
def test_an_unknown_or_inactive_user_is_not_signed_in(backend, patient):
    assert backend().get_user(patient.pk + 1000) is None
    patient.is_active = False
    patient.save(update_fields=["is_active"])
    assert backend().get_user(patient.pk) is None


@pytest.mark.django_db
def test_a_signed_in_page_reads_the_clinic_with_the_user(patient_client, patient):
    with CaptureQueriesContext(connection) as captured:
        assert patient_client.get("/diary/history/").status_code == 200
    assert patient_client.session[SESSION_KEY] == str(patient.pk)
    alone = [q["sql"] for q in captured if q["sql"].startswith('SELECT "accounts_clinic"')]
    assert alone == []
    assert 'JOIN "accounts_clinic"' in captured[1]["sql"]  # after the session


def test_clinic_today_is_the_clinics_calendar_day():
    late = datetime(2026, 11, 26, 15, 30, tzinfo=ZoneInfo("UTC"))  # 00:30 in Tokyo
    assert Clinic(time_zone="Asia/Tokyo").today(late).isoformat() == "2026-11-27"
    assert Clinic(time_zone="Europe/London").today(late).isoformat() == "2026-11-26"
    assert clinic_today(Clinic(time_zone="Asia/Tokyo"), late) == Clinic().today(late)


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, also inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_selectors_does_not_import_flagging():
    assert "diary.flagging" not in imported_modules(ROOT / "diary" / "selectors.py")
    assert "diary.selectors" not in imported_modules(ROOT / "diary" / "flagging.py")


@pytest.mark.parametrize("module", ["diary.flagging", "diary.selectors", "diary.red_flags"])
def test_each_module_imports_on_its_own(module):
    code = f"import django; django.setup(); import {module}"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "config.test_settings", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
