"""The triage dashboard, pinned before its speed work: the same rows, words and order, and a
fixed number of queries whatever the size of the clinic."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    FROZEN_NOW,
    TODAY,
    clinic_morning,
    days_ago,
    make_entry,
    make_flag,
    make_goal,
    make_injection,
    make_patient,
)

pytestmark = pytest.mark.django_db


class _Rows(HTMLParser):
    """The dashboard's `tr.dashboard-row` elements: their attributes and their text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows: list[dict] = []
        self.inside = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and "dashboard-row" in attrs.get("class", "").split():
            self.inside = True
            self.rows.append({"attrs": attrs, "text": [], "tags": []})
        elif self.inside:
            self.rows[-1]["tags"].append((tag, attrs))

    def handle_endtag(self, tag):
        if tag == "tr":
            self.inside = False

    def handle_data(self, data):
        if self.inside:
            self.rows[-1]["text"].append(data)


def rows_of(content: bytes) -> list[dict]:
    parser = _Rows()
    parser.feed(content.decode())
    for row in parser.rows:
        row["text"] = re.sub(r"\s+", " ", "".join(row["text"])).strip()
    return parser.rows


def count_cards(content: bytes) -> dict[str, str]:
    cards = re.findall(r'data-count="(\w+)">(.*?)</li>', content.decode(), re.S)
    return {name: re.sub(r"<[^>]+>|\s+", " ", html).split() for name, html in cards}


def as_language(user, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])


@pytest.fixture
def triage_clinic(clinic, patient, clinician, time_machine):
    """One patient for each triage group, the last group in two steps of activity."""
    time_machine.move_to(clinic_morning(days_ago(3)), tick=False)
    make_entry(patient, day=days_ago(3), pain=2)
    made = {"hanako": patient}

    def someone(key: str, name: str):
        made[key] = make_patient(
            f"{key}@example.jp", clinic=clinic, name=name, patient_number=f"T-{len(made)}"
        )
        return made[key]

    make_flag(
        someone("urgent_older", "Zed Urgent"),
        code="fever",
        severity="urgent",
        first_day=days_ago(3),
    )
    newer = someone("urgent_newer", "Amy Urgent")
    make_flag(newer, code="redness_spreading", severity="urgent", first_day=days_ago(1))
    make_flag(newer, code="not_easing", severity="caution", first_day=days_ago(4))
    make_flag(newer, code="missed_entries", severity="info", first_day=TODAY)
    make_flag(
        someone("caution", "Bo Caution"),
        code="not_easing",
        severity="caution",
        first_day=days_ago(2),
    )
    make_flag(
        someone("not_logging", "Cy Missing"),
        code="missed_entries",
        severity="info",
        first_day=TODAY,
    )
    make_flag(
        made["caution"],
        code="fever",
        severity="urgent",
        first_day=days_ago(9),
        acknowledged_by=clinician,
        action="called",
    )
    make_goal(someone("review", "Di Review"), review_date=days_ago(-3))
    make_goal(someone("review_later", "Ed Later"), review_date=days_ago(-30))
    time_machine.move_to(clinic_morning(days_ago(1)), tick=False)
    make_entry(made["review_later"], day=days_ago(1), pain=4)
    someone("never", "Al Never")
    time_machine.move_to(FROZEN_NOW, tick=False)
    return made


def test_patients_come_in_triage_order_with_their_group(clinician_client, triage_clinic):
    rows = rows_of(clinician_client.get("/clinic/").content)
    order = {p.patient_number: key for key, p in triage_clinic.items()}
    assert [(order[r["attrs"]["data-patient"]], r["attrs"]["data-group"]) for r in rows] == [
        ("urgent_older", "urgent"),  # the longest-waiting urgent patient first
        ("urgent_newer", "urgent"),
        ("caution", "caution"),
        ("not_logging", "not_logging"),
        ("review", "review"),
        ("review_later", "other"),  # the latest activity first, then never
        ("hanako", "other"),
        ("never", "other"),
    ]


