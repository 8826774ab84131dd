"""Every edit keeps what was there before (who, when, which fields), the clinician sees it per
day, and nothing a patient entered is hard-deleted by ordinary use."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

from diary.models import DiaryEntry, DiaryEntryVersion, Flag, FlagOccurrence
from tests.factories import FROZEN_NOW, TODAY, days_ago, entry_form_data, make_entry

pytestmark = pytest.mark.django_db

# The only URLs that remove anything: the patient asks, the clinic administrator erases.
ERASURE_URL_NAMES = {"diary:erasure_ask", "clinic:erasure_requests", "clinic:erase"}
# URLs that remove something that is not health data: a user's own passkey (a sign-in key).
NOT_HEALTH_DATA_REMOVALS = {"accounts:passkey_remove"}


def day_row_text(content: bytes, day) -> str:
    """The text of the clinician's table row for `day`, tags removed, whitespace collapsed."""
    match = re.search(rf'<tr data-day="{day.isoformat()}">(.*?)</tr>', content.decode(), re.S)
    assert match, f"no row for {day}"
    row = re.sub(r"</?bdi>", "", match.group(1))  # an isolated name is inline, no gap
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()


def staff_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def edit_three_times(patient_client, time_machine):
    """Today's entry saved at 10:00 and edited at 10:30 and 11:00 (within the idle timeout)."""
    assert patient_client.post("/diary/entry/", entry_form_data(pain="6")).status_code == 302
    time_machine.move_to(FROZEN_NOW + timedelta(minutes=30), tick=False)
    data = entry_form_data(pain="4", notes="better after resting")
    assert patient_client.post("/diary/entry/", data).status_code == 302
    time_machine.move_to(FROZEN_NOW + timedelta(minutes=60), tick=False)
    data = entry_form_data(pain="4", notes="better after resting", temperature_c="37.1")
    assert patient_client.post("/diary/entry/", data).status_code == 302


def test_every_edit_keeps_the_previous_values_with_who_when_and_which_fields(
    patient, patient_client, time_machine
):
    edit_three_times(patient_client, time_machine)

    entry = DiaryEntry.objects.get(patient=patient, day=TODAY)
    assert (entry.pain, entry.notes, entry.temperature_c) == (
        4,
        "better after resting",
        Decimal("37.1"),
    )
    first, second = DiaryEntryVersion.objects.filter(entry=entry).order_by("changed_at")
    assert first.changed_at == FROZEN_NOW + timedelta(minutes=30)
    assert first.changed_by == patient
    assert first.changed_fields == ["pain", "notes"]
    assert (first.data["pain"], first.data["notes"], first.data["temperature_c"]) == (6, "", "36.8")
    assert second.changed_at == FROZEN_NOW + timedelta(minutes=60)
    assert second.changed_by == patient
    assert second.changed_fields == ["temperature_c"]
    assert (second.data["pain"], second.data["temperature_c"]) == (4, "36.8")
    # Each version is a whole snapshot, so any earlier state can be rebuilt from it alone.
    assert set(first.data) == set(second.data) == set(entry.snapshot())


def test_the_clinician_sees_how_often_a_day_was_edited_and_the_earlier_values(
    patient, patient_client, clinician, time_machine
):
    make_entry(patient, day=days_ago(1), pain=5, notes="yesterday, untouched")
    edit_three_times(patient_client, time_machine)
    clinician.language = "en"
    clinician.save(update_fields=["language"])

    response = staff_client(clinician).get(f"/clinic/patients/{patient.public_id}/")

    assert response.status_code == 200
    today = day_row_text(response.content, TODAY)
    assert "edited 2 times" in today
    assert "2026-11-26 10:30, Hanako Sato: before pain 6; notes —" in today
    assert "2026-11-26 11:00, Hanako Sato: before temperature (°C) 36.8" in today
    yesterday = day_row_text(response.content, days_ago(1))
    assert "untouched" in yesterday
    assert "edited" not in yesterday
    assert "before" not in yesterday


def test_the_edit_count_is_shown_in_japanese_too(patient, patient_client, clinician, time_machine):
    edit_three_times(patient_client, time_machine)
    response = staff_client(clinician).get(f"/clinic/patients/{patient.public_id}/")
    assert "2 回修正" in day_row_text(response.content, TODAY)


def test_an_edit_that_removes_a_red_flag_withdraws_it_and_deletes_nothing(
    patient, patient_client, time_machine
):
    fever = entry_form_data(temperature_c="38.6")
    assert patient_client.post("/diary/entry/", fever).status_code == 302
    (flag,) = Flag.objects.filter(patient=patient, code="fever")
    assert flag.status == Flag.Status.OPEN
    time_machine.move_to(FROZEN_NOW + timedelta(minutes=5), tick=False)

    typo_fixed = entry_form_data(temperature_c="36.8")
    assert patient_client.post("/diary/entry/", typo_fixed).status_code == 302

    flag.refresh_from_db()
    assert flag.status == Flag.Status.WITHDRAWN
    assert flag.withdrawn_at == FROZEN_NOW + timedelta(minutes=5)
    (occurrence,) = FlagOccurrence.objects.filter(flag=flag)
    assert occurrence.withdrawn_at is not None
    (version,) = DiaryEntryVersion.objects.filter(entry__patient=patient)
    assert version.data["temperature_c"] == "38.6"


def _url_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_no_url_deletes_anything_except_the_clinic_administrators_erasure_flow():
    names = set(_url_names(get_resolver().url_patterns))
    app_names = {name for name in names if not name.startswith("admin:")}
    assert "diary:entry_today" in app_names  # the walk found the app's URLs
    removing = {
        name
        for name in app_names
        if any(word in name for word in ("delete", "remove", "destroy", "purge", "eras"))
    }
    assert removing == ERASURE_URL_NAMES | NOT_HEALTH_DATA_REMOVALS


def test_only_the_clinic_administrator_can_open_the_erasure_page(clinician, clinic_admin, patient):
    url = f"/clinic/patients/{patient.public_id}/erase/"
    assert staff_client(clinician).get(url).status_code == 404
    assert staff_client(clinic_admin).get(url).status_code == 200


def test_a_clinic_administrator_may_delete_nothing_in_the_admin(clinic_admin, patient):
    entry = make_entry(patient, day=TODAY)
    request = RequestFactory().get("/admin/")
    request.user = clinic_admin
    assert admin.site._registry, "no admin registered"
    for model, model_admin in admin.site._registry.items():
        assert not model_admin.has_delete_permission(request), model.__name__
    # Diary entries and their versions are not in the admin at all (read on the patient page).
    assert DiaryEntry not in admin.site._registry
    assert DiaryEntryVersion not in admin.site._registry
    assert entry.pk


def test_the_admin_refuses_to_delete_a_diary_entry(clinic_admin, patient):
    entry = make_entry(patient, day=TODAY)
    version = DiaryEntryVersion.objects.create(
        entry=entry, data=entry.snapshot(), changed_fields=["pain"], changed_by=patient
    )
    client = staff_client(clinic_admin)

    page = client.post(f"/admin/diary/diaryentry/{entry.pk}/delete/", {"post": "yes"})
    action = client.post(
        "/admin/diary/diaryentry/",
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    version_page = client.post(f"/admin/diary/diaryentryversion/{version.pk}/delete/")

    # Not in the admin (issue 16): there is no page to delete them from.
    assert page.status_code == 404
    assert version_page.status_code == 404
    assert action.status_code == 404
    assert DiaryEntry.objects.filter(pk=entry.pk).exists()
    assert DiaryEntryVersion.objects.filter(pk=version.pk).exists()
