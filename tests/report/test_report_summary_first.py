"""The visit report's summary starts with the period's red flags and its highest temperature,
before the averages (issue 19, item 7)."""

import re
from decimal import Decimal

import pytest

from tests.factories import days_ago, make_entry, make_flag, make_injection, make_patient
from tests.report import marked, squash

pytestmark = pytest.mark.django_db


@pytest.fixture
def hanako(clinic, frozen_now, clinician):
    clinician.language = "en"
    clinician.save(update_fields=["language"])
    patient = make_patient(
        "hanako.r@example.jp", clinic=clinic, name="Hanako R", patient_number="P-8"
    )
    make_injection(patient, day=days_ago(6), joint="knee", side="left", agent="hyaluronic_acid")
    return patient


def report(client, patient) -> str:
    response = client.get(f"/clinic/patients/{patient.public_id}/report/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_red_flags_and_the_highest_temperature_come_before_the_averages(
    clinician_client, clinician, hanako
):
    make_entry(hanako, day=days_ago(3), temperature_c=Decimal("37.9"))
    make_entry(hanako, day=days_ago(2), temperature_c=Decimal("38.6"))
    make_entry(hanako, day=days_ago(1), temperature_c=Decimal("38.6"))  # as high, later
    make_entry(hanako, day=days_ago(0), temperature_c=None)
    make_flag(hanako, code="fever", severity="urgent", first_day=days_ago(2), last_day=days_ago(1))
    make_flag(
        hanako, code="not_easing", severity="caution", first_day=days_ago(3),
        acknowledged_by=clinician, action="called",
    )  # fmt: skip
    make_flag(hanako, code="unwell", severity="caution", first_day=days_ago(1), status="withdrawn")

    content = report(clinician_client, hanako)

    order = [element.attrs["data-summary"] for element in marked(content, "data-summary")]
    assert order[:4] == ["flags", "highest-temperature", "pain-baseline", "pain-follow-up"]
    summary = content.split('id="summary-heading"')[1].split("</dl>")[0]
    terms = [squash(term) for term in re.findall(r"<dt>(.*?)</dt>", summary, re.S)]
    assert terms[:3] == [
        "Red flags in this period", "Highest temperature", "Pain before the injection"
    ]  # fmt: skip
    [flags] = marked(content, "data-summary", "flags")
    assert flags.text == (
        "◆ Caution Not easing 11/23 · Acknowledged ▲ Urgent Fever 11/24–11/25 · Open"
    )
    [hottest] = marked(content, "data-summary", "highest-temperature")
    assert hottest.text == "38.6 °C (11/24; fever from 37.5 °C)"


def test_without_flags_or_temperatures_the_summary_says_so(clinician_client, hanako):
    make_entry(hanako, day=days_ago(1), temperature_c=None)
    content = report(clinician_client, hanako)
    assert marked(content, "data-summary", "flags")[0].text == "None"
    assert marked(content, "data-summary", "highest-temperature")[0].text == (
        "no temperature recorded in this period"
    )
