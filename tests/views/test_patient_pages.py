"""The patient's home, the confirmation after saving, and the history."""

import re

import pytest

from diary.models import Injection
from tests.factories import TODAY, days_ago, make_entry, make_injection

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(patient):
    patient.language = "en"
    patient.save(update_fields=["language"])


def test_home_shows_the_day_since_the_injection_and_that_today_is_still_open(patient_client):
    response = patient_client.get("/diary/")
    content = response.content.decode()
    assert response.context["status"].day_number == 5
    assert 'data-day-number="5"' in content
    assert "Day 5 after the injection" in content
    assert "2026-11-21" in content
    assert "Hyaluronic acid" in content
    assert "You have not filled in today's diary yet." in content
    assert 'href="/diary/entry/"' in content


def test_home_says_when_today_is_done(patient_client, patient):
    make_entry(patient, day=TODAY)
    content = patient_client.get("/diary/").content.decode()
    assert "You have filled in today's diary." in content
    assert "You have not filled in today's diary yet." not in content


def test_home_counts_from_the_latest_injection(patient_client, patient):
    make_injection(patient, day=days_ago(1), agent="corticosteroid")
    content = patient_client.get("/diary/").content.decode()
    assert "Day 1 after the injection" in content
    assert "Corticosteroid" in content


def test_home_gives_the_short_advice_in_the_first_days(patient_client, patient):
    make_injection(patient, day=TODAY)
    content = patient_client.get("/diary/").content.decode()
    assert "Injection day" in content
    assert "Day 0" not in content
    assert "some pain and swelling is common" in content


def test_home_without_the_advice_after_day_2(patient_client):
    assert "some pain and swelling is common" not in patient_client.get("/diary/").content.decode()


def test_home_before_any_injection_explains_the_baseline(patient_client, patient):
    Injection.objects.filter(patient=patient).delete()
    content = patient_client.get("/diary/").content.decode()
    assert "No injection is recorded yet." in content
    assert "after the injection" not in content


def test_home_shows_the_clinics_phone_number(patient_client):
    assert "03-1111-2222" in patient_client.get("/diary/").content.decode()


def test_the_confirmation_shows_what_was_saved(patient_client, patient):
    make_entry(
        patient, day=days_ago(1), pain=7, redness="present", exercise_minutes=25, notes="iced it"
    )
    response = patient_client.get(f"/diary/entry/{days_ago(1)}/saved/")
    content = response.content.decode()
    assert response.context["entry"].pain == 7
    assert response.context["day_number"] == 4
    assert "7 / 10" in content
    assert "Present" in content
    assert "25 min" in content
    assert "iced it" in content
    assert 'href="/diary/entry/2026-11-25/"' in content


def test_the_confirmation_of_a_day_without_an_entry_is_not_found(patient_client):
    assert patient_client.get(f"/diary/entry/{days_ago(1)}/saved/").status_code == 404


def test_history_lists_the_latest_day_first_with_a_link_to_edit_each(patient_client, patient):
    for n in (3, 0, 1, 7):
        make_entry(patient, day=days_ago(n), pain=n)
    content = patient_client.get("/diary/history/").content.decode()
    days = re.findall(r'data-day="([\d-]+)"', content)
    assert days == ["2026-11-26", "2026-11-25", "2026-11-23", "2026-11-19"]
    for day in days:  # back to the history after saving
        assert f'href="/diary/entry/{day}/?from=history"' in content


def test_history_shows_days_before_the_injection_as_baseline(patient_client, patient):
    make_entry(patient, day=days_ago(6))  # the day before the injection
    make_entry(patient, day=days_ago(5))  # injection day
    response = patient_client.get("/diary/history/")
    rows = {row.entry.day: row for row in response.context["rows"]}
    assert rows[days_ago(6)].is_baseline
    assert rows[days_ago(5)].day_number == 0
    content = response.content.decode()
    baseline_item = content[content.index('data-day="2026-11-20"') :]
    assert "Baseline (before the injection)" in baseline_item
    assert content.count("Baseline (before the injection)") == 1


def test_history_shows_only_the_patients_own_entries(patient_client, patient, other_patient):
    make_entry(patient, day=TODAY, notes="mine")
    make_entry(other_patient, day=days_ago(2), notes="not mine")
    response = patient_client.get("/diary/history/")
    assert [row.entry.patient for row in response.context["rows"]] == [patient]
    assert b'data-day="2026-11-24"' not in response.content


def test_history_without_entries_invites_to_start(patient_client):
    content = patient_client.get("/diary/history/").content.decode()
    assert "No entries yet." in content
    assert 'href="/diary/entry/"' in content


def test_history_is_paginated_by_30(patient_client, patient):
    for n in range(35):
        make_entry(patient, day=days_ago(n))
    first = patient_client.get("/diary/history/")
    second = patient_client.get("/diary/history/?page=2")
    assert len(first.context["rows"]) == 30
    assert len(second.context["rows"]) == 5
    assert second.context["rows"][-1].entry.day == days_ago(34)


def test_home_in_japanese_names_the_day_from_the_injection(patient_client, patient):
    patient.language = "ja"
    patient.save(update_fields=["language"])
    assert "注射後5日目" in patient_client.get("/diary/").content.decode()
    make_injection(patient, day=TODAY)
    content = patient_client.get("/diary/").content.decode()
    assert "注射当日" in content and "0日目" not in content


REACTION_ADVICE = "some pain and swelling is common and settles by itself"


def test_home_in_the_first_days_gives_the_usual_reaction_advice(patient_client, patient):
    Injection.objects.filter(patient=patient).update(day=days_ago(1))
    assert REACTION_ADVICE in patient_client.get("/diary/").content.decode()


@pytest.mark.parametrize(
    "answers", [{"temperature_c": "38.5"}, {"temperature_c": "37.6"}], ids=["urgent", "caution"]
)
def test_home_never_calls_it_the_usual_reaction_beside_a_warning(patient_client, patient, answers):
    from tests.factories import save_entry

    Injection.objects.filter(patient=patient).update(day=days_ago(1))
    save_entry(patient, TODAY, **answers)
    content = patient_client.get("/diary/").content.decode()
    assert 'data-severity="' in content  # the warning is shown
    assert REACTION_ADVICE not in content
