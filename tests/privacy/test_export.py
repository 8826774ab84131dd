"""A patient downloads everything the diary holds about them: JSON for all of it, CSV for the
diary days. Nothing of another patient, not cached, and safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.factories import days_ago, make_entry, make_health_record

pytestmark = pytest.mark.django_db

JSON_URL = "/diary/my-data/export.json"
CSV_URL = "/diary/my-data/export.csv"
NOTE = "膝が少し腫れて、夜に痛みます"
OTHER_NOTE = "Ichiro's private note"
FORMULA = '=HYPERLINK("http://evil.example/","click")'
DIARY_FIELDS = [
    "pain",
    "swelling",
    "warmth",
    "redness",
    "weight_bearing",
    "temperature_c",
    "feverish",
    "unwell",
    "night_pain",
    "exercise_minutes",
    "painkiller",
    "notes",
]


@pytest.fixture
def record(patient, clinician):
    return make_health_record(patient, note=NOTE, clinician=clinician)


@pytest.fixture
def other_record(other_patient, clinician):
    return make_health_record(other_patient, note=OTHER_NOTE, clinician=clinician)


def download_json(client) -> dict:
    response = client.get(JSON_URL)
    assert response.status_code == 200
    return json.loads(response.content.decode("utf-8"))


def download_csv(client) -> list[list[str]]:
    response = client.get(CSV_URL)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# --- JSON -----------------------------------------------------------------------------------------


def test_the_json_names_the_patient_and_their_clinic(patient_client, patient, record):
    data = download_json(patient_client)
    assert data["format"] == "injection-diary-export"
    assert data["patient"]["name"] == "Hanako Sato"
    assert data["patient"]["email"] == "hanako@example.jp"
    assert data["patient"]["patient_number"] == "P-1"
    assert data["patient"]["clinic"] == "Sakura Clinic"


def test_the_json_holds_the_entries_with_their_earlier_versions(patient_client, record):
    data = download_json(patient_client)
    [entry] = data["diary_entries"]
    assert entry["day"] == days_ago(4).isoformat()
    assert entry["pain"] == 7
    assert entry["notes"] == f"{NOTE} (entry)"
    assert set(DIARY_FIELDS) <= set(entry)
    [edit] = entry["edits"]
    assert edit["previous"]["pain"] == 5
    assert edit["previous"]["notes"] == f"{NOTE} (before the edit)"
    assert edit["changed_fields"] == ["pain", "notes"]


def test_the_json_holds_injections_goals_ratings_and_flags(patient_client, record):
    data = download_json(patient_client)
    assert [(i["day"], i["joint"], i["notes"]) for i in data["injections"]] == [
        (days_ago(10).isoformat(), "knee", f"{NOTE} (injection)"),
        (days_ago(5).isoformat(), "knee", ""),
    ]
    [goal] = data["goals"]
    assert goal["title"] == f"{NOTE} (goal)"
    assert (goal["baseline"], goal["target"]) == ("3.0", "7.0")
    assert goal["ratings"] == [{"day": days_ago(2).isoformat(), "value": 5}]
    assert data["overall_ratings"] == [{"day": days_ago(2).isoformat(), "value": 6}]
    [flag] = data["red_flags"]
    assert (flag["code"], flag["severity"], flag["status"]) == ("fever", "urgent", "acknowledged")
    assert flag["first_day"] == days_ago(4).isoformat()


def test_the_json_keeps_japanese_text_readable(patient_client, record):
    raw = patient_client.get(JSON_URL).content.decode("utf-8")
    assert NOTE in raw  # not \\u escapes


def test_the_json_holds_nothing_of_another_patient(patient_client, record, other_record):
    raw = patient_client.get(JSON_URL).content.decode("utf-8")
    assert OTHER_NOTE not in raw
    assert "ichiro@example.jp" not in raw
    assert "Ichiro" not in raw
    data = json.loads(raw)
    assert len(data["diary_entries"]) == 1
    assert len(data["goals"]) == 1
    assert len(data["red_flags"]) == 1


def test_the_json_is_a_download_that_is_not_cached(patient_client, record):
    response = patient_client.get(JSON_URL)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="my-injection-diary.json"'
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


# --- CSV ------------------------------------------------------------------------------------------


def test_the_csv_starts_with_a_byte_order_mark_and_a_header(patient_client, record):
    response = patient_client.get(CSV_URL)
    assert response.content.startswith(b"\xef\xbb\xbf")
    header = download_csv(patient_client)[0]
    assert header == ["day", "days_since_injection", *DIARY_FIELDS]


def test_the_csv_has_one_row_per_entry_with_the_day_since_the_injection(
    patient_client, patient, record
):
    make_entry(patient, day=days_ago(12), pain=2)  # before any injection
    make_entry(patient, day=days_ago(1), pain=3)
    _header, *rows = download_csv(patient_client)
    assert [(row[0], row[1], row[2]) for row in rows] == [
        (days_ago(12).isoformat(), "", "2"),
        (days_ago(4).isoformat(), "1", "7"),  # day 1 after the injection of 5 days ago
        (days_ago(1).isoformat(), "4", "3"),
    ]


def test_the_csv_keeps_japanese_notes_intact(patient_client, record):
    _header, row = download_csv(patient_client)
    by_name = dict(zip(["day", "days_since_injection", *DIARY_FIELDS], row, strict=True))
    assert by_name["notes"] == f"{NOTE} (entry)"
    assert by_name["redness"] == "none"
    assert by_name["temperature_c"] == "36.8"


@pytest.mark.parametrize("note", [FORMULA, "+81 3 1111 2222", "-1+2", "@SUM(A1)"])
def test_a_note_that_looks_like_a_formula_is_neutralised(patient_client, patient, note):
    make_entry(patient, day=days_ago(1), notes=note)
    _header, row = download_csv(patient_client)
    assert row[-1] == "'" + note


def test_an_ordinary_note_is_left_alone(patient_client, patient):
    make_entry(patient, day=days_ago(1), notes="Walked 2 km = fine")
    _header, row = download_csv(patient_client)
    assert row[-1] == "Walked 2 km = fine"


def test_the_csv_holds_nothing_of_another_patient(patient_client, record, other_record):
    raw = patient_client.get(CSV_URL).content.decode("utf-8-sig")
    assert OTHER_NOTE not in raw
    assert len(list(csv.reader(io.StringIO(raw)))) == 2


def test_the_csv_is_a_download_that_is_not_cached(patient_client, record):
    response = patient_client.get(CSV_URL)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="my-injection-diary.csv"'
    assert "no-store" in response["Cache-Control"]


# --- who may download -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", [JSON_URL, CSV_URL, "/diary/my-data/"])
def test_an_anonymous_visitor_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize("url", [JSON_URL, CSV_URL, "/diary/my-data/"])
@pytest.mark.parametrize("who", ["clinician", "clinic_admin", "other_clinician"])
def test_clinic_staff_have_no_my_data_pages(client, request, record, who, url):
    client.force_login(request.getfixturevalue(who))
    response = client.get(url)
    assert response.status_code == 404
    assert NOTE not in response.content.decode()


def test_the_my_data_page_links_both_downloads(patient_client):
    content = patient_client.get("/diary/my-data/").content.decode()
    assert f'href="{CSV_URL}"' in content
    assert f'href="{JSON_URL}"' in content
