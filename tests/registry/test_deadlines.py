"""The legal deadline of a serious adverse event counts down on the dashboard and the patient
page, day by day, until a clinician marks it reported."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from registry.services import adverse_event_mark_reported
from tests.factories import TODAY, TOKYO, days_ago
from tests.registry.helpers import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(clinician):
    clinician.language = "en"
    clinician.save(update_fields=["language"])


def jump(time_machine, client, user, day):
    """To 10:00 on `day`, signed in again (the session timeouts would have signed anyone out)."""
    time_machine.move_to(datetime(day.year, day.month, day.day, 10, 0, tzinfo=TOKYO), tick=False)
    client.force_login(user)


def shown(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_hospitalisation_learned_of_today_counts_down_15_days(
    clinician_client, clinician, kenji, plan, time_machine
):
    event = make_event(
        kenji, by=clinician, plan=plan, onset_on=days_ago(1), learned_on=TODAY,
        seriousness="hospitalisation",
    )  # fmt: skip
    due = (TODAY + timedelta(days=15)).isoformat()
    patient_page = f"/clinic/patients/{kenji.public_id}/"
    assert f"Report due in 15 days (by {due})" in shown(clinician_client, "/clinic/")
    jump(time_machine, clinician_client, clinician, TODAY + timedelta(days=12))
    assert f"Report due in 3 days (by {due})" in shown(clinician_client, "/clinic/")
    assert f"Report due in 3 days (by {due})" in shown(clinician_client, patient_page)
    jump(time_machine, clinician_client, clinician, TODAY + timedelta(days=14))
    assert f"Report due in 1 day (by {due})" in shown(clinician_client, "/clinic/")
    jump(time_machine, clinician_client, clinician, TODAY + timedelta(days=15))
    assert f"Report due today ({due})" in shown(clinician_client, "/clinic/")
    jump(time_machine, clinician_client, clinician, TODAY + timedelta(days=17))
    assert f"Report overdue by 2 days (due {due})" in shown(clinician_client, "/clinic/")
    adverse_event_mark_reported(
        event=event, reported_on=TODAY + timedelta(days=17), reported_to="both", by=clinician
    )
    assert "Report" not in shown(clinician_client, "/clinic/").split("<table")[0]
    assert "Report overdue" not in shown(clinician_client, patient_page)


def test_death_is_due_in_7_days(clinician_client, clinician, kenji, plan):
    make_event(kenji, by=clinician, plan=plan, seriousness="death", outcome="fatal",
               onset_on=days_ago(2), learned_on=days_ago(2))  # fmt: skip
    assert "Report due in 5 days" in shown(clinician_client, "/clinic/")


@pytest.mark.parametrize(
    "fields",
    [{"seriousness": "not_serious"}, {"plan": None}, {"relation": "not_related"}],
)
def test_no_countdown_without_a_report_owed(clinician_client, clinician, kenji, plan, fields):
    make_event(kenji, by=clinician, **{"plan": plan, **fields})
    assert "Report due" not in shown(clinician_client, "/clinic/")
    assert "Report due" not in shown(clinician_client, f"/clinic/patients/{kenji.public_id}/")


def test_the_japanese_countdown(clinician_client, clinician, kenji, plan):
    clinician.language = "ja"
    clinician.save(update_fields=["language"])
    make_event(kenji, by=clinician, plan=plan, learned_on=days_ago(12), onset_on=days_ago(12))
    assert "報告期限まであと3日" in shown(clinician_client, "/clinic/")


def test_another_clinic_sees_no_deadline_of_ours(client, clinician, other_clinician, kenji, plan):
    make_event(kenji, by=clinician, plan=plan)
    client.force_login(other_clinician)
    page = shown(client, "/clinic/")
    assert "Report due" not in page and "Kenji" not in page


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # the session's own writes happen on the first request
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_deadlines_cost_the_same_queries_for_one_event_or_many(
    clinician_client, clinician, clinic, plan, kenji
):
    from tests.factories import make_patient
    from tests.registry.helpers import treat

    make_event(kenji, by=clinician, plan=plan)
    dashboard, page = "/clinic/", f"/clinic/patients/{kenji.public_id}/"
    one = (_queries(clinician_client, dashboard), _queries(clinician_client, page))
    for n in range(6):
        other = make_patient(f"many{n}@example.jp", clinic=clinic)
        treat(other, plan, day=days_ago(5))
        make_event(other, by=clinician, plan=plan)
        make_event(kenji, by=clinician, plan=plan, seriousness="death", outcome="fatal")
    assert (_queries(clinician_client, dashboard), _queries(clinician_client, page)) == one
    assert shown(clinician_client, dashboard).count("data-days-left=") == 13
