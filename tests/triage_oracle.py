"""An independent check of the dashboard's stored triage (`PatientTriage`): what each row should
hold, computed by the database from the patient's flags and entries in SQL, while
`diary.triage` works it out in Python."""

from __future__ import annotations

from django.db.models import Case, Exists, IntegerField, Max, Min, OuterRef, Subquery, When

from accounts.models import User
from diary.models import DiaryEntry, ErasureRequest, Flag, PatientTriage
from diary.triage import GROUP_CAUTION, GROUP_NOT_LOGGING, GROUP_URGENT

STORED = ("flag_group", "urgent_since", "last_activity", "erased")
NO_ROW = (None, None, None, False)  # a patient without a row: no open flag, no entry


def stored(patient) -> tuple:
    row = PatientTriage.objects.filter(patient=patient).first()
    return tuple(getattr(row, name) for name in STORED) if row else NO_ROW


def live(patients):
    """`patients` with what their rows should hold, as `live_<field>`, computed by the database."""
    flags = Flag.objects.filter(patient=OuterRef("pk"), status="open").values("patient")
    group = Case(
        When(severity="urgent", then=GROUP_URGENT),
        When(severity="caution", then=GROUP_CAUTION),
        When(code="missed_entries", then=GROUP_NOT_LOGGING),
        output_field=IntegerField(),
    )
    urgent = flags.filter(severity="urgent")
    entries = DiaryEntry.objects.filter(patient=OuterRef("pk")).values("patient")
    done = ErasureRequest.objects.filter(patient=OuterRef("pk"), status="done")
    return patients.annotate(
        live_flag_group=Subquery(flags.annotate(v=Min(group)).values("v")),
        live_urgent_since=Subquery(urgent.annotate(v=Min("first_day")).values("v")),
        live_last_activity=Subquery(entries.annotate(v=Max("updated_at")).values("v")),
        live_erased=Exists(done),
    )


def stale(patients=None) -> list[tuple]:
    """Patients whose stored row differs from their flags and diary: (pk, stored, live)."""
    patients = patients if patients is not None else User.objects.filter(role="patient")
    found = []
    for patient in live(patients):
        should = tuple(getattr(patient, f"live_{name}") for name in STORED)
        if stored(patient) != should:
            found.append((patient.pk, stored(patient), should))
    return found
