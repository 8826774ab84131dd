"""The chart URLs: SVG with an ETag of the chart's inputs (304 on revalidation), private caching,
Japanese glyphs from IPAexGothic, and the symptom chart's data table as its text alternative."""

import re
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from matplotlib.ft2font import FT2Font

from diary.charts import japanese_font_path
from tests.factories import TODAY, days_ago, make_entry, make_goal, rate_goal, save_entry
from tests.views.html import element_text

pytestmark = pytest.mark.django_db

PATIENT_CHARTS = {
    "symptoms": "/diary/charts/symptoms.svg",
    "goals": "/diary/charts/goals.svg",
}


def clinic_chart(patient, name: str) -> str:
    return f"/clinic/patients/{patient.public_id}/charts/{name}.svg"


def in_language(user, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])


@pytest.fixture
def diary(patient):
    """A few days of diary and a goal with a rating, so both charts have something to draw."""
    injection = patient.injections.get()
    make_entry(patient, day=days_ago(7), pain=6, swelling=0)  # baseline, before the injection
    make_entry(patient, day=days_ago(4), pain=5, swelling=2, warmth=1)
    make_entry(patient, day=days_ago(1), pain=3, swelling=1, temperature_c="37.2")
    goal = make_goal(patient, injection=injection, title="Walk to the station")
    rate_goal(goal, day=days_ago(1), value=5)
    make_goal(patient, injection=injection, kind="symptom", title="Night pain at most 3")
    return patient


def glyph_id(char: str) -> str:
    """The id matplotlib gives the glyph of `char` from IPAexGothic in an SVG of paths."""
    font = FT2Font(str(japanese_font_path()))
    return f"{font.postscript_name}-{font.get_char_index(ord(char)):x}"


# --- The patient's charts ---------------------------------------------------------------------


@pytest.mark.parametrize("name", list(PATIENT_CHARTS))
def test_the_patients_chart_is_a_privately_cached_svg_with_an_etag(patient_client, diary, name):
    response = patient_client.get(PATIENT_CHARTS[name])
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert re.fullmatch(r'"[0-9a-f]{32}"', response["ETag"])
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert b"<svg" in response.content
    assert response.content.rstrip().endswith(b"</svg>")


