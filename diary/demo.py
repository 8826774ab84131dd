"""Demo clinic: two named patients with the stories the issues describe, plus a realistic crowd.

Deterministic (a fixed random seed) and relative to the clinic's today, so every screen shows a
plausible clinic on the day `make run` is first started.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Clinic, User
from diary.flagging import flags_evaluate
from diary.models import (
    DiaryEntry,
    FlagOccurrence,
    GlobalRating,
    Goal,
    GoalKind,
    GoalRating,
    Injection,
)
from diary.selectors import clinic_today
from registry.demo import registry_demo_load

CLINIC_NAME = "さくら整形外科クリニック"
PASSWORD = "diary-demo-2026"
DOCTOR_EMAIL = "doctor@example.jp"
ADMIN_EMAIL = "admin@example.jp"

NOTES = [
    "朝のこわばりが少しあります。",
    "買い物で長く歩いたら夕方に痛みが出ました。",
    "階段の下りがつらいです。",
    "膝をさわると少し熱い感じがします。",
    "今日は調子が良く、散歩を30分できました。",
    "夜中に痛みで一度目が覚めました。",
    "",
]


@dataclass
class Day:
    """One planned diary day; values may be adjusted by a scenario before saving."""

    pain: int
    swelling: int = 0
    warmth: int = 0
    redness: str = "none"
    weight_bearing: str = "full"
    temperature_c: Decimal | None = None
    feverish: bool = False
    unwell: bool = False
    night_pain: int | None = None
    exercise_minutes: int | None = None
    painkiller: bool = False
    notes: str = ""


@dataclass
class Story:
    email: str
    name: str
    number: str
    birth_year: int
    joint: str
    side: str
    agent: str
    injected_days_ago: tuple[int, ...]  # one per injection of the course, oldest first
    baseline_days: int = 0
    history_days: int = 0  # days of diary after the first injection (up to today)
    baseline_pain: int = 6
    response: float = 0.5  # share of pain gone by the end of the story
    gap_chance: float = 0.1
    stops_logging_days_ago: int = 0
    tweak: str = ""


def _stories() -> list[Story]:
    return [
        Story(
            "patient@example.jp",
            "佐藤 花子",
            "P-0001",
            1956,
            "knee",
            "left",
            "hyaluronic_acid",
            (10,),
            baseline_days=4,
            history_days=10,
            baseline_pain=6,
            response=0.45,
            gap_chance=0.0,
            tweak="usual_reaction",
        ),
        Story(
            "patient2@example.jp",
            "鈴木 一郎",
            "P-0002",
            1949,
            "knee",
            "right",
            "hyaluronic_acid",
            (6,),
            baseline_days=3,
            history_days=5,
            baseline_pain=5,
            response=0.2,
            gap_chance=0.0,
            tweak="infection_signs",
        ),
        Story(
            "takahashi@example.jp",
            "高橋 幸子",
            "P-0003",
            1952,
            "knee",
            "left",
            "corticosteroid",
            (21,),
            baseline_days=7,
            history_days=21,
            response=0.7,
        ),
        Story(
            "tanaka@example.jp",
            "田中 健",
            "P-0004",
            1958,
            "hip",
            "right",
            "hyaluronic_acid",
            (35,),
            baseline_days=5,
            history_days=35,
            response=0.35,
        ),
        Story(
            "ito@example.jp",
            "伊藤 美和",
            "P-0005",
            1961,
            "knee",
            "both",
            "prp",
            (14,),
            baseline_days=7,
            history_days=14,
            response=0.5,
            gap_chance=0.3,
        ),
        Story(
            "watanabe@example.jp",
            "渡辺 誠",
            "P-0006",
            1950,
            "knee",
            "right",
            "hyaluronic_acid",
            (19, 12),
            baseline_days=6,
            history_days=19,
            response=0.4,
        ),
        Story(
            "yamamoto@example.jp",
            "山本 恵子",
            "P-0007",
            1947,
            "hip",
            "left",
            "corticosteroid",
            (12,),
            baseline_days=4,
            history_days=12,
            response=0.5,
            stops_logging_days_ago=5,
        ),
        Story(
            "nakamura@example.jp",
            "中村 勇",
            "P-0008",
            1955,
            "knee",
            "left",
            "cell_therapy",
            (42,),
            baseline_days=7,
            history_days=42,
            response=0.55,
        ),
        Story(
            "kobayashi@example.jp",
            "小林 由美",
            "P-0009",
            1959,
            "knee",
            "right",
            "hyaluronic_acid",
            (8,),
            baseline_days=3,
            history_days=8,
            response=0.0,
            tweak="not_easing",
        ),
        Story(
            "kato@example.jp",
            "加藤 清",
            "P-0010",
            1944,
            "hip",
            "right",
            "prp",
            (50,),
            baseline_days=5,
            history_days=50,
            response=0.3,
            gap_chance=0.2,
        ),
        Story(
            "yoshida@example.jp",
            "吉田 直子",
            "P-0011",
            1963,
            "knee",
            "left",
            "hyaluronic_acid",
            (9,),
            baseline_days=2,
            history_days=9,
            response=0.4,
            tweak="cannot_bear_weight",
        ),
        Story(
            "yamada@example.jp",
            "山田 浩",
            "P-0012",
            1957,
            "knee",
            "right",
            "corticosteroid",
            (25,),
            baseline_days=7,
            history_days=25,
            response=0.65,
        ),
        Story(
            "sasaki@example.jp",
            "佐々木 明美",
            "P-0013",
            1953,
            "knee",
            "left",
            "hyaluronic_acid",
            (30,),
            baseline_days=7,
            history_days=30,
            response=0.15,
        ),
        Story(
            "yamaguchi@example.jp",
            "山口 隆",
            "P-0014",
            1960,
            "hip",
            "left",
            "other",
            (11,),
            baseline_days=4,
            history_days=11,
            response=0.3,
            tweak="feverish_once",
        ),
        Story(
            "matsumoto@example.jp",
            "松本 真理",
            "P-0015",
            1951,
            "knee",
            "right",
            "hyaluronic_acid",
            (56,),
            baseline_days=7,
            history_days=56,
            response=0.6,
            gap_chance=0.15,
        ),
        Story(
            "inoue@example.jp",
            "井上 和子",
            "P-0016",
            1948,
            "knee",
            "left",
            "corticosteroid",
            (4,),
            baseline_days=7,
            history_days=4,
            response=0.3,
        ),
        Story(
            "mori@example.jp",
            "森 節子",
            "P-0017",
            1945,
            "knee",
            "right",
            "corticosteroid",
            (4,),
            baseline_days=7,
            history_days=4,
            baseline_pain=4,
            gap_chance=0.0,
            tweak="hot_swollen_joint",
        ),
    ]


# How the clinic reaches each demo patient: the name in kana and clearly fictional numbers
# (0000 in the middle); a second number with whose it is for some, none at all for one.
CONTACTS: dict[str, dict[str, str]] = {
    "patient@example.jp": {"name_kana": "サトウ　ハナコ", "phone": "090-0000-0001"},
    "patient2@example.jp": {
        "name_kana": "スズキ　イチロウ",
        "phone": "090-0000-0002",
        "phone2": "080-0000-1002",
        "phone2_label": "長女",
    },
    "takahashi@example.jp": {"name_kana": "タカハシ　サチコ", "phone": "03-0000-0003"},
    "tanaka@example.jp": {"name_kana": "タナカ　ケン", "phone": "090-0000-0004"},
    "ito@example.jp": {"name_kana": "イトウ　ミワ", "phone": "080-0000-0005"},
    "watanabe@example.jp": {"name_kana": "ワタナベ　マコト", "phone": "090-0000-0006"},
    "yamamoto@example.jp": {
        "name_kana": "ヤマモト　ケイコ",
        "phone": "03-0000-0007",
        "phone2": "090-0000-1007",
        "phone2_label": "次男",
    },
    "nakamura@example.jp": {"name_kana": "ナカムラ　イサム", "phone": "090-0000-0008"},
    "kobayashi@example.jp": {"name_kana": "コバヤシ　ユミ", "phone": "070-0000-0009"},
    "kato@example.jp": {
        "name_kana": "カトウ　キヨシ",
        "phone": "03-0000-0010",
        "phone2": "090-0000-1010",
        "phone2_label": "妻",
    },
    "yoshida@example.jp": {"name_kana": "ヨシダ　ナオコ", "phone": "090-0000-0011"},
    "yamada@example.jp": {"name_kana": "ヤマダ　ヒロシ", "phone": "080-0000-0012"},
    "sasaki@example.jp": {"name_kana": "ササキ　アケミ", "phone": "090-0000-0013"},
    "yamaguchi@example.jp": {"name_kana": "ヤマグチ　タカシ"},  # no number yet: "Add one"
    "matsumoto@example.jp": {"name_kana": "マツモト　マリ", "phone": "090-0000-0015"},
    "inoue@example.jp": {"name_kana": "イノウエ　カズコ", "phone": "03-0000-0016"},
    "mori@example.jp": {
        "name_kana": "モリ　セツコ",
        "phone": "03-0000-0017",
        "phone2": "090-0000-1017",
        "phone2_label": "長男",
    },
}


def _plan(story: Story, rng: random.Random) -> dict[int, Day]:
    """Diary values keyed by days ago: baseline, a short reaction, then the story's response."""
    first = story.injected_days_ago[0]
    injections = sorted(story.injected_days_ago, reverse=True)
    days: dict[int, Day] = {}
    for ago in range(first + story.baseline_days, first - story.history_days - 1, -1):
        if ago < 0:
            break
        before = [inj for inj in injections if inj >= ago]
        day_n = (before[-1] - ago) if before else None
        if day_n is None:
            pain = story.baseline_pain + rng.choice([-1, 0, 0, 1])
            swelling, warmth = rng.choice([0, 1, 1]), 0
        else:
            progress = min(1.0, (first - ago) / max(story.history_days, 14))
            pain = round(story.baseline_pain * (1 - story.response * progress))
            pain += rng.choice([-1, 0, 0, 0, 1])
            swelling = 1 if pain >= 5 else rng.choice([0, 0, 1])
            warmth = 0
            if day_n <= 2:  # the common short-lived reaction
                pain += 2 - day_n
                swelling = max(swelling, 2 - day_n if day_n < 2 else 1)
                warmth = 1 if day_n <= 1 else 0
        pain = max(0, min(10, pain))
        days[ago] = Day(
            pain=pain,
            swelling=swelling,
            warmth=warmth,
            weight_bearing="painful" if pain >= 6 else "full",
            temperature_c=Decimal(str(round(rng.uniform(36.1, 36.9), 1)))
            if rng.random() < 0.35
            else None,
            night_pain=max(0, min(10, pain + rng.choice([-2, -1, 0]))),
            exercise_minutes=rng.choice([None, 0, 10, 15, 20, 30]),
            painkiller=pain >= 6 and rng.random() < 0.6,
            notes=rng.choice(NOTES) if rng.random() < 0.25 else "",
        )
    for ago in list(days):
        if ago not in injections and rng.random() < story.gap_chance:
            del days[ago]
    if story.stops_logging_days_ago:
        for ago in range(story.stops_logging_days_ago):
            days.pop(ago, None)
    _apply_tweak(story, days)
    return days


