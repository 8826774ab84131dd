"""Treatment plans (the clinic administrator's) and the plan an injection is given under."""

from __future__ import annotations

import pytest

from accounts.models import AccessLog
from registry.models import PlanInjection, TreatmentPlan
from tests.factories import TODAY, days_ago, injection_form_data, make_injection
from tests.registry.helpers import PLAN_ACCEPTED, make_plan
from tests.views.html import field_error

pytestmark = pytest.mark.django_db

PLAN_DATA = {
    "number": "PC3260777",
    "title": "Cell therapy for the knee",
    "agent": "cell_therapy",
    "risk_class": "2",
    "accepted_on": "2026-03-01",
    "committee": "Kanto certified committee",
}


@pytest.fixture(autouse=True)
def english(clinician, clinic_admin):
    for user in (clinician, clinic_admin):
        user.language = "en"
        user.save(update_fields=["language"])


def test_the_clinic_administrator_adds_a_plan(clinic_admin_client, clinic_admin, clinic):
    response = clinic_admin_client.post("/clinic/plans/new/", PLAN_DATA)
    assert response.status_code == 302
    plan = TreatmentPlan.objects.get()
    assert (plan.clinic, plan.number, plan.risk_class, plan.created_by) == (
        clinic, "PC3260777", "2", clinic_admin
    )  # fmt: skip
    assert AccessLog.objects.filter(action="plan_form").count() == 1
    page = clinic_admin_client.get("/clinic/plans/").content.decode()
    assert (
        "PC3260777" in page and "Class II" in page and "2027-05-29" in page
    )  # year 1 ends 2027-02-28, +90 days


def test_a_clinician_sees_the_plans_but_cannot_add_or_change_one(clinician_client, plan):
    assert clinician_client.get("/clinic/plans/").status_code == 200
    assert clinician_client.get("/clinic/plans/new/").status_code == 404
    assert clinician_client.post("/clinic/plans/new/", PLAN_DATA).status_code == 404
    assert clinician_client.get(f"/clinic/plans/{plan.pk}/edit/").status_code == 404
    assert TreatmentPlan.objects.count() == 1


def test_a_number_used_already_a_future_date_and_a_blank_are_refused(clinic_admin_client, plan):
    response = clinic_admin_client.post("/clinic/plans/new/", {**PLAN_DATA, "number": plan.number})
    assert response.status_code == 200
    assert "The clinic has a plan with this number already." in response.content.decode()
    response = clinic_admin_client.post(
        "/clinic/plans/new/", {**PLAN_DATA, "accepted_on": "2099-01-01"}
    )
    assert "cannot be in the future" in field_error(response.content, "accepted_on")
    response = clinic_admin_client.post("/clinic/plans/new/", {**PLAN_DATA, "committee": ""})
    assert "This field is required" in field_error(response.content, "committee")
    assert TreatmentPlan.objects.count() == 1


def test_another_clinic_may_use_the_same_number(clinic_admin_client, other_plan):
    data = {**PLAN_DATA, "number": other_plan.number}
    assert clinic_admin_client.post("/clinic/plans/new/", data).status_code == 302


def test_another_clinics_plan_is_not_found(clinic_admin_client, other_plan):
    assert clinic_admin_client.get(f"/clinic/plans/{other_plan.pk}/edit/").status_code == 404
    url = f"/clinic/plans/{other_plan.pk}/years/1/report/"
    assert clinic_admin_client.get(url).status_code == 404


# --- The injection form asks for the plan ------------------------------------------------


def new_injection(patient) -> str:
    return f"/clinic/patients/{patient.public_id}/injections/new/"


def test_without_plans_the_injection_form_is_the_diarys(clinician_client, patient):
    response = clinician_client.get(new_injection(patient))
    assert "plan" not in response.context["form"].fields
    response = clinician_client.post(new_injection(patient), injection_form_data(agent="prp"))
    assert response.status_code == 302
    assert not PlanInjection.objects.exists()


def test_prp_needs_the_plan_when_the_clinic_has_one(clinician_client, patient, plan):
    page = clinician_client.get(new_injection(patient)).content.decode()
    assert "PC3260015" in page and "js/plan-field.js" in page
    response = clinician_client.post(new_injection(patient), injection_form_data(agent="prp"))
    assert response.status_code == 200
    assert "Choose the treatment plan" in field_error(response.content, "plan")
    assert patient.injections.count() == 1  # Hanako's earlier one only
    response = clinician_client.post(
        new_injection(patient), injection_form_data(agent="prp", plan=str(plan.pk))
    )
    assert response.status_code == 302
    link = PlanInjection.objects.get()
    assert (link.plan, link.injection.day, link.injection.agent) == (plan, TODAY, "prp")


def test_the_plan_must_be_for_the_agent_and_accepted_before_the_injection(
    clinician_client, patient, plan
):
    response = clinician_client.post(
        new_injection(patient), injection_form_data(agent="corticosteroid", plan=str(plan.pk))
    )
    assert "not for the agent chosen" in field_error(response.content, "plan")
    before = PLAN_ACCEPTED.replace(day=PLAN_ACCEPTED.day - 1).isoformat()
    response = clinician_client.post(
        new_injection(patient), injection_form_data(before, agent="prp", plan=str(plan.pk))
    )
    assert "after the injection" in field_error(response.content, "plan")
    assert not PlanInjection.objects.exists()


def test_prp_before_any_plan_was_accepted_needs_none(clinician_client, patient, plan):
    before = PLAN_ACCEPTED.replace(day=PLAN_ACCEPTED.day - 1).isoformat()
    response = clinician_client.post(
        new_injection(patient), injection_form_data(before, agent="prp")
    )
    assert response.status_code == 302


def test_another_clinics_plan_cannot_be_chosen(clinician_client, patient, plan, other_plan):
    response = clinician_client.post(
        new_injection(patient), injection_form_data(agent="prp", plan=str(other_plan.pk))
    )
    assert "Please choose one of the answers shown." in field_error(response.content, "plan")


def test_editing_shows_the_plan_and_a_new_agent_drops_it(clinician_client, kenji, plan):
    injection = kenji.injections.get()
    url = f"/clinic/patients/{kenji.public_id}/injections/{injection.pk}/edit/"
    assert clinician_client.get(url).context["form"].initial["plan"] == plan.pk
    data = injection_form_data(injection.day, agent="hyaluronic_acid", side="left")
    assert clinician_client.post(url, data).status_code == 302
    assert not PlanInjection.objects.exists()


def test_cell_therapy_needs_a_cell_therapy_plan_only(clinician_client, patient, clinic, plan):
    cells = make_plan(clinic, number="PC2260001", agent="cell_therapy", risk_class="2")
    response = clinician_client.post(
        new_injection(patient), injection_form_data(agent="cell_therapy")
    )
    assert "Choose the treatment plan" in field_error(response.content, "plan")
    response = clinician_client.post(
        new_injection(patient), injection_form_data(agent="cell_therapy", plan=str(cells.pk))
    )
    assert response.status_code == 302
    assert PlanInjection.objects.get().plan == cells


def test_the_injection_service_links_only_a_matching_plan(clinician, patient, plan):
    from django.core.exceptions import ValidationError

    from registry.services import injection_plan_set

    injection = make_injection(patient, day=days_ago(1), agent="hyaluronic_acid")
    with pytest.raises(ValidationError):
        injection_plan_set(injection=injection, plan=plan, by=clinician)
    assert not PlanInjection.objects.exists()
