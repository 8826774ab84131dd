"""Demo data for the register: a PRP plan whose first year has just ended, the demo clinic's
PRP patients treated under it, one serious adverse event due in 3 days and one reported.

Called by diary.demo.demo_load once the demo patients exist; dates are relative to its today.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import Clinic, User
from diary.models import Injection
from registry.models import (
    Outcome,
    PlanAgent,
    Relation,
    ReportedTo,
    RiskClass,
    Seriousness,
)
from registry.services import (
    adverse_event_mark_reported,
    adverse_event_record,
    injection_plan_set,
    plan_save,
)

PLAN_NUMBER = "PC3250117"
PLAN_AGE_DAYS = 375  # year 1 ended 10 days ago: its periodic report is due in 80 days
PRP_PATIENTS = ("ito@example.jp", "kato@example.jp")


def registry_demo_load(*, clinic: Clinic, doctor: User, today: date) -> None:
    plan = plan_save(
        clinic=clinic,
        by=doctor,
        values={
            "number": PLAN_NUMBER,
            "title": "自己多血小板血漿（PRP）の関節内注射による変形性膝関節症・股関節症の治療",
            "agent": PlanAgent.PRP,
            "risk_class": RiskClass.CLASS_3,
            "accepted_on": today - timedelta(days=PLAN_AGE_DAYS),
            "committee": "関東再生医療等委員会（デモ）",
        },
    )
    injections = {}
    for email in PRP_PATIENTS:
        for injection in Injection.objects.filter(patient__email=email, agent="prp"):
            injection_plan_set(injection=injection, plan=plan, by=doctor)
            injections[email] = injection
    ito, kato = injections["ito@example.jp"], injections["kato@example.jp"]
    # Learned of 12 days ago, hospitalisation: 15 days, so the report is due in 3 days.
    due = adverse_event_record(
        patient=ito.patient,
        by=doctor,
        values={
            "onset_on": ito.day + timedelta(days=1),
            "learned_on": today - timedelta(days=12),
            "description": (
                "PRP採血の翌日、自宅で立ちくらみと失神（迷走神経反射の疑い）。救急搬送され、"
                "経過観察のため1泊入院。翌日退院、その後は症状なし。"
            ),
            "seriousness": Seriousness.HOSPITALISATION,
            "relation": Relation.POSSIBLY_RELATED,
            "outcome": Outcome.RECOVERED,
            "outcome_on": today - timedelta(days=11),
            "injection": ito,
        },
    )
    reported = adverse_event_record(
        patient=kato.patient,
        by=doctor,
        values={
            "onset_on": kato.day + timedelta(days=2),
            "learned_on": kato.day + timedelta(days=2),
            "description": (
                "注射後2日目に右股関節の強い痛みと38.2℃の発熱。化膿性関節炎を疑い入院。"
                "関節液の培養は陰性で、4日後に退院。"
            ),
            "seriousness": Seriousness.HOSPITALISATION,
            "relation": Relation.POSSIBLY_RELATED,
            "outcome": Outcome.RECOVERED,
            "outcome_on": kato.day + timedelta(days=6),
            "injection": kato,
        },
    )
    adverse_event_mark_reported(
        event=reported,
        reported_on=kato.day + timedelta(days=9),
        reported_to=ReportedTo.COMMITTEE,
        by=doctor,
    )
    for event in (due, reported):
        # Recorded on the day the clinic learned of it, not when the demo was loaded.
        at = datetime.combine(event.learned_on, time(17, 30), tzinfo=clinic.tz)
        type(event).objects.filter(pk=event.pk).update(
            recorded_at=min(at, timezone.now()), updated_at=min(at, timezone.now())
        )