def _apply_tweak(story: Story, days: dict[int, Day]) -> None:
    first = story.injected_days_ago[-1]
    if story.tweak == "usual_reaction":
        # Days 0–2: pain and some swelling (the common reaction), then settling steadily.
        plan = [(6, 1, 1), (5, 1, 1), (4, 1, 0), (4, 0, 0), (3, 0, 0), (3, 0, 0),
                (3, 0, 0), (2, 0, 0), (3, 0, 0), (2, 0, 0), (2, 0, 0)]  # fmt: skip
        for day_n, (pain, swelling, warmth) in enumerate(plan):
            if first - day_n < 0:
                break
            days[first - day_n] = Day(
                pain=pain, swelling=swelling, warmth=warmth,
                weight_bearing="painful" if pain >= 5 else "full", night_pain=max(0, pain - 1),
                temperature_c=Decimal("36.6") if day_n <= 2 else None,
                exercise_minutes=None if day_n <= 2 else 15,
            )  # fmt: skip
        days[first - 1].notes = "注射した日の夜は少し腫れて重い感じでしたが、我慢できる程度です。"
    elif story.tweak == "infection_signs":
        # Swelling rising on days 3–5, 38.3 °C on day 5 (yesterday); no entry yet today.
        days.pop(0, None)
        plan = {3: (4, 1, 1, None), 4: (5, 2, 2, Decimal("37.4")), 5: (7, 3, 2, Decimal("38.3"))}
        for day_n, (pain, swelling, warmth, temp) in plan.items():
            days[first - day_n] = Day(
                pain=pain,
                swelling=swelling,
                warmth=warmth,
                redness="present" if day_n >= 4 else "none",
                weight_bearing="painful",
                temperature_c=temp,
                feverish=day_n == 5,
                unwell=day_n == 5,
                night_pain=pain,
                painkiller=True,
            )
        days[first - 5].notes = "膝が腫れて熱を持っています。寒気もあります。"
    elif story.tweak == "not_easing":
        for day_n, pain in [(3, 5), (4, 6), (5, 7), (6, 7), (7, 8), (8, 8)]:
            if first - day_n in days:
                days[first - day_n].pain = pain
                days[first - day_n].weight_bearing = "painful"
    elif story.tweak == "cannot_bear_weight":
        if 1 in days:
            days[1].weight_bearing = "cannot"
            days[1].pain = 7
            days[1].notes = "朝、膝に体重をかけられませんでした。"
    elif story.tweak == "hot_swollen_joint":
        # No entry on days 0-3, then today (day 4): a hot, swollen, very painful knee and no
        # fever. Version 1 of the rules raised nothing; an infection often looks like this.
        for day_n in range(4):
            days.pop(first - day_n, None)
        days[first - 4] = Day(
            pain=8,
            swelling=3,
            warmth=3,
            weight_bearing="painful",
            temperature_c=Decimal("36.8"),
            night_pain=8,
            painkiller=True,
            notes="膝がパンパンに腫れて、さわると熱いです。熱はありません。",
        )
    elif story.tweak == "feverish_once" and 2 in days:
        days[2].feverish = True
        days[2].temperature_c = Decimal("37.6")


