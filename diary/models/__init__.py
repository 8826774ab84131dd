"""The diary's models, one module per concern. Thin: fields, labels, constraints, clean()."""

from diary.models.calls import CallOutcome, CallReason
from diary.models.entries import (
    ENTRY_FIELDS,
    INJECTION_FIELDS,
    SWELLING_CHOICES,
    TEMPERATURE_MAX_C,
    TEMPERATURE_MIN_C,
    WARMTH_CHOICES,
    Agent,
    DiaryEntry,
    DiaryEntryVersion,
    EntrySubmission,
    Injection,
    Joint,
    Redness,
    Side,
    WeightBearing,
)
from diary.models.flags import Flag, FlagCode, FlagNotice, FlagOccurrence, Severity
from diary.models.goals import (
    MAX_GOALS_PER_COURSE,
    GlobalRating,
    Goal,
    GoalKind,
    GoalMeasure,
    GoalRating,
)
from diary.models.privacy import ErasureRequest
from diary.models.reminders import Reminder
from diary.models.triage import PatientTriage

__all__ = [
    "ENTRY_FIELDS",
    "INJECTION_FIELDS",
    "ErasureRequest",
    "MAX_GOALS_PER_COURSE",
    "SWELLING_CHOICES",
    "TEMPERATURE_MAX_C",
    "TEMPERATURE_MIN_C",
    "WARMTH_CHOICES",
    "Agent",
    "CallOutcome",
    "CallReason",
    "DiaryEntry",
    "DiaryEntryVersion",
    "EntrySubmission",
    "Flag",
    "FlagCode",
    "FlagNotice",
    "FlagOccurrence",
    "GlobalRating",
    "Goal",
    "GoalKind",
    "GoalMeasure",
    "GoalRating",
    "Injection",
    "Joint",
    "PatientTriage",
    "Redness",
    "Reminder",
    "Severity",
    "Side",
    "WeightBearing",
]
