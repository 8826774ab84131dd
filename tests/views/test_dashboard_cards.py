"""The dashboard's count cards are filters: each links to the list of its group, works without
JavaScript, shows which filter is on and how to clear it, and its number is the number of rows
the filter lists — a patient with two caution flags counts once, an erased patient and a patient
of another clinic not at all. Review dates that have passed read "overdue" in words."""

from __future__ import annotations

import re

import pytest

from diary.privacy import patient_erase
from tests.factories import TODAY, days_ago, make_flag, make_goal, make_patient
from tests.test_perf_dashboard import as_language, count_cards, rows_of

pytestmark = pytest.mark.django_db

CARDS = ("urgent", "caution", "not_logging", "review")


@pytest.fixture
def clinic_list(clinic, other_clinic, patient, clinician, clinic_admin):
    """Hanako: two caution flags. Ichiro-like patients for every other group, one erased, one of
    another clinic."""
    make_flag(patient, code="not_easing", severity="caution", first_day=days_ago(2))
    make_flag(patient, code="fever", severity="caution", first_day=days_ago(1))

    def someone(name: str, number: str):
        return make_patient(f"{number}@example.jp", clinic=clinic, name=name, patient_number=number)

    urgent = someone("Uma Urgent", "U-1")
    make_flag(urgent, code="redness_spreading", severity="urgent", first_day=TODAY)
    make_flag(urgent, code="not_easing", severity="caution", first_day=days_ago(3))  # under it
    make_flag(urgent, code="missed_entries", severity="info", first_day=TODAY)
    make_flag(someone("Cal Caution", "C-1"), code="unwell", severity="caution", first_day=TODAY)
    make_flag(someone("Nora Quiet", "N-1"), code="missed_entries", severity="info", first_day=TODAY)
    make_goal(someone("Rex Review", "R-1"), review_date=days_ago(2))  # overdue
    make_goal(someone("Ria Soon", "R-2"), review_date=days_ago(-3))  # due in 3 days
    someone("Otto Other", "O-1")

    erased = someone("Eve Erased", "E-1")
    make_flag(erased, code="fever", severity="caution", first_day=TODAY)
    make_goal(erased, review_date=TODAY)
    patient_erase(patient=erased, by=clinic_admin, mode="anonymise", reason="asked in writing")

    elsewhere = make_patient("far@example.jp", clinic=other_clinic, name="Far Away")
    make_flag(elsewhere, code="fever", severity="caution", first_day=TODAY)
    make_flag(elsewhere, code="missed_entries", severity="info", first_day=TODAY)
    make_goal(elsewhere, review_date=TODAY)
    return clinic


def _cards(client, url="/clinic/") -> dict[str, int]:
    return {name: int(words[-1]) for name, words in count_cards(client.get(url).content).items()}


def test_each_card_counts_the_rows_its_filter_lists(clinician_client, clinic_list):
    cards = _cards(clinician_client)
    assert set(cards) == set(CARDS)
    everyone = rows_of(clinician_client.get("/clinic/").content)
    for name in CARDS:
        listed = rows_of(clinician_client.get("/clinic/", {"filter": name}).content)
        assert cards[name] == len(listed), name
        assert {r["attrs"]["data-group"] for r in listed} == {name}
        # The same patients as the unfiltered list shows in that group.
        assert len([r for r in everyone if r["attrs"]["data-group"] == name]) == cards[name]
    assert cards == {"urgent": 1, "caution": 2, "not_logging": 1, "review": 2}


def test_needs_attention_counts_urgent_and_caution(clinician_client, clinic_list):
    listed = rows_of(clinician_client.get("/clinic/", {"filter": "attention"}).content)
    assert {r["attrs"]["data-patient"] for r in listed} == {"U-1", "C-1", "P-1"}


def test_the_erased_and_the_other_clinics_patients_are_in_no_card(clinician_client, clinic_list):
    for name in (*CARDS, "attention", "all"):
        content = clinician_client.get("/clinic/", {"filter": name}).content.decode()
        assert "Far Away" not in content and "E-1" not in content, name


def test_the_cards_are_links_that_work_without_javascript(clinician, clinician_client, clinic_list):
    as_language(clinician, "en")
    content = clinician_client.get("/clinic/").content.decode()
    for name in CARDS:
        assert f'href="?filter={name}"' in content
    assert "aria-current" not in content  # no filter on: no card chosen
    assert "dashboard-filter-active" not in content


