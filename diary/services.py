"""Writes to the diary. Each service validates, runs inside one transaction and returns the result.

Views call these; nothing else writes DiaryEntry or Injection rows.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.models import User
from diary.alerts import urgent_alerts_on_commit
from diary.flagging import FlagChanges, flags_evaluate
from diary.models import (
    ENTRY_FIELDS,
    INJECTION_FIELDS,
    MAX_GOALS_PER_COURSE,
    DiaryEntry,
    DiaryEntryVersion,
    EntrySubmission,
    GlobalRating,
    Goal,
    GoalRating,
    Injection,
)


@dataclass(frozen=True)
class EntrySaveResult:
    entry: DiaryEntry
    created: bool
    changed_fields: tuple[str, ...]
    flags: FlagChanges
    # The form was sent before with this key and these answers: nothing was written again.
    duplicate: bool = False


class EntryChanged(Exception):
    """The day's entry changed after the form was loaded: the patient chooses, nothing saved.

    `entry` is the stored entry as it is now.
    """

    def __init__(self, entry: DiaryEntry):
        super().__init__(f"The entry of {entry.day} changed after the form was loaded.")
        self.entry = entry


@dataclass(frozen=True)
class _Claim:
    submission: EntrySubmission | None = None
    earlier: EntrySubmission | None = None  # the first sending, when this one is a retry
    # The key's own earlier save, when it comes back with other answers: the version the
    # answers are judged by is the one that save left, not the (older) one the form was loaded at.
    saved_version: str = ""


def entry_save(
    *,
    patient: User,
    day: date,
    values: dict,
    saved_by: User,
    via_clinic_link: bool = False,
    submission_id: uuid.UUID | None = None,
    loaded_version: str | None = None,
    answers_revision: int | None = None,
) -> EntrySaveResult:
    """Create or update the patient's single entry for `day`, then re-run the red-flag rules.

    Saving a day again updates that one entry and keeps the previous values as a version.
    `via_clinic_link`: saved in a session opened by a link the clinic sent for the existing
    account (staff may have used it); the new entry or the version says so.
    A concurrent save of the same day (double click, two tabs) ends as an update, not an error:
    the database's unique constraint decides who created the row, the other one updates it.
    The rules run in the same transaction; urgent flags e-mail the clinic after it commits.

    `submission_id`: the key of this sending of the form. A key the patient used before for
    the same day and the same answers (a retry) writes nothing and runs no rules: the result
    has `duplicate` set and the entry that sending saved. Two sendings at once with one key:
    the unique constraint lets one through. The key sent again with other answers (the
    patient went Back and corrected their own save) is an update while the entry is still as
    that key's save left it, and a conflict when it changed since. None: no such check.
    `loaded_version`: the entry's `version_token()` when the form was loaded ("" when the day
    had no entry). When the entry has changed since, and the answers differ from it,
    `EntryChanged` is raised and nothing is saved. None: not checked (an old form).
    `answers_revision`: which answers under the key these are (the phone counts up when the
    patient changes answers it keeps under one key). Lower than the key's saved answers: a
    sending delayed on the way and overtaken by the correction; like a retry it writes
    nothing (`duplicate`), so the older answers never come back. None: not checked.
    """
    unknown = set(values) - set(ENTRY_FIELDS)
    if unknown:
        raise ValueError(f"Not diary fields: {sorted(unknown)}")
    digest = answers_digest(values)
    with transaction.atomic():
        claim = _submission_claim(patient, day, submission_id, digest, answers_revision)
        if claim.earlier is not None:
            return EntrySaveResult(claim.earlier.entry, False, (), FlagChanges(), duplicate=True)
        if claim.saved_version and loaded_version is not None:
            loaded_version = claim.saved_version
        entry, created, changed = _entry_create_or_update(
            patient, day, values, saved_by, via_clinic_link, loaded_version
        )
        if claim.submission is not None:
            # A correction makes these answers the key's own: the same ones sent again are a
            # retry of it, and a further correction is judged by the version it left.
            claim.submission.entry = entry
            claim.submission.answers_digest = digest
            claim.submission.saved_version = entry.version_token()
            # A sending without a count (the page without its script) keeps the key's count.
            claim.submission.answers_revision = _newest(
                claim.submission.answers_revision, answers_revision
            )
            claim.submission.save(
                update_fields=["entry", "answers_digest", "saved_version", "answers_revision"]
            )
        # Only the days this entry can change are judged again (the same rows as a full run).
        flags = flags_evaluate(patient=patient, changed_days=[day])
        urgent_alerts_on_commit(flags.newly_urgent)
    return EntrySaveResult(entry, created, changed, flags)


def answers_digest(values: dict) -> str:
    """The same for the same answers: an HMAC-SHA256 of their JSON with the server's secret
    (a bare hash of a few scores and a short note could be guessed back)."""
    text = json.dumps({name: values.get(name) for name in sorted(values)}, default=str)
    return salted_hmac("diary.entry_submission", text, algorithm="sha256").hexdigest()


def _submission_claim(patient, day, key, digest, revision=None) -> _Claim:
    """Record this sending's key, or find the earlier sending that used it.

    The key is claimed first, before anything else is written or locked, so a second sending
    with it waits here for the first one's transaction and then finds it (the earlier row is
    locked, so two corrections with one key take turns).
    """
    if key is None:
        return _Claim()
    try:
        with transaction.atomic():
            submission = EntrySubmission.objects.create(
                patient=patient, key=key, day=day, answers_digest=digest, answers_revision=revision
            )
        return _Claim(submission=submission)
    except IntegrityError:
        earlier = (
            EntrySubmission.objects.select_for_update(of=("self",))
            .select_related("entry")
            .filter(patient=patient, key=key)
            .first()
        )
    retry = earlier is not None and earlier.entry is not None and earlier.day == day
    newer = _overtaken(earlier.answers_revision, revision) if earlier else False
    changed_since = retry and earlier.entry.version_token() != earlier.saved_version
    if retry and earlier.answers_digest == digest and not (newer and changed_since):
        newest = _newest(earlier.answers_revision, revision)
        if newest != earlier.answers_revision:
            # The saved answers again, by a newer count (changed on the phone and back): they
            # are the newest, so a sending of the answers in between, arriving later, is older.
            earlier.answers_revision = newest
            earlier.save(update_fields=["answers_revision"])
        return _Claim(earlier=earlier)
    # The saved answers again by a newer count, but the day was changed since (on another
    # device): the patient's newest answers are judged as a correction below (a conflict).
    if retry and _overtaken(revision, earlier.answers_revision):
        # Answers the patient has corrected since, arriving late: the saved ones are newer.
        return _Claim(earlier=earlier)
    if retry and earlier.saved_version:
        # The same form sent again with other answers (Back and a typo fixed, a timed-out
        # sending that did arrive, then edited): the patient corrects their own save. It is
        # judged by the version that save left, so only a change made since is a conflict.
        return _Claim(submission=earlier, saved_version=earlier.saved_version)
    # A key saved before its saved version was kept: judged by the version the form was
    # loaded with, like any other.
    return _Claim()


def _overtaken(revision: int | None, saved_revision: int | None) -> bool:
    """Whether answers counted `revision` are older than those counted `saved_revision`."""
    return revision is not None and saved_revision is not None and revision < saved_revision


def _newest(saved_revision: int | None, revision: int | None) -> int | None:
    if revision is None or saved_revision is None:
        return revision if saved_revision is None else saved_revision
    return max(saved_revision, revision)


def _entry_create_or_update(
    patient, day, values, saved_by, via_clinic_link=False, loaded_version=None
):
    entry = DiaryEntry.objects.select_for_update().filter(patient=patient, day=day).first()
    _entry_conflict_check(entry, values, loaded_version)
    if entry is None:
        try:
            with transaction.atomic():
                entry = DiaryEntry(
                    patient=patient, day=day, created_via_clinic_link=via_clinic_link, **values
                )
                # One entry per day is left to the database: a row saved meanwhile by another
                # request raises IntegrityError below (not a ValidationError here) and this
                # save becomes an update.
                _entry_validate(entry)
                entry.save()
            return entry, True, tuple(values)
        except IntegrityError:
            entry = DiaryEntry.objects.select_for_update().get(patient=patient, day=day)
            # Saved meanwhile by another request: newer than a form loaded on an empty day.
            _entry_conflict_check(entry, values, loaded_version)
    return entry, False, _entry_update(entry, values, saved_by, via_clinic_link)


def _entry_conflict_check(entry, values, loaded_version) -> None:
    """Raise EntryChanged when the stored entry is newer than the form and says otherwise.

    Called with the day's row locked. Answers that equal the stored ones are no conflict.
    """
    if loaded_version is None or entry is None or loaded_version == entry.version_token():
        return
    stored = entry.snapshot()
    proposed = DiaryEntry(**values).snapshot()
    if any(stored[name] != proposed[name] for name in values):
        raise EntryChanged(entry)


def _entry_validate(entry: DiaryEntry) -> None:
    """Check the patient's answers; a ValidationError names the field.

    The patient and the day come from the service's own arguments, not from the answers.
    The check constraints (pain 0-10, ...) repeat the fields' own validators, which run here,
    and the database enforces them again on save; Django would check each one with a query of
    its own (seven per save), so they are not checked twice here.
    """
    entry.full_clean(exclude=["patient", "day"], validate_unique=False, validate_constraints=False)


def _entry_update(
    entry: DiaryEntry, values: dict, saved_by: User, via_clinic_link: bool = False
) -> tuple[str, ...]:
    before = entry.snapshot()
    for name, value in values.items():
        setattr(entry, name, value)
    after = entry.snapshot()
    changed = tuple(name for name in ENTRY_FIELDS if before[name] != after[name])
    if not changed:
        return ()
    _entry_validate(entry)
    DiaryEntryVersion.objects.create(
        entry=entry,
        data=before,
        changed_fields=list(changed),
        changed_by=saved_by,
        via_clinic_link=via_clinic_link,
    )
    entry.updated_at = timezone.now()
    entry.revision += 1
    entry.save(update_fields=[*changed, "updated_at", "revision"])
    return changed


def injection_save(
    *, patient: User, values: dict, recorded_by: User, injection: Injection | None = None
) -> Injection:
    """Record a new injection for the patient, or correct an existing one."""
    if injection is None:
        injection = Injection(patient=patient, created_by=recorded_by)
    elif injection.patient_id != patient.pk:
        raise ValueError("The injection belongs to another patient.")
    for name in INJECTION_FIELDS:
        if name in values:
            setattr(injection, name, values[name])
    with transaction.atomic():
        injection.full_clean()
        injection.save()
        # Day numbers changed, so the rules' findings may have too.
        urgent_alerts_on_commit(flags_evaluate(patient=patient).newly_urgent)
    return injection


GOAL_FIELDS = ("injection", "kind", "title", "measure", "baseline", "target", "review_date")


class TooManyGoals(ValueError):
    """A course has at most MAX_GOALS_PER_COURSE goals: a few that matter, not a checklist."""


def goal_set(*, patient: User, values: dict, agreed_by: User, goal: Goal | None = None) -> Goal:
    """Agree a new goal with the patient, or change an agreed one."""
    if goal is None:
        goal = Goal(patient=patient, created_by=agreed_by)
    elif goal.patient_id != patient.pk:
        raise ValueError("The goal belongs to another patient.")
    for name in GOAL_FIELDS:
        if name in values:
            setattr(goal, name, values[name])
    if goal.injection is not None and goal.injection.patient_id != patient.pk:
        raise ValueError("The injection belongs to another patient.")
    with transaction.atomic():
        # Lock the patient's row: a count takes no row locks, so two simultaneous requests could
        # otherwise both add a fifth goal.
        User.objects.select_for_update().filter(pk=patient.pk).first()
        siblings = Goal.objects.filter(patient=patient, injection=goal.injection)
        # Moving a goal to another course counts too, so exclude only the goal itself.
        if siblings.exclude(pk=goal.pk).count() >= MAX_GOALS_PER_COURSE:
            raise TooManyGoals
        goal.full_clean()
        goal.save()
    return goal


def ratings_save(
    *, patient: User, day: date, goal_values: dict[Goal, int], overall: int | None
) -> None:
    """Store this week's ratings: ability goals (PSFS 0–10) and the overall joint (0–10)."""
    with transaction.atomic():
        for goal, value in goal_values.items():
            if goal.patient_id != patient.pk:
                raise ValueError("The goal belongs to another patient.")
            GoalRating.objects.update_or_create(goal=goal, day=day, defaults={"value": value})
        if overall is not None:
            GlobalRating.objects.update_or_create(
                patient=patient, day=day, defaults={"value": overall}
            )


def user_text_size_set(*, user: User, text_size: str) -> User:
    """Remember the type size the user chose for the patient's pages (on every device)."""
    user._meta.get_field("text_size").clean(text_size, user)  # a choice, or ValidationError
    with transaction.atomic():
        user.text_size = text_size
        user.save(update_fields=["text_size"])
    return user
