"""The research CSV: one pseudonymous row per diary entry of the clinic, for its administrator."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AccessLog, User
from diary.models import FlagOccurrence, Injection
from diary.research import COLUMNS, age_band, research_pseudonym, research_rows
from tests.factories import (
    TODAY,
    days_ago,
    make_entry,
    make_flag,
    make_injection,
    make_patient,
    make_user,
)

pytestmark = pytest.mark.django_db

URL = reverse("clinic:research_export")


@pytest.fixture
def clinic_data(patient, other_patient, other_clinic, record):
    """Hanako's three days (conftest.record); Ichiro: a baseline day before his right-knee
    corticosteroid injection and a day after it; a patient of another clinic with one day."""
    User.objects.filter(pk=patient.pk).update(birth_date=date(1956, 3, 10))
    make_injection(
        other_patient, day=days_ago(3), joint="knee", side="right", agent="corticosteroid"
    )
    make_entry(other_patient, day=days_ago(5), pain=6, notes='=HYPERLINK("http://x")')
    make_entry(other_patient, day=days_ago(1), pain=3)
    stranger = make_patient("stranger@momiji.example.jp", clinic=other_clinic, name="Jiro Ota")
    make_injection(stranger, day=days_ago(2), joint="hip")
    make_entry(stranger, day=days_ago(1), pain=9)
    return {"stranger": stranger}


def download(client, **period):
    response = client.get(URL, period)
    assert response.status_code == 200, response.status_code
    body = b"".join(response.streaming_content).decode("utf-8")
    return response, body


def table(body: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))


def test_it_streams_a_utf8_csv_with_a_bom_and_the_header(clinic_admin_client, clinic_data):
    response, body = download(clinic_admin_client)

    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == (
        f'attachment; filename="research-export-start-{TODAY:%Y%m%d}.csv"'
    )
    assert body.startswith("\ufeff")
    header = body.removeprefix("\ufeff").splitlines()[0]
    assert header.split(",") == list(COLUMNS)
    assert "notes" not in COLUMNS


def test_one_row_per_entry_of_the_clinics_patients_only(clinic_admin_client, clinic_data):
    rows = table(download(clinic_admin_client)[1])

    assert len(rows) == 3 + 2  # Hanako's three days and Ichiro's two; not the other clinic's
    assert "9" not in [row["pain"] for row in rows]


def test_a_row_has_the_days_since_injection_the_injection_and_the_measures(
    clinic_admin_client, patient, clinic_data
):
    rows = table(download(clinic_admin_client)[1])
    hanako = [r for r in rows if r["patient_pseudonym"] == research_pseudonym(patient.public_id)]

    first = hanako[0]  # day 1 after the injection of day -5
    assert first["days_since_injection"] == "1"
    assert first["days_from_first_injection"] == "1"
    assert (first["joint"], first["side"], first["agent"]) == ("knee", "left", "hyaluronic_acid")
    assert first["course_number"] == "1"
    assert first["baseline"] == "0"
    assert (first["pain"], first["swelling"], first["warmth"]) == ("7", "2", "1")
    assert (first["redness"], first["weight_bearing"]) == ("present", "painful")
    assert first["temperature_c"] == "38.3"
    assert (first["feverish"], first["unwell"], first["painkiller"]) == ("1", "0", "1")
    assert (first["night_pain"], first["exercise_minutes"]) == ("5", "")
    assert first["age_band"] == "70-79"  # 70 at the injection
    assert [r["days_since_injection"] for r in hanako] == ["1", "2", "3"]


def test_a_day_before_the_first_injection_is_marked_baseline(
    clinic_admin_client, other_patient, clinic_data
):
    rows = table(download(clinic_admin_client)[1])
    ichiro = [
        r for r in rows if r["patient_pseudonym"] == research_pseudonym(other_patient.public_id)
    ]

    baseline, after = ichiro
    assert baseline["baseline"] == "1"
    assert baseline["days_since_injection"] == ""
    assert baseline["days_from_first_injection"] == "-2"  # a number, not neutralised text
    assert baseline["joint"] == ""
    assert after["baseline"] == "0"
    assert (after["days_since_injection"], after["agent"]) == ("2", "corticosteroid")
    assert after["age_band"] == ""  # no birth date on file


def test_the_flags_that_fired_that_day(clinic_admin_client, patient, clinic_data):
    rows = table(download(clinic_admin_client)[1])
    hanako = [r for r in rows if r["patient_pseudonym"] == research_pseudonym(patient.public_id)]

    assert [(r["flags"], r["flag_severity"]) for r in hanako] == [
        ("early_reaction;fever", "urgent"),
        ("early_reaction", "info"),
        ("", ""),
    ]


def test_a_withdrawn_occurrence_is_not_a_flag_of_the_day(clinic_admin_client, patient, clinic_data):
    FlagOccurrence.objects.filter(flag__code="fever").update(
        withdrawn_at=TODAY.isoformat() + "T00:00Z"
    )
    rows = table(download(clinic_admin_client)[1])
    assert rows[0]["flags"] == "early_reaction"


def test_the_pseudonym_is_stable_different_per_patient_and_reveals_nothing(
    clinic_admin_client, patient, other_patient, clinic_data
):
    _response, first_body = download(clinic_admin_client)
    _response, second_body = download(clinic_admin_client)
    first, second = table(first_body), table(second_body)

    assert [r["patient_pseudonym"] for r in first] == [r["patient_pseudonym"] for r in second]
    pseudonyms = {r["patient_pseudonym"] for r in first}
    assert len(pseudonyms) == 2
    assert all(len(p) == 16 and int(p, 16) >= 0 for p in pseudonyms)
    for person in (patient, other_patient):
        for mark in (
            str(person.public_id),
            person.public_id.hex,
            person.name,
            person.email,
            person.patient_number,
        ):
            assert mark not in first_body
        assert str(person.pk) not in pseudonyms
    assert "1956" not in first_body  # the birth date, only its 10-year band
    assert "Hanako-private-note" not in first_body and "HYPERLINK" not in first_body
    assert days_ago(4).isoformat() not in first_body  # no calendar dates either


def test_the_pseudonym_depends_on_the_deployments_secret(patient, settings):
    before = research_pseudonym(patient.public_id)
    settings.SECRET_KEY = "another-deployment-secret-key-0123456789-abcdefghij"
    assert research_pseudonym(patient.public_id) != before


def test_text_that_a_spreadsheet_would_run_is_neutralised(
    clinic_admin_client, patient, clinic_data
):
    # Choice fields are not constrained in the database: a bad import could put anything there.
    Injection.objects.filter(patient=patient).update(agent='=HYPERLINK("http://evil")')
    rows = table(download(clinic_admin_client)[1])
    agents = {
        r["agent"] for r in rows if r["patient_pseudonym"] == research_pseudonym(patient.public_id)
    }
    assert agents == {'\'=HYPERLINK("http://evil")'}


def test_the_period_limits_the_rows(clinic_admin_client, clinic_data):
    response, body = download(
        clinic_admin_client, **{"from": days_ago(3).isoformat(), "to": days_ago(2).isoformat()}
    )
    assert len(table(body)) == 2  # Hanako's days -3 and -2
    assert (
        f"research-export-{days_ago(3):%Y%m%d}-{days_ago(2):%Y%m%d}.csv"
        in (response["Content-Disposition"])
    )


@pytest.mark.parametrize(
    "period", [{"from": "yesterday"}, {"from": "2026-11-20", "to": "2026-11-01"}]
)
def test_an_invalid_period_is_refused_and_not_logged(clinic_admin_client, clinic_data, period):
    response = clinic_admin_client.get(URL, period)
    assert response.status_code == 400
    assert not AccessLog.objects.exists()


def test_the_export_is_written_to_the_access_log(clinic_admin_client, clinic_admin, clinic_data):
    download(clinic_admin_client)

    (row,) = AccessLog.objects.all()
    assert (row.user, row.clinic, row.patient, row.action) == (
        clinic_admin,
        clinic_admin.clinic,
        None,
        AccessLog.Action.EXPORT,
    )
    assert row.path == URL


@pytest.mark.parametrize("role", ["clinician", "patient", "other_clinician"])
def test_only_the_clinic_administrator_may_download_it(client, request, clinic_data, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(URL).status_code == 404
    assert not AccessLog.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_another_clinics_administrator_sees_only_their_clinic(
    client, other_clinic, clinic_data, frozen_now
):
    admin = make_user("admin@momiji.example.jp", clinic=other_clinic, role=User.Role.CLINIC_ADMIN)
    client.force_login(admin)

    rows = table(download(client)[1])

    assert [r["patient_pseudonym"] for r in rows] == [
        research_pseudonym(clinic_data["stranger"].public_id)
    ]
    assert (rows[0]["pain"], rows[0]["joint"]) == ("9", "hip")


def test_the_administrators_menu_links_to_it(client, clinic_admin, clinician):
    client.force_login(clinic_admin)
    assert URL.encode() in client.get(reverse("clinic:patients")).content
    client.force_login(clinician)
    assert URL.encode() not in client.get(reverse("clinic:patients")).content


def test_the_number_of_queries_does_not_grow_with_the_clinic(clinic, frozen_now):
    def queries_for_export() -> int:
        with CaptureQueriesContext(connection) as captured:
            list(research_rows(clinic, None, TODAY))
        return len(captured)

    def add_patient(n: int) -> None:
        person = make_patient(f"p{n}@example.jp", clinic=clinic, patient_number=f"N-{n}")
        make_injection(person, day=days_ago(4))
        make_entry(person, day=days_ago(2))
        flag = make_flag(person, code="fever", severity="caution", first_day=days_ago(2))
        FlagOccurrence.objects.create(flag=flag, day=days_ago(2), severity="caution")

    add_patient(0)
    few = queries_for_export()
    for n in range(1, 6):
        add_patient(n)
    assert queries_for_export() == few


@pytest.mark.parametrize(
    ("birth", "band"),
    [
        (date(1956, 3, 10), "70-79"),
        (date(1956, 12, 1), "60-69"),
        (date(1930, 1, 1), "90+"),
        (None, ""),
    ],
)
def test_age_bands(birth, band):
    assert age_band(birth, date(2026, 11, 21)) == band