@pytest.mark.parametrize("name", list(PATIENT_CHARTS))
def test_revalidating_with_the_etag_answers_304_without_a_body(patient_client, diary, name):
    first = patient_client.get(PATIENT_CHARTS[name])
    again = patient_client.get(PATIENT_CHARTS[name], headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert "private" in again["Cache-Control"]


def test_one_of_several_etags_matching_is_enough(patient_client, diary):
    etag = patient_client.get(PATIENT_CHARTS["symptoms"])["ETag"]
    response = patient_client.get(
        PATIENT_CHARTS["symptoms"], headers={"if-none-match": f'"0123", {etag}'}
    )
    assert response.status_code == 304


def test_an_old_etag_gets_the_chart(patient_client, diary):
    response = patient_client.get(
        PATIENT_CHARTS["symptoms"], headers={"if-none-match": '"0123456789abcdef"'}
    )
    assert response.status_code == 200
    assert b"<svg" in response.content


def test_the_same_data_gives_the_same_etag_and_the_same_bytes(patient_client, diary):
    first = patient_client.get(PATIENT_CHARTS["symptoms"])
    second = patient_client.get(PATIENT_CHARTS["symptoms"])
    assert first["ETag"] == second["ETag"]
    assert first.content == second.content


def test_a_new_diary_entry_changes_the_symptom_charts_etag(patient_client, diary):
    before = patient_client.get(PATIENT_CHARTS["symptoms"])
    make_entry(diary, day=TODAY, pain=2)
    after = patient_client.get(
        PATIENT_CHARTS["symptoms"], headers={"if-none-match": before["ETag"]}
    )
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert after.content != before.content


def test_a_new_rating_changes_the_goal_charts_etag(patient_client, diary):
    before = patient_client.get(PATIENT_CHARTS["goals"])
    rate_goal(diary.goals.get(kind="ability"), day=TODAY, value=7)
    after = patient_client.get(PATIENT_CHARTS["goals"], headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]


@pytest.mark.parametrize("name", list(PATIENT_CHARTS))
def test_the_language_changes_the_etag(patient_client, diary, name):
    in_language(diary, "en")
    english = patient_client.get(PATIENT_CHARTS[name])
    in_language(diary, "ja")
    japanese = patient_client.get(PATIENT_CHARTS[name], headers={"if-none-match": english["ETag"]})
    assert japanese.status_code == 200
    assert japanese["ETag"] != english["ETag"]


def test_japanese_labels_are_drawn_with_ipaexgothic(patient_client, diary):
    in_language(diary, "ja")
    svg = patient_client.get(PATIENT_CHARTS["symptoms"]).content.decode()
    for char in "痛腫熱体温注射目":  # 痛み, 腫れ, 熱感, 体温, 注射, n日目
        assert f'id="{glyph_id(char)}"' in svg, char


def test_the_japanese_goal_chart_draws_the_goal_title_with_ipaexgothic(patient_client, patient):
    make_goal(patient, injection=patient.injections.get(), title="階段を上る")
    svg = patient_client.get(PATIENT_CHARTS["goals"]).content.decode()
    for char in "階段評価目標":  # the title, 評価 (0–10), 目標
        assert f'id="{glyph_id(char)}"' in svg, char


def test_the_english_chart_has_no_japanese_glyphs(patient_client, diary):
    in_language(diary, "en")
    svg = patient_client.get(PATIENT_CHARTS["symptoms"]).content.decode()
    assert f'id="{glyph_id("痛")}"' not in svg
    assert f'id="{glyph_id("P")}"' in svg  # "Pain", from the same font


def test_a_patient_without_entries_still_gets_a_chart(patient_client):
    response = patient_client.get(PATIENT_CHARTS["symptoms"])
    assert response.status_code == 200
    assert b"<svg" in response.content


@pytest.mark.parametrize("name", list(PATIENT_CHARTS))
def test_clinic_staff_get_not_found_on_the_patients_chart_urls(clinician_client, diary, name):
    assert clinician_client.get(PATIENT_CHARTS[name]).status_code == 404


@pytest.mark.parametrize("name", list(PATIENT_CHARTS))
def test_an_anonymous_visitor_is_sent_to_sign_in(client, diary, name):
    response = client.get(PATIENT_CHARTS[name])
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert b"<svg" not in response.content


# --- The clinician's charts of a patient ---------------------------------------------------------


@pytest.mark.parametrize("name", ["symptoms", "goals"])
def test_the_clinician_gets_the_charts_of_their_clinics_patient(clinician_client, diary, name):
    response = clinician_client.get(clinic_chart(diary, name))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "private" in response["Cache-Control"]
    again = clinician_client.get(
        clinic_chart(diary, name), headers={"if-none-match": response["ETag"]}
    )
    assert again.status_code == 304
    assert again.content == b""


def test_the_clinician_sees_the_same_chart_as_the_patient_in_the_same_language(
    client, clinician, diary
):
    client.force_login(diary)
    own = client.get(PATIENT_CHARTS["symptoms"])
    client.force_login(clinician)
    clinics = client.get(clinic_chart(diary, "symptoms"))
    assert clinics["ETag"] == own["ETag"]
    assert clinics.content == own.content


@pytest.mark.parametrize("name", ["symptoms", "goals"])
def test_a_clinician_of_another_clinic_gets_not_found(other_clinician_client, diary, name):
    response = other_clinician_client.get(clinic_chart(diary, name))
    assert response.status_code == 404
    assert b"<svg" not in response.content


@pytest.mark.parametrize("name", ["symptoms", "goals"])
def test_a_patient_gets_not_found_on_the_clinic_chart_urls(patient_client, diary, name):
    response = patient_client.get(clinic_chart(diary, name))
    assert response.status_code == 404
    assert b"<svg" not in response.content


@pytest.mark.parametrize("name", ["symptoms", "goals"])
def test_an_anonymous_visitor_is_sent_to_sign_in_from_the_clinic_chart(client, diary, name):
    response = client.get(clinic_chart(diary, name))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


# --- The text alternative ---------------------------------------------------------------------


def chart_table_rows(content: bytes) -> list[list[str]]:
    """The cells of each body row of `details.chart-table`, whitespace collapsed."""
    text = content.decode()
    details = re.search(r'<details class="[^"]*\bchart-table\b[^"]*">(.*?)</details>', text, re.S)
    assert details, "no details.chart-table on the page"
    body = details.group(1).split("<tbody>", 1)[1]
    return [
        [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip() for cell in cells]
        for cells in (
            re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
        )
    ]


def test_the_homes_chart_table_lists_the_diary_values_latest_first(patient_client, diary):
    in_language(diary, "en")
    make_entry(diary, day=date(2026, 9, 1), pain=9)  # long before the chart's period
    content = patient_client.get("/diary/").content
    assert 'src="/diary/charts/symptoms.svg?v=' in content.decode()
    assert chart_table_rows(content) == [
        ["11/25 (day 4)", "3", "1", "0", "37.2", "—"],
        ["11/22 (day 1)", "5", "2", "1", "36.8", "—"],
        ["11/19", "6", "0", "0", "36.8", "—"],
    ]


def test_the_chart_table_marks_the_days_a_warning_sign_fired(patient_client, patient):
    in_language(patient, "en")
    save_entry(patient, day=days_ago(1), redness="spreading")  # urgent
    rows = chart_table_rows(patient_client.get("/diary/").content)
    assert rows[0][0] == "11/25 (day 4)"
    assert "Urgent" in rows[0][5]


def test_history_has_the_chart_and_its_table(patient_client, diary):
    content = patient_client.get("/diary/history/").content
    assert 'src="/diary/charts/symptoms.svg?v=' in content.decode()
    assert [row[1] for row in chart_table_rows(content)] == ["3", "5", "6"]


def test_without_entries_a_sentence_stands_instead_of_an_empty_chart(patient_client, patient):
    in_language(patient, "en")
    content = patient_client.get("/diary/").content.decode()
    assert element_text(content, "chart-heading") == "My chart"
    assert 'data-chart="empty"' in content
    assert "No diary entries yet, so there is nothing to draw." in content
    assert "/diary/charts/symptoms.svg" not in content  # no empty axes to load
    assert "chart-table" not in content


def test_the_clinicians_patient_page_has_the_chart_and_its_table(clinician_client, diary):
    content = clinician_client.get(f"/clinic/patients/{diary.public_id}/").content
    assert f'src="{clinic_chart(diary, "symptoms")}?v=' in content.decode()
    assert f'src="{clinic_chart(diary, "goals")}"' in content.decode()
    assert [row[1] for row in chart_table_rows(content)] == ["3", "5", "6"]
    assert element_text(content, "goals") is not None


# --- One page view builds the chart's inputs once (issue 22) ------------------------------


@pytest.fixture(autouse=True)
def no_kept_inputs():
    """The cache outlives a test's rolled-back rows (and SQLite gives their ids out again)."""
    cache.clear()


def image_urls(content: bytes) -> tuple[str, str]:
    """The symptom chart's wide and narrow image URLs on a page."""
    text = content.decode()
    wide = re.search(r'<img[^>]*src="([^"]*symptoms\.svg[^"]*)"', text).group(1)
    narrow = re.search(r'srcset="([^"]*symptoms\.svg[^"]*)"', text).group(1)
    return wide.replace("&amp;", "&"), narrow.replace("&amp;", "&")


def entry_reads(queries) -> int:
    return sum('FROM "diary_diaryentry"' in q["sql"] for q in queries)


@pytest.mark.parametrize("page", ["/diary/", "/diary/history/"])
def test_the_image_request_draws_the_inputs_its_page_built(
    patient_client, diary, page, django_assert_max_num_queries
):
    wide, narrow = image_urls(patient_client.get(page).content)
    assert narrow == wide + "&layout=narrow"
    rebuilt = patient_client.get("/diary/charts/symptoms.svg")
    for url in (wide, narrow):
        with CaptureQueriesContext(connection) as captured:
            response = patient_client.get(url)
        assert response.status_code == 200
        assert entry_reads(captured) == 0  # the page's inputs, not a new read of the diary
    # The same drawing as one built afresh.
    assert patient_client.get(wide).content == rebuilt.content


def test_the_clinic_image_request_draws_the_inputs_its_page_built(clinician_client, diary):
    wide, _ = image_urls(clinician_client.get(f"/clinic/patients/{diary.public_id}/").content)
    with CaptureQueriesContext(connection) as captured:
        assert clinician_client.get(wide).status_code == 200
    assert entry_reads(captured) == 0


def test_an_unknown_or_another_patients_key_builds_the_chart_afresh(
    patient_client, diary, other_patient
):
    wide, _ = image_urls(patient_client.get("/diary/").content)
    key = wide.split("v=")[1]
    other = Client()
    other.force_login(other_patient)
    for client, v in ((patient_client, "0" * 32), (patient_client, "x"), (other, key)):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/diary/charts/symptoms.svg?v={v}").status_code == 200
        assert entry_reads(captured) == 1
