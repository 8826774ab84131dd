"""An erased patient leaves the triage: their open flags are closed as "erased" in the erasure's
own transaction, they are in no group of the dashboard (nor its counts), the rules do not raise
anything for them again, and nobody is e-mailed about them (docs/SECURITY.md)."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command

from diary import privacy
from diary.dashboard import FILTERS, dashboard_counts, dashboard_page
from diary.escalation import escalations_send
from diary.models import Flag, FlagNotice, PatientTriage
from diary.privacy import patient_erase
from tests.factories import (
    FROZEN_NOW,
    TODAY,
    days_ago,
    make_entry,
    make_flag,
    make_goal,
    save_entry,
)
from tests.triage_oracle import stale

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged(patient, other_patient, clinician, django_capture_on_commit_callbacks):
    """Hanako: an open urgent fever (alerted), an open 'not logging', an acknowledged caution
    and a goal under review. Ichiro, of the same clinic, has an open caution."""
    with django_capture_on_commit_callbacks(execute=True):
        save_entry(patient, day=days_ago(1), temperature_c=Decimal("38.6"))
    make_flag(patient, code="missed_entries", severity="info", first_day=TODAY)
    make_flag(patient, code="unwell", severity="caution", first_day=days_ago(4),
              acknowledged_by=clinician, action=Flag.Action.CALLED)  # fmt: skip
    make_goal(patient, review_date=TODAY + timedelta(days=2))
    make_entry(other_patient, day=TODAY)
    make_flag(other_patient, code="unwell", severity="caution", first_day=TODAY)
    return patient


def names_on_dashboard(clinic, filter_name: str) -> list[str]:
    _page, rows = dashboard_page(clinic, TODAY, filter_name=filter_name)
    return [row.name for row in rows]


def test_anonymising_closes_the_open_flags_as_erased(flagged, clinic_admin):
    before = dict(Flag.objects.filter(patient=flagged).values_list("code", "status"))
    assert before == {"fever": "open", "missed_entries": "open", "unwell": "acknowledged"}
    patient_erase(patient=flagged, by=clinic_admin, mode="anonymise", reason="asked in writing")
    after = dict(Flag.objects.filter(patient=flagged).values_list("code", "status"))
    assert after == {"fever": "erased", "missed_entries": "erased", "unwell": "acknowledged"}
    # Kept for the clinic's statistics: the days and the severity stay.
    fever = Flag.objects.get(patient=flagged, code="fever")
    assert (fever.severity, fever.first_day) == ("urgent", days_ago(1))


@pytest.mark.parametrize("mode", ["anonymise", "delete"])
def test_an_erased_patient_is_in_no_group_of_the_dashboard(flagged, other_patient, clinic,
                                                           clinic_admin, mode):  # fmt: skip
    assert flagged.name in names_on_dashboard(clinic, "attention")
    before = dashboard_counts(clinic, TODAY)
    # Hanako's "not logging" flag and goal under review are under her urgent flag: one group.
    assert (before["urgent"], before["caution"], before["not_logging"], before["review"]) == (
        1, 1, 0, 0,
    )  # fmt: skip

    patient_erase(patient=flagged, by=clinic_admin, mode=mode, reason="asked in writing")
    flagged.refresh_from_db()

    for filter_name in FILTERS:
        assert flagged.name not in names_on_dashboard(clinic, filter_name), filter_name
    assert names_on_dashboard(clinic, "all") == [other_patient.name]  # Ichiro stays
    counts = dashboard_counts(clinic, TODAY)
    assert (counts["urgent"], counts["caution"], counts["not_logging"], counts["review"]) == (
        0, 1, 0, 0,
    )  # fmt: skip
    assert counts["total"] == before["total"] - 1
    row = PatientTriage.objects.get(patient=flagged)
    assert (row.flag_group, row.urgent_since, row.erased) == (None, None, True)
    assert stale() == []  # the independent SQL check agrees


def test_the_dashboard_page_itself_no_longer_lists_them(flagged, clinic_admin, clinician_client):
    patient_erase(patient=flagged, by=clinic_admin, mode="anonymise", reason="asked in writing")
    content = clinician_client.get("/clinic/?filter=all").content.decode()
    assert f"Erased patient {flagged.pk}" not in content
    assert str(flagged.public_id) not in content


def test_a_failed_erasure_changes_nothing(flagged, clinic_admin, monkeypatch):
    def broken(patient):
        raise RuntimeError("disk full")

    monkeypatch.setattr(privacy, "_remove_identity", broken)
    with pytest.raises(RuntimeError):
        patient_erase(patient=flagged, by=clinic_admin, mode="anonymise", reason="asked")
    statuses = sorted(Flag.objects.filter(patient=flagged).values_list("status", flat=True))
    assert statuses == ["acknowledged", "open", "open"]
    assert PatientTriage.objects.get(patient=flagged).erased is False
    assert stale() == []


def test_the_rules_raise_nothing_for_an_erased_patient_again(flagged, clinic_admin, time_machine):
    patient_erase(patient=flagged, by=clinic_admin, mode="anonymise", reason="asked in writing")
    time_machine.move_to(FROZEN_NOW + timedelta(days=3), tick=False)  # days without an entry
    call_command("reevaluate_flags", stdout=io.StringIO())
    call_command("check_missed_entries", stdout=io.StringIO())
    assert not Flag.objects.filter(patient=flagged, status="open").exists()
    assert PatientTriage.objects.get(patient=flagged).erased is True
    assert stale() == []


def test_nobody_is_emailed_about_an_erased_patient(flagged, clinic_admin, time_machine):
    patient_erase(patient=flagged, by=clinic_admin, mode="anonymise", reason="asked in writing")
    mail.outbox.clear()
    time_machine.move_to(FROZEN_NOW + timedelta(hours=2), tick=False)
    call_command("send_urgent_alerts", stdout=io.StringIO())
    call_command("send_flag_digest", stdout=io.StringIO())
    assert escalations_send() == 0
    # Ichiro's caution is in the digest; nothing about Hanako anywhere.
    assert mail.outbox
    assert not [m for m in mail.outbox if str(flagged.public_id) in m.body]


def test_deleting_also_removes_the_notices_sent_about_the_flags(flagged, clinic_admin):
    assert FlagNotice.objects.filter(flag__patient=flagged).exists()  # the first alert
    patient_erase(patient=flagged, by=clinic_admin, mode="delete", reason="asked in writing")
    assert not Flag.objects.filter(patient=flagged).exists()
    assert not FlagNotice.objects.filter(flag__patient=flagged).exists()


def test_anonymising_keeps_who_was_told_when(flagged, clinic_admin):
    told = list(FlagNotice.objects.filter(flag__patient=flagged).values_list("address", "sent_at"))
    assert told
    patient_erase(patient=flagged, by=clinic_admin, mode="anonymise", reason="asked in writing")
    assert (
        list(FlagNotice.objects.filter(flag__patient=flagged).values_list("address", "sent_at"))
        == told
    )
