"""The entries table on the clinician's patient page (issue 19, item 7): abnormal values marked
with a symbol and words (never colour alone), normal ones not; notes without stray blank lines;
a table that scrolls in its own box on a narrow screen."""

import re
from decimal import Decimal

import pytest

from tests.factories import days_ago, make_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(clinician):
    clinician.language = "en"
    clinician.save(update_fields=["language"])


def row_of(content: str, day) -> str:
    return content.split(f'data-day="{day.isoformat()}"')[1].split("</tr>")[0]


def cell(row: str, field: str) -> str:
    return row.split(f'data-field="{field}">')[1].split("</td>")[0]


def page(client, patient) -> str:
    return client.get(f"/clinic/patients/{patient.public_id}/").content.decode()


def test_a_fever_is_marked_with_a_symbol_and_words_and_a_normal_day_is_not(
    clinician_client, patient, english
):
    make_entry(patient, day=days_ago(1), temperature_c=Decimal("36.8"), pain=3)
    make_entry(patient, day=days_ago(0), temperature_c=Decimal("38.2"), pain=8, redness="present")
    content = page(clinician_client, patient)

    hot = row_of(content, days_ago(0))
    assert cell(hot, "temperature_c") == (
        '<span class="value-abnormal"><span class="value-mark" aria-hidden="true">!</span>38.2'
        '<span class="visually-hidden"> (at a warning-sign threshold)</span></span>'
    )
    assert "(at a warning-sign threshold)" in cell(hot, "pain")
    assert "(at a warning-sign threshold)" in cell(hot, "redness")
    assert "value-abnormal" not in cell(hot, "swelling")  # 1 of 3

    normal = row_of(content, days_ago(1))
    assert "value-abnormal" not in normal and "warning-sign threshold" not in normal
    assert cell(normal, "temperature_c") == "36.8"
    # The legend says what the mark means, with the clinic's own fever threshold.
    assert "temperature 37.5 °C or more." in content


def test_the_clinics_own_fever_threshold_decides(clinician_client, clinic, patient, english):
    clinic.fever_caution_c = Decimal("37.8")
    clinic.save(update_fields=["fever_caution_c"])
    make_entry(patient, day=days_ago(0), temperature_c=Decimal("37.6"))
    content = page(clinician_client, patient)
    assert "value-abnormal" not in cell(row_of(content, days_ago(0)), "temperature_c")
    assert "temperature 37.8 °C or more." in content


def test_a_note_shows_without_its_blank_lines(clinician_client, patient, english):
    make_entry(patient, day=days_ago(0), notes="\n\nKnee hot\n\n\nworse at night\n\n")
    notes = row_of(page(clinician_client, patient), days_ago(0)).split('class="entry-notes">')[1]
    assert notes.startswith('<span class="entry-note">Knee hot<br>worse at night</span>')


def test_a_note_stays_escaped(clinician_client, patient):
    make_entry(patient, day=days_ago(0), notes="<script>alert(1)</script>\n<b>x</b>")
    content = page(clinician_client, patient)
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>&lt;b&gt;x&lt;/b&gt;" in content


def test_the_table_scrolls_in_its_own_box_that_a_keyboard_can_reach(
    clinician_client, patient, english
):
    make_entry(patient, day=days_ago(0))
    content = page(clinician_client, patient)
    assert re.search(
        r'<div class="table-responsive" role="region" aria-label="Table of the diary entries" '
        r'tabindex="0">\s*<table class="table table-sm align-middle entries">',
        content,
    )