def test_the_chosen_filter_is_shown_and_can_be_cleared(clinician, clinician_client, clinic_list):
    as_language(clinician, "en")
    content = clinician_client.get("/clinic/", {"filter": "caution", "page": "1"}).content.decode()
    chosen = re.search(r'<li data-count="(\w+)">\s*<a [^>]*aria-current="true"', content)
    assert chosen and chosen.group(1) == "caution"
    notice = re.search(r'<p class="dashboard-filter-active.*?</p>', content, re.S).group(0)
    text = " ".join(re.sub(r"<[^>]+>", " ", notice).split())
    assert text == "Showing only: ◆ Caution · 2 patients Show all patients"
    clear = re.search(r'href="([^"]*)">Show all patients', notice).group(1)
    assert "filter" not in clear and "page" not in clear
    assert len(rows_of(clinician_client.get(f"/clinic/{clear}").content)) == 7  # everyone
    as_language(clinician, "ja")
    content = clinician_client.get("/clinic/", {"filter": "urgent"}).content.decode()
    assert "表示中：" in content and "1人" in content and "すべての患者を表示" in content


def test_a_search_is_kept_when_the_filter_is_cleared(clinician_client, clinic_list):
    content = clinician_client.get("/clinic/", {"filter": "caution", "q": "Cal"}).content.decode()
    assert [r["attrs"]["data-patient"] for r in rows_of(content.encode())] == ["C-1"]
    assert 'href="?q=Cal">' in content


def test_an_unknown_filter_lists_everyone(clinician_client, clinic_list):
    content = clinician_client.get("/clinic/", {"filter": "<script>"}).content
    assert len(rows_of(content)) == 7
    assert b"dashboard-filter-active" not in content


def test_another_clinics_clinician_sees_none_of_them(other_clinician_client, clinic_list):
    cards = _cards(other_clinician_client)
    assert cards == {"urgent": 0, "caution": 1, "not_logging": 0, "review": 0}
    listed = rows_of(other_clinician_client.get("/clinic/", {"filter": "caution"}).content)
    assert [r["attrs"]["data-patient"] for r in listed] == [""]


def test_a_patient_cannot_open_the_dashboard(patient_client, clinic_list):
    assert patient_client.get("/clinic/", {"filter": "urgent"}).status_code in (403, 404)


def test_a_passed_review_date_reads_overdue_in_words(clinician, clinician_client, clinic_list):
    as_language(clinician, "en")
    rows = {
        r["attrs"]["data-patient"]: r["text"]
        for r in rows_of(clinician_client.get("/clinic/", {"filter": "review"}).content)
    }
    assert rows["R-1"].endswith(f"1 goal review {days_ago(2):%m/%d} overdue")
    assert rows["R-2"].endswith(f"1 goal review {days_ago(-3):%m/%d} due")
    as_language(clinician, "ja")
    content = clinician_client.get("/clinic/", {"filter": "review"}).content.decode()
    assert content.count("過ぎています") == 1


def test_the_patient_page_marks_a_passed_review_date(clinician, clinician_client, patient):
    as_language(clinician, "en")
    make_goal(patient, review_date=days_ago(1), title="Walk to the station")
    make_goal(patient, review_date=days_ago(-5), title="Climb the stairs")
    make_goal(patient, review_date=days_ago(60), title="Last year's goal")
    content = clinician_client.get(f"/clinic/patients/{patient.public_id}/").content.decode()
    goal_list = content[content.index('id="goals"') : content.index('id="injections-heading"')]
    goal_list = goal_list[goal_list.rindex('<ul class="list-group">') :]
    goals = re.findall(r'<li class="list-group-item.*?</li>', goal_list, re.S)
    overdue = {"Walk to the station": True, "Climb the stairs": False, "Last year's goal": False}
    for goal in goals:
        title = next(t for t in overdue if t in goal.replace("&#x27;", "'"))
        assert ("review-overdue" in goal) is overdue[title], title
        # In words: the review date has passed (the verdict above it says what came of it).
        assert (">passed</span>" in goal) is overdue[title], title
    assert len(goals) == 3