def test_the_summary_counts_each_group_with_severity_in_words(
    clinician, clinician_client, triage_clinic
):
    as_language(clinician, "en")
    cards = count_cards(clinician_client.get("/clinic/").content)
    # Each patient in the group their row shows: Amy's caution and "not logging" flags are
    # under her urgent one, so the cards count the rows their filters list.
    assert cards == {
        "urgent": ["▲", "Urgent", "2"],
        "caution": ["◆", "Caution", "1"],
        "not_logging": ["Not", "logging", "1"],
        "review": ["Review", "due", "1"],
    }
    as_language(clinician, "ja")
    cards = count_cards(clinician_client.get("/clinic/").content)
    assert cards["urgent"] == ["▲", "至急", "2"]
    assert cards["caution"] == ["◆", "注意", "1"]


def test_review_due_counts_patients_with_a_goal_within_seven_days_either_side(
    clinician_client, clinic, other_clinic, patient, other_patient
):
    make_goal(patient, review_date=days_ago(-7))  # two goals in the window: one patient
    make_goal(patient, review_date=days_ago(7))
    make_goal(other_patient, review_date=days_ago(-8))  # just outside
    make_goal(other_patient, review_date=days_ago(8))
    elsewhere = make_patient("far@example.jp", clinic=other_clinic, name="Far Away")
    make_goal(elsewhere, review_date=TODAY)
    assert count_cards(clinician_client.get("/clinic/").content)["review"][-1] == "1"
    make_goal(other_patient, review_date=TODAY)
    assert count_cards(clinician_client.get("/clinic/").content)["review"][-1] == "2"


def test_each_flag_is_named_in_words_beside_its_symbol(clinician, clinician_client, triage_clinic):
    as_language(clinician, "en")
    rows = rows_of(clinician_client.get("/clinic/").content)
    newer = next(r for r in rows if r["attrs"]["data-patient"] == "T-2")
    badges = [a for tag, a in newer["tags"] if "data-severity" in a]
    # Most severe first; within a severity the oldest first.
    assert [(b["data-flag"], b["data-severity"]) for b in badges] == [
        ("redness_spreading", "urgent"),
        ("not_easing", "caution"),
        ("missed_entries", "info"),
    ]
    # The symbol and the flag's name are seen; the severity word is read out by screen readers.
    assert "▲ Urgent: Spreading redness ◆ Caution: Not easing ● Info: Not logging" in newer["text"]
    assert "text-bg-danger" in badges[0]["class"]
    assert "text-bg-warning" in badges[1]["class"]
    assert "text-bg-secondary" in badges[2]["class"]


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("attention", {"urgent_older", "urgent_newer", "caution"}),
        ("urgent", {"urgent_older", "urgent_newer"}),
        ("caution", {"caution"}),
        ("not_logging", {"not_logging"}),  # Amy, urgent, is in the urgent group
        ("review", {"review"}),
        ("all", None),
        ("nonsense", None),
    ],
)
def test_the_filters_choose_patients(clinician_client, triage_clinic, name, shown):
    content = clinician_client.get("/clinic/", {"filter": name}).content
    found = {r["attrs"]["data-patient"] for r in rows_of(content)}
    by_number = {p.patient_number: key for key, p in triage_clinic.items()}
    assert {by_number[n] for n in found} == (shown or set(triage_clinic))
    assert re.search(rf'<option value="{name}" selected>', content.decode()) or shown is None


def _hanakos_week(patient):
    make_entry(patient, day=days_ago(2), pain=3, swelling=1, warmth=1)
    make_entry(patient, day=days_ago(1), pain=9, swelling=0, warmth=0)
    make_entry(patient, day=TODAY, pain=5, swelling=1, warmth=0)
    make_goal(patient, review_date=days_ago(-3))
    make_goal(patient, review_date=days_ago(-20))
    make_goal(patient, review_date=days_ago(8))  # long past: not counted


