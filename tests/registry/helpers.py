"""Rows for the register's tests: plans, injections under them, adverse events."""

from __future__ import annotations

from datetime import date

from accounts.models import Clinic, User
from diary.models import Injection
from registry.models import AdverseEvent, PlanInjection, TreatmentPlan
from tests.factories import TODAY, days_ago, make_injection

# A plan accepted on 15 January 2026: year 1 runs until 14 January 2027 (today is 26 November).
PLAN_ACCEPTED = date(2026, 1, 15)


def make_plan(clinic: Clinic, *, number: str = "PC3260015", **fields) -> TreatmentPlan:
    fields.setdefault("title", "PRP for knee osteoarthritis")
    fields.setdefault("agent", "prp")
    fields.setdefault("risk_class", "3")
    fields.setdefault("accepted_on", PLAN_ACCEPTED)
    fields.setdefault("committee", "Kanto certified committee")
    return TreatmentPlan.objects.create(clinic=clinic, number=number, **fields)


def treat(patient: User, plan: TreatmentPlan, *, day: date, **fields) -> Injection:
    """An injection of the plan's agent, given under the plan."""
    fields.setdefault("agent", plan.agent)
    injection = make_injection(patient, day=day, **fields)
    PlanInjection.objects.create(injection=injection, plan=plan)
    return injection


def make_event(patient: User, *, by: User, **fields) -> AdverseEvent:
    fields.setdefault("onset_on", days_ago(3))
    fields.setdefault("learned_on", days_ago(2))
    fields.setdefault("description", "Fainted after the blood draw; one night in hospital.")
    fields.setdefault("seriousness", "hospitalisation")
    fields.setdefault("relation", "possibly_related")
    fields.setdefault("outcome", "recovered")
    return AdverseEvent.objects.create(patient=patient, recorded_by=by, **fields)


def event_form_data(**overrides) -> dict:
    data = {
        "onset_on": days_ago(3).isoformat(),
        "learned_on": days_ago(2).isoformat(),
        "description": "Fainted after the blood draw; one night in hospital.",
        "seriousness": "hospitalisation",
        "relation": "possibly_related",
        "outcome": "recovered",
        "outcome_on": "",
        "injection": "",
        "plan": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


__all__ = ["TODAY", "make_event", "make_plan", "treat", "event_form_data", "PLAN_ACCEPTED"]


def reviewed_course(
    clinic: Clinic,
    email: str,
    *,
    agent: str = "prp",
    joint: str = "knee",
    pain_before: int | None = None,
    pain_after: int | None = None,
    rating: int | None = None,
    overall: tuple[int, int] | None = None,
    injected_ago: int = 40,
    review_ago: int = 10,
) -> User:
    """A patient whose course was reviewed `review_ago` days ago: an injection, an ability goal
    3 → 7, three diary days in the week before the injection (pain_before) and three in the
    week up to the review (pain_after), the goal's rating and the overall rating before and at
    the review. Leave a value None and the diary has none of it."""
    from tests.factories import make_entry, make_goal, make_patient, rate_goal, rate_overall

    patient = make_patient(email, clinic=clinic, name=email.split("@")[0].title())
    injection = make_injection(patient, day=days_ago(injected_ago), agent=agent, joint=joint)
    review = days_ago(review_ago)
    goal = make_goal(patient, injection=injection, review_date=review)
    if pain_before is not None:
        for n in (5, 4, 3):
            make_entry(patient, day=days_ago(injected_ago + n), pain=pain_before)
    if pain_after is not None:
        for n in (2, 1, 0):
            make_entry(patient, day=days_ago(review_ago + n), pain=pain_after)
    if rating is not None:
        rate_goal(goal, day=days_ago(review_ago + 1), value=rating)
    if overall is not None:
        rate_overall(patient, day=days_ago(injected_ago + 3), value=overall[0])
        rate_overall(patient, day=days_ago(review_ago + 1), value=overall[1])
    return patient


def registry_url_args(patient: User, clinic: Clinic, clinician: User) -> dict:
    """URL arguments of the register that belong to the patient (and their clinic), for the
    URL matrix (tests/security/test_url_matrix.py): a plan of the clinic, its first year, and an
    adverse event of the patient under it. The patient's injection is not under the plan."""
    plan = make_plan(clinic, accepted_on=days_ago(200))
    event = make_event(patient, by=clinician, plan=plan, description="Hanako-event-fainted")
    return {"plan_id": plan.pk, "year": 1, "event_id": event.pk}