@dataclass(frozen=True)
class GoalPlan:
    """Goals agreed before the course, and how the weekly ratings turn out by the review."""

    review_after: int  # days after the first injection
    ability: tuple[tuple[str, int, int, int], ...]  # title, baseline, target, rating at review
    symptom: tuple[tuple[str, str, float, float], ...] = ()  # title, measure, baseline, target
    overall: tuple[int, int] | None = (7, 4)  # weekly overall rating at the start and at review


# Together these show every verdict: met, improved, not met, in progress; responder yes, no and
# not enough data.
GOAL_PLANS = {
    "patient@example.jp": GoalPlan(
        28, (("買い物に最後まで歩いて行く", 3, 7, 6),), (("夜の痛みを3以下に", "night_pain", 5, 3),)
    ),
    "takahashi@example.jp": GoalPlan(
        14,
        (("階段を手すりなしで降りる", 2, 6, 7), ("孫と公園を散歩する", 3, 7, 8)),
        (("痛みを3以下に", "pain", 6, 3),),
        (7, 3),
    ),
    "tanaka@example.jp": GoalPlan(28, (("30分続けて歩く", 2, 7, 5),), (), (7, 6)),
    "nakamura@example.jp": GoalPlan(
        28, (("正座ができる", 1, 5, 1),), (("夜の痛みを1以下に", "night_pain", 5, 1),), (6, 6)
    ),
    "kato@example.jp": GoalPlan(28, (("庭仕事を1時間する", 3, 6, 5),), (), None),
    "matsumoto@example.jp": GoalPlan(
        28, (("旅行で1日歩き回る", 2, 6, 6),), (("痛みを3以下に", "pain", 6, 3),), (7, 3)
    ),
}