def test_a_row_shows_injection_values_trends_goals_and_the_14_days(
    clinician, clinician_client, patient
):
    as_language(clinician, "en")
    _hanakos_week(patient)
    content = clinician_client.get("/clinic/").content
    (row,) = rows_of(content)
    assert row["attrs"]["data-group"] == "review"
    text = row["text"]
    assert "Hanako Sato P-1" in text
    assert "Knee (Left) · Hyaluronic acid Day 5" in text
    assert (
        "Pain 5↑ higher than two days earlier Swelling 1→ same as two days earlier "
        "· Warmth 0↓ lower than two days earlier"
    ) in text
    assert "11/26saved just now" in text
    assert "2 goals review 11/29 due" in text
    tags = dict(row["tags"])
    assert tags["a"]["href"] == f"/clinic/patients/{patient.public_id}/"
    assert tags["svg"]["aria-label"] == (
        "Pain over the last 14 days: –, –, –, –, –, –, –, –, –, –, –, 3, 9, 5"
    )
    assert tags["polyline"]["points"] == "110,21 120,3 130,15"
    titles = [a["title"] for tag, a in row["tags"] if tag == "span" and "title" in a]
    assert titles == [
        "higher than two days earlier",
        "same as two days earlier",
        "lower than two days earlier",
    ]


def test_a_row_in_japanese(clinician, clinician_client, patient):
    as_language(clinician, "ja")
    _hanakos_week(patient)
    (row,) = rows_of(clinician_client.get("/clinic/").content)
    text = row["text"]
    assert "5日目" in text
    assert "2日前より高い" in text
    assert "目標 2 個" in text
    assert "評価日 11/29" in text
    assert "過去14日間の痛み" in dict(row["tags"])["svg"]["aria-label"]


def test_a_row_without_injection_or_entries(clinician, clinician_client, other_patient):
    as_language(clinician, "en")
    (row,) = rows_of(clinician_client.get("/clinic/").content)
    assert row["text"] == "Ichiro Suzuki P-2 — — never — —"
    assert dict(row["tags"])["polyline"]["points"] == ""


def test_the_latest_injection_on_or_before_today_is_shown(clinician, clinician_client, patient):
    as_language(clinician, "en")
    make_injection(patient, day=days_ago(2), joint="hip", side="both", agent="prp")
    make_injection(patient, day=days_ago(-3), joint="shoulder")  # planned
    (row,) = rows_of(clinician_client.get("/clinic/").content)
    assert "Hip (Both) · PRP (platelet-rich plasma) Day 2" in row["text"]


def test_names_are_escaped(clinician_client, clinic):
    make_patient("x@example.jp", clinic=clinic, name="<b>Bold & Co</b>", patient_number="<i>")
    content = clinician_client.get("/clinic/").content.decode()
    assert "&lt;b&gt;Bold &amp; Co&lt;/b&gt;" in content
    assert 'data-patient="&lt;i&gt;"' in content
    assert "<b>Bold" not in content


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


# session, user, clinic; counts (1, grouped); page; rows (5); and with a search, the page count
# (a filter's count is the counts' own)
DASHBOARD_QUERIES = {"/clinic/": 10, "/clinic/?filter=attention": 10, "/clinic/?q=a&page=2": 11}


def _add_patients(clinic, numbers: range) -> None:
    for n in numbers:
        patient = make_patient(f"p{n}@example.jp", clinic=clinic, name=f"a{n}")
        make_injection(patient, day=days_ago(n % 20))
        make_entry(patient, day=days_ago(n % 3))
        make_flag(patient, code="fever", severity="urgent" if n % 2 else "caution", first_day=TODAY)
        make_goal(patient, review_date=TODAY)


@pytest.mark.parametrize("url", ["/clinic/", "/clinic/?filter=attention", "/clinic/?q=a&page=2"])
def test_the_query_count_is_fixed_whatever_the_clinic_size(clinician_client, clinic, url):
    _add_patients(clinic, range(3))
    clinician_client.get(url)  # the session's first request writes its start time
    small = _queries(clinician_client, url)
    _add_patients(clinic, range(3, 120))
    assert _queries(clinician_client, url) == small == DASHBOARD_QUERIES[url]
