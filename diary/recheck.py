"""The re-check after a caution: the next morning the patient looks again and logs.

A caution (any code: a raised temperature, a warm red joint, not bearing weight …) fired on a
diary day D asks the patient to check again on D + 1 — on the home page and in a morning
e-mail — and says what to look at, by the finding's code. When no entry after D exists by the
clinic's evening hour of D + 1, the re-check was not done and the patient is on the clinic's
call list (diary/calls.py). A caution older than RECHECK_WINDOW_DAYS is no longer a re-check:
a patient silent that long is "not logging".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from diary import red_flags as rf
from diary.flag_text import ARM, JOINT, LEG
from diary.models import DiaryEntry, Flag, FlagOccurrence, Severity

RECHECK_WINDOW_DAYS = 7
MORNING_HOUR = 8  # the morning e-mail goes out from 8:00 clinic time (until the evening hour)

# What to look at again, by the finding's code.
TEMPERATURE = "temperature"
JOINT_SIGNS = "joint"  # swelling, warmth to the touch, redness
PAIN = "pain"
WEIGHT_BEARING = "weight_bearing"
CHECK_ORDER = (TEMPERATURE, JOINT_SIGNS, PAIN, WEIGHT_BEARING)
CHECKS_BY_CODE: dict[str, tuple[str, ...]] = {
    rf.FEVER: (TEMPERATURE, JOINT_SIGNS),  # with a sign in the joint, a fever becomes urgent
    rf.UNWELL: (TEMPERATURE, JOINT_SIGNS),
    rf.HOT_SWOLLEN_JOINT: (JOINT_SIGNS, PAIN, TEMPERATURE),
    rf.WARM_RED_JOINT: (JOINT_SIGNS, TEMPERATURE),
    rf.CANNOT_BEAR_WEIGHT: (WEIGHT_BEARING, JOINT_SIGNS),
    rf.NOT_EASING: (PAIN, JOINT_SIGNS),
}
DEFAULT_CHECKS = (TEMPERATURE, JOINT_SIGNS)  # a caution of a code added later

CHECK_WORDS = {
    TEMPERATURE: _("Measure your temperature."),
    JOINT_SIGNS: _("Look at the joint: is it swollen, warm to the touch or red?"),
    PAIN: _("Note how strong the pain is, from 0 to 10."),
    (WEIGHT_BEARING, LEG): _("Check whether you can put your weight on the leg."),
    (WEIGHT_BEARING, ARM): _("Check whether you can use the arm."),
    (WEIGHT_BEARING, JOINT): _("Check whether you can use the joint."),
}


def checks_for(codes) -> list[str]:
    """The checks for the cautions of one day, each once, in CHECK_ORDER."""
    wanted = {check for code in codes for check in CHECKS_BY_CODE.get(code, DEFAULT_CHECKS)}
    return [check for check in CHECK_ORDER if check in wanted]


def check_words(checks, limb: str = LEG) -> list:
    return [CHECK_WORDS[(check, limb) if check == WEIGHT_BEARING else check] for check in checks]


def pending_day(caution_days, last_entry_day: date | None, today: date) -> date | None:
    """The caution day still waiting for its re-check: the latest one within the window, when
    no entry was made after it. Pure: days in, day out."""
    recent = [day for day in caution_days if today - timedelta(RECHECK_WINDOW_DAYS) <= day <= today]
    if not recent:
        return None
    day = max(recent)
    if last_entry_day is not None and last_entry_day > day:
        return None
    return day


def is_overdue(day: date, local_now: datetime, evening_hour: int) -> bool:
    """Whether the re-check of a caution on `day` is late: past the evening of the next day."""
    next_day = day + timedelta(days=1)
    today = local_now.date()
    return today > next_day or (today == next_day and local_now.hour >= evening_hour)


@dataclass(frozen=True)
class Recheck:
    """A re-check the patient is asked for: the caution's day, its codes and what to look at."""

    day: date
    codes: tuple[str, ...]
    checks: tuple[str, ...]
    words: tuple  # the checks in words, for the patient's limb
    tomorrow: bool  # the caution is from today: check again tomorrow morning


def _caution_occurrences(since: date):
    return FlagOccurrence.objects.filter(
        severity=Severity.CAUTION,
        withdrawn_at__isnull=True,
        day__gte=since,
        flag__status__in=[Flag.Status.OPEN, Flag.Status.ACKNOWLEDGED],
        flag__patient__is_active=True,
    )


def caution_days_by_patient(patients_filter: dict, today: date) -> dict[int, dict[date, set]]:
    """{patient id: {caution day: {codes}}} within the window, in one query."""
    since = today - timedelta(days=RECHECK_WINDOW_DAYS)
    found: dict[int, dict[date, set]] = defaultdict(lambda: defaultdict(set))
    rows = _caution_occurrences(since).filter(
        **{f"flag__patient__{key}": value for key, value in patients_filter.items()}
    )
    for patient_id, day, code in rows.values_list("flag__patient_id", "day", "flag__code"):
        if day <= today:
            found[patient_id][day].add(code)
    return found


def last_entry_days(patient_ids) -> dict[int, date]:
    """Each patient's latest diary day, in one query."""
    rows = DiaryEntry.objects.filter(patient_id__in=list(patient_ids)).values("patient_id")
    return {row["patient_id"]: row["last"] for row in rows.annotate(last=Max("day"))}


def pending_rechecks(patients_filter: dict, today: date) -> dict[int, tuple[date, tuple]]:
    """{patient id: (caution day, codes)} of every patient matching `patients_filter` (e.g.
    {"clinic": clinic}) whose re-check is still waiting; two queries whatever the number."""
    cautions = caution_days_by_patient(patients_filter, today)
    if not cautions:
        return {}
    last_days = last_entry_days(cautions)
    pending = {}
    for patient_id, days in cautions.items():
        day = pending_day(days, last_days.get(patient_id), today)
        if day is not None:
            pending[patient_id] = (day, tuple(sorted(days[day])))
    return pending


def patient_recheck(patient, today: date, *, limb: str = LEG) -> Recheck | None:
    """The re-check the patient's home page asks for, if any."""
    found = pending_rechecks({"pk": patient.pk}, today).get(patient.pk)
    if found is None:
        return None
    day, codes = found
    checks = tuple(checks_for(codes))
    return Recheck(day, codes, checks, tuple(check_words(checks, limb)), tomorrow=day == today)
