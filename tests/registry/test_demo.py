"""The demo clinic's register: a PRP plan whose first year has just ended, its two PRP
patients, a serious adverse event due in 3 days and one already reported."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from accounts.models import User
from registry.models import AdverseEvent, PlanInjection, TreatmentPlan
from registry.selectors import clinic_deadlines, periodic_report
from tests.factories import TODAY

pytestmark = pytest.mark.django_db


def load():
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=StringIO())


@pytest.fixture
def demo(frozen_now):
    load()
    return TreatmentPlan.objects.get()


def test_the_demo_plan_holds_the_prp_patients(demo):
    treated = set(PlanInjection.objects.values_list("injection__patient__email", flat=True))
    assert treated == {"ito@example.jp", "kato@example.jp"}
    assert demo.agent == "prp" and demo.risk_class == "3"
    year = periodic_report(demo, 1, TODAY)
    assert year.year.end < TODAY < year.year.report_due  # just ended, the report not yet due
    assert year.counts.patients_treated == 2 and year.counts.serious_events == 2


def test_one_serious_event_is_due_in_3_days_and_one_was_reported(demo):
    (due,) = clinic_deadlines(demo.clinic, TODAY)
    assert due.days_left == 3
    assert due.event.patient.email == "ito@example.jp"
    reported = AdverseEvent.objects.get(reported_on__isnull=False)
    assert reported.patient.email == "kato@example.jp"
    assert reported.versions.count() == 1  # marking it reported kept the version before


def test_every_register_screen_shows_something(demo, client):
    doctor = User.objects.get(email="doctor@example.jp")
    client.force_login(doctor)
    assert "data-report-deadlines" in client.get("/clinic/").content.decode()
    for url in ("/clinic/outcomes/", "/clinic/plans/", "/clinic/adverse-events/",
                f"/clinic/plans/{demo.pk}/years/1/report/"):  # fmt: skip
        assert client.get(url).status_code == 200, url


def test_loading_again_changes_nothing(demo):
    counts = (TreatmentPlan.objects.count(), PlanInjection.objects.count(),
              AdverseEvent.objects.count())  # fmt: skip
    load()
    assert (TreatmentPlan.objects.count(), PlanInjection.objects.count(),
            AdverseEvent.objects.count()) == counts  # fmt: skip