@dataclass(frozen=True)
class DemoResult:
    created: bool
    patients: int


def demo_load() -> DemoResult:
    """Create the demo clinic once; a second run changes nothing."""
    existing = Clinic.objects.filter(name=CLINIC_NAME).first()
    if existing is not None:
        return DemoResult(False, existing.users.filter(role=User.Role.PATIENT).count())
    rng = random.Random(20261126)
    with transaction.atomic():
        clinic = Clinic.objects.create(name=CLINIC_NAME, phone="03-1234-5678")
        today = clinic_today(clinic)
        doctor = User.objects.create_user(
            DOCTOR_EMAIL, PASSWORD, name="山田 太郎", role=User.Role.CLINICIAN, clinic=clinic
        )
        User.objects.create_user(
            ADMIN_EMAIL,
            PASSWORD,
            name="木村 事務長",
            role=User.Role.CLINIC_ADMIN,
            clinic=clinic,
            is_staff=True,
        )
        stories = _stories()
        for story in stories:
            patient = _create_patient(story, clinic, doctor, today, rng)
            flags_evaluate(patient=patient, today=today)
        # A PRP plan, its patients and two serious adverse events (registry/demo.py).
        registry_demo_load(clinic=clinic, doctor=doctor, today=today)
        # The demo's flags are history: nobody needs an e-mail about them.
        FlagOccurrence.objects.filter(flag__patient__clinic=clinic).update(
            notified_at=timezone.now()
        )
    return DemoResult(True, len(stories))


