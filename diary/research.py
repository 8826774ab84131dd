"""A clinic's diary entries as a pseudonymous CSV for research.

One row per diary entry. No names, e-mail addresses, patient numbers, birth dates, calendar dates
or free text (notes can identify a person): the patient is a keyed hash of their opaque id, their
age a 10-year band, and time is counted in days from the injections. The rows are generated
while the response streams, so a large clinic's export is never held in memory.
"""

from __future__ import annotations

import bisect
import csv
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from django.utils.crypto import salted_hmac

from accounts.models import Clinic, User
from diary.models import ENTRY_FIELDS, DiaryEntry, Flag, FlagOccurrence, Injection, Severity
from diary.privacy import spreadsheet_text
from diary.selectors import clinic_today

# Changing the salt (or the deployment's SECRET_KEY) gives every patient a new pseudonym.
PSEUDONYM_SALT = "injection-diary.research-export.pseudonym"
PSEUDONYM_LENGTH = 16  # hex digits: 64 bits, no collisions at any clinic's size
AGE_BAND_YEARS = 10
AGE_BAND_TOP = 90  # everyone from 90 on shares one band: very old ages are rare, so identifying
CHUNK_SIZE = 2000
SEVERITY_ORDER = {Severity.INFO: 0, Severity.CAUTION: 1, Severity.URGENT: 2}

# Every diary measure; notes are left out because free text can identify a patient.
MEASURES = tuple(name for name in ENTRY_FIELDS if name != "notes")
# What each row tells of the injection it counts from (the latest on or before its day).
INJECTION_VALUES = ("joint", "side", "agent", "course_number", "course_total", "baseline_pain")
COLUMNS = (
    "patient_pseudonym",
    "age_band",
    "baseline",
    "days_since_injection",
    "days_from_first_injection",
    "joint",
    "side",
    "agent",
    "course_number",
    "course_total",
    # The pain the clinician recorded with that injection (0–10, optional).
    "pain_before_injection",
    *MEASURES,
    "flags",
    "flag_severity",
)


def research_pseudonym(public_id) -> str:
    """A stable, non-reversible id for the patient: HMAC-SHA256 of their opaque id, keyed with
    a secret derived from this deployment's SECRET_KEY, truncated."""
    digest = salted_hmac(PSEUDONYM_SALT, str(public_id), algorithm="sha256").hexdigest()
    return digest[:PSEUDONYM_LENGTH]


def age_band(birth_date: date | None, on: date) -> str:
    if birth_date is None:
        return ""
    age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    if age >= AGE_BAND_TOP:
        return f"{AGE_BAND_TOP}+"
    low = max(age, 0) // AGE_BAND_YEARS * AGE_BAND_YEARS
    return f"{low}-{low + AGE_BAND_YEARS - 1}"


def research_period(clinic: Clinic, start: str | None, end: str | None) -> tuple[date | None, date]:
    """The requested period (ISO dates, both optional; default: everything until today).

    Raises ValueError for a date that is not YYYY-MM-DD or a start after the end.
    """
    first = date.fromisoformat(start) if start else None
    last = date.fromisoformat(end) if end else clinic_today(clinic)
    if first is not None and first > last:
        raise ValueError("The period starts after it ends.")
    return first, last


def research_rows(clinic: Clinic, start: date | None, end: date) -> Iterator[list]:
    """The clinic's diary entries from `start` (None: the first) to `end`, one list per entry.

    Four queries whatever the clinic's size; the entries are read in chunks.
    """
    injections: dict[int, list[tuple]] = defaultdict(list)
    for row in (
        Injection.objects.filter(patient__clinic=clinic, patient__role=User.Role.PATIENT)
        .order_by("patient_id", "day", "id")
        .values_list("patient_id", "day", *INJECTION_VALUES)
    ):
        injections[row[0]].append(row[1:])
    injection_days = {pk: [row[0] for row in rows] for pk, rows in injections.items()}
    today = clinic_today(clinic)
    # The age band at the first injection: one band per patient, so that a birthday during the
    # diary does not show up as a change of band (which would narrow down the birth date).
    patients = {
        pk: (
            research_pseudonym(public_id),
            age_band(birth_date, injection_days[pk][0] if pk in injection_days else today),
        )
        for pk, public_id, birth_date in User.objects.filter(
            role=User.Role.PATIENT, clinic=clinic
        ).values_list("pk", "public_id", "birth_date")
    }

    days = {"day__lte": end} | ({"day__gte": start} if start else {})
    flags: dict[tuple[int, date], dict[str, str]] = defaultdict(dict)
    for patient_id, day, code, severity in (
        FlagOccurrence.objects.filter(
            flag__patient__clinic=clinic,
            flag__patient__role=User.Role.PATIENT,
            withdrawn_at__isnull=True,
            **days,
        )
        .exclude(flag__status=Flag.Status.WITHDRAWN)
        .values_list("flag__patient_id", "day", "flag__code", "severity")
    ):
        codes = flags[(patient_id, day)]
        if SEVERITY_ORDER.get(severity, -1) > SEVERITY_ORDER.get(codes.get(code), -1):
            codes[code] = severity

    entries = (
        DiaryEntry.objects.filter(patient__clinic=clinic, patient__role=User.Role.PATIENT, **days)
        .order_by("patient_id", "day")
        .values_list("patient_id", "day", *MEASURES)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    for patient_id, day, *measures in entries:
        if patient_id not in patients:  # registered while the export was running
            continue
        pseudonym, band = patients[patient_id]
        given = injection_days.get(patient_id, [])
        latest = bisect.bisect_right(given, day) - 1
        first_injection = given[0] if given else None
        if latest >= 0:
            injection_day, joint, side, agent, course_number, course_total, pain_before = (
                injections[patient_id][latest]
            )
            since = (day - injection_day).days
        else:
            joint = side = agent = course_number = course_total = pain_before = since = None
        fired = flags.get((patient_id, day), {})
        worst = max(fired.values(), key=lambda s: SEVERITY_ORDER.get(s, -1)) if fired else None
        yield [
            pseudonym,
            band,
            latest < 0,
            since,
            (day - first_injection).days if first_injection else None,
            joint,
            side,
            agent,
            course_number,
            course_total,
            pain_before,
            *measures,
            ";".join(sorted(fired)),
            worst,
        ]


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


def research_csv_lines(clinic: Clinic, start: date | None, end: date) -> Iterator[str]:
    """The CSV, line by line: UTF-8 byte-order mark and header first (for spreadsheets)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(COLUMNS)
    for row in research_rows(clinic, start, end):
        yield writer.writerow([csv_cell(value) for value in row])


def csv_cell(value) -> str:
    """One cell as text; text that a spreadsheet would run as a formula is neutralised.

    Numbers are left as numbers (a negative day count is data, not a formula).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, Decimal)):
        return str(value)
    return spreadsheet_text(str(value))
