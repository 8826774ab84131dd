"""How long an urgent flag has waited, on the dashboard and the patient page, in natural words
(「未対応：45分」 / "waiting 45 min"), with the e-mails sent about it on the patient page."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation

from accounts.models import User
from diary.flagging import flag_acknowledge
from diary.models import Flag
from diary.waiting import duration_text, waiting_text
from tests.factories import FROZEN_NOW, save_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(patient, clinician, django_capture_on_commit_callbacks, time_machine):
    """Hanako logged 38.4 °C at 10:00; it is 10:45 and nobody has acknowledged it."""
    User.objects.filter(pk=clinician.pk).update(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        save_entry(patient, temperature_c=Decimal("38.4"))
    time_machine.move_to(FROZEN_NOW + timedelta(minutes=45), tick=False)
    return Flag.objects.get(patient=patient)


@pytest.fixture
def browser(client, clinician, waiting):
    """Signed in at 10:45 (a staff session signed in at 10:00 has timed out by then)."""
    client.force_login(User.objects.get(pk=clinician.pk))
    return client


def test_the_dashboard_shows_how_long_the_urgent_flag_has_waited(browser, waiting):
    content = browser.get("/clinic/").content.decode()
    assert 'urgent-waiting">waiting 45 min</div>' in content


def test_in_japanese_it_reads_naturally(browser, clinician, waiting):
    User.objects.filter(pk=clinician.pk).update(language="ja")
    assert "未対応：45分" in browser.get("/clinic/").content.decode()


def test_the_patient_page_shows_the_wait_and_the_emails(browser, patient, waiting):
    content = browser.get(f"/clinic/patients/{patient.public_id}/").content.decode()
    # In the flag's one-line summary (collapsed until used).
    assert 'urgent-waiting text-danger-emphasis">waiting 45 min</span>' in content
    assert "1 e-mail about this flag" in content
    assert "first alert · <bdi>Dr. Taro Yamada</bdi> · sent" in " ".join(content.split())


def test_a_refused_repeated_notice_is_shown_as_refused(
    client, clinician, patient, waiting, settings, time_machine
):
    settings.EMAIL_BACKEND = "tests.services.test_escalation.RefusingBackend"
    time_machine.move_to(FROZEN_NOW + timedelta(minutes=30), tick=False)
    call_command("send_urgent_alerts", stdout=io.StringIO())
    time_machine.move_to(FROZEN_NOW + timedelta(minutes=45), tick=False)
    client.force_login(User.objects.get(pk=clinician.pk))
    content = " ".join(
        client.get(f"/clinic/patients/{patient.public_id}/").content.decode().split()
    )
    assert "2 e-mails about this flag" in content
    assert (
        "repeated notice 1 · <bdi>Dr. Taro Yamada</bdi> · <strong>refused by the mail server"
        in content
    )


def test_an_acknowledged_flag_no_longer_waits(browser, clinician, patient, waiting):
    flag_acknowledge(flag=waiting, by=clinician, action=Flag.Action.CALLED)
    assert "urgent-waiting" not in browser.get("/clinic/").content.decode()
    page = browser.get(f"/clinic/patients/{patient.public_id}/").content.decode()
    assert "urgent-waiting" not in page


def test_a_caution_does_not_show_a_wait(clinician_client, patient, clinician):
    User.objects.filter(pk=clinician.pk).update(language="en")
    save_entry(patient, temperature_c=Decimal("37.6"))
    assert "urgent-waiting" not in clinician_client.get("/clinic/").content.decode()


@pytest.mark.parametrize(
    ("minutes", "english", "japanese"),
    [
        (1, "1 min", "1分"),
        (45, "45 min", "45分"),
        (60, "1 h", "1時間"),
        (75, "1 h", "1時間"),  # one unit, rounded down (tests/test_relative_time.py)
        (24 * 60, "1 day", "1日"),
        (24 * 60 + 61, "1 day", "1日"),
        (3 * 24 * 60 + 5 * 60, "3 days", "3日"),
        (10 * 24 * 60 + 5 * 60, "10 days", "10日"),
    ],
)
def test_durations_in_both_languages(minutes, english, japanese):
    with translation.override("en"):
        assert duration_text(minutes) == english
    with translation.override("ja"):
        assert duration_text(minutes) == japanese


def test_a_flag_raised_this_moment_has_waited_a_minute_not_zero():
    with translation.override("ja"):
        assert waiting_text(FROZEN_NOW, FROZEN_NOW) == "未対応：1分"
    with translation.override("en"):
        assert waiting_text(FROZEN_NOW, FROZEN_NOW + timedelta(hours=2)) == "waiting 2 h"