def _create_patient(story: Story, clinic: Clinic, doctor: User, today: date, rng) -> User:
    patient = User.objects.create_user(
        story.email,
        PASSWORD,
        name=story.name,
        role=User.Role.PATIENT,
        clinic=clinic,
        patient_number=story.number,
        birth_date=date(story.birth_year, 4, 1),
        **CONTACTS.get(story.email, {}),
    )
    total = len(story.injected_days_ago)
    for number, ago in enumerate(story.injected_days_ago, start=1):
        Injection.objects.create(
            patient=patient,
            day=today - timedelta(days=ago),
            joint=story.joint,
            side=story.side,
            agent=story.agent,
            course_number=number,
            course_total=total if total > 1 else None,
            given_by=doctor.name,
            created_by=doctor,
        )
    DiaryEntry.objects.bulk_create(
        DiaryEntry(
            patient=patient,
            day=today - timedelta(days=ago),
            created_at=_evening(today - timedelta(days=ago), clinic),
            updated_at=_evening(today - timedelta(days=ago), clinic),
            **vars(values),
        )
        for ago, values in sorted(_plan(story, rng).items(), reverse=True)
    )
    if story.email in GOAL_PLANS:
        _create_goals(patient, GOAL_PLANS[story.email], doctor, today)
    return patient


def _evening(day: date, clinic: Clinic) -> datetime:
    """Patients mostly fill in the diary in the evening; never later than now."""
    return min(timezone.now(), datetime.combine(day, time(20, 30), tzinfo=clinic.tz))


def _create_goals(patient: User, plan: GoalPlan, doctor: User, today: date) -> None:
    injection = patient.injections.order_by("day").first()
    review = injection.day + timedelta(days=plan.review_after)
    rating_days = [
        injection.day + timedelta(days=offset)
        for offset in range(-3, plan.review_after + 1, 7)
        if injection.day + timedelta(days=offset) <= today
    ]

    def at(day: date, start: int, end: int) -> int:
        share = min(1.0, max(0.0, (day - injection.day).days / plan.review_after))
        return round(start + (end - start) * share)

    for title, baseline, target, reached in plan.ability:
        goal = Goal.objects.create(
            patient=patient, injection=injection, kind=GoalKind.ABILITY, title=title,
            baseline=baseline, target=target, review_date=review, created_by=doctor,
        )  # fmt: skip
        GoalRating.objects.bulk_create(
            GoalRating(goal=goal, day=day, value=at(day, baseline, reached)) for day in rating_days
        )
    for title, measure, baseline, target in plan.symptom:
        Goal.objects.create(
            patient=patient, injection=injection, kind=GoalKind.SYMPTOM, title=title,
            measure=measure, baseline=baseline, target=target, review_date=review,
            created_by=doctor,
        )  # fmt: skip
    if plan.overall is not None:
        GlobalRating.objects.bulk_create(
            GlobalRating(patient=patient, day=day, value=at(day, *plan.overall))
            for day in rating_days
        )


def demo_logins() -> list[tuple[str, str]]:
    return [
        (DOCTOR_EMAIL, "clinician"),
        (ADMIN_EMAIL, "clinic admin"),
        ("patient@example.jp", "patient: usual short reaction that settled"),
        ("patient2@example.jp", "patient: swelling rising, 38.3 °C yesterday"),
        ("mori@example.jp", "patient: hot, swollen, very painful knee on day 4, no fever"),
    ]
