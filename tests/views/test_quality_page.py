"""/clinic/quality/: how fast the clinic answers, per month, for its own clinicians and
administrators — checked against figures worked out by hand for a small fixed set of flags, at a
fixed query count, with its chart and CSV."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from diary.models import CallOutcome, Flag
from tests.factories import TOKYO, days_ago, make_clinician, make_flag, make_patient

pytestmark = pytest.mark.django_db

PAGE, CHART, CSV = (
    "/clinic/quality/",
    "/clinic/quality/chart.svg",
    "/clinic/quality/response-times.csv",
)


def at(day: int, hour: int = 9, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TOKYO)


def flag(patient, severity: str, fired: datetime, *, minutes: int | None = None, action="",
         by=None, status=None, code=None):  # fmt: skip
    """A flag that fired at `fired` and, with `minutes`, was acknowledged that much later."""
    fields = {"raised_at": fired, "urgent_at": fired if severity == "urgent" else None}
    if minutes is not None:
        fields |= {"acknowledged_by": by, "acknowledged_at": fired + timedelta(minutes=minutes),
                   "action": action}  # fmt: skip
    if status:
        fields["status"] = status
    return make_flag(patient, code=code or ("fever" if severity == "urgent" else "unwell"),
                     severity=severity, first_day=fired.date(), **fields)  # fmt: skip


def call(patient, by, moment: datetime, result: str):
    return CallOutcome.objects.create(patient=patient, by=by, at=moment, result=result,
                                      reason="caution")  # fmt: skip


@pytest.fixture
def english(clinician, clinic_admin):
    User.objects.filter(pk__in=[clinician.pk, clinic_admin.pk]).update(language="en")


@pytest.fixture
def fixed_set(clinic, patient, other_patient, clinician, other_clinician, english):
    """The set of tests/quality/test_quality_figures.py, stored: November has five urgent flags
    (20, 90, 45 minutes; open for a day; open for half an hour) and three cautions (6 h, 2 days,
    open since 1 November 00:30 Tokyo time); October one urgent answered in 30 minutes."""
    hanako, ichiro = patient, other_patient
    # Each patient has at most one open flag of a code: the open ones get their own codes.
    flag(hanako, "urgent", at(2), minutes=20, action="called", by=clinician)
    flag(hanako, "urgent", at(10, 22), minutes=90, action="asked_to_come_in", by=clinician)
    flag(hanako, "urgent", at(20, 8), minutes=45, action="referred_emergency", by=clinician)
    flag(hanako, "urgent", at(25, 10), code="redness_spreading")
    flag(ichiro, "urgent", at(26, 9, 30))
    flag(hanako, "caution", at(3, 10), minutes=360, action="no_action", by=clinician)
    flag(hanako, "caution", at(5, 10), minutes=2880, action="called", by=clinician)
    flag(ichiro, "caution", at(1, 0, 30))
    flag(ichiro, "urgent", at(31, 23, 50, month=10), minutes=30, action="called", by=clinician)
    # Not counted: a withdrawn flag, a flag of another clinic, a "not logging" flag.
    flag(hanako, "urgent", at(12), status=Flag.Status.WITHDRAWN, code="hot_swollen_joint")
    stranger = make_patient("stranger@momiji.example.jp", clinic=other_clinician.clinic)
    flag(stranger, "urgent", at(12), minutes=5, action="called", by=other_clinician)
    make_flag(hanako, code="missed_entries", severity="info", first_day=days_ago(3))
    call(hanako, clinician, at(3, 11), "reached")
    call(hanako, clinician, at(4, 11), "no_answer")
    call(ichiro, clinician, at(24, 18), "reached")
    call(ichiro, clinician, at(15, 11, month=10), "reached")
    call(stranger, other_clinician, at(15, 11), "reached")


class _Table(HTMLParser):
    """The rows of the page's tables, each as (its attributes, its table's class, [(cell
    attributes, cell text)]), and the links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows, self.links, self._table, self._cell = [], [], "", None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._table = attrs.get("class", "")
        elif tag == "tr":
            self.rows.append((attrs, self._table, []))
        elif tag in ("td", "th") and self.rows:
            self._cell = (attrs, [])
            self.rows[-1][2].append(self._cell)
        elif tag == "a":
            self.links.append((attrs.get("href"), []))
        elif tag == "img":
            self.links.append((attrs.get("src"), []))

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[1].append(data)
        if self.links:
            self.links[-1][1].append(data)


def parse(content: bytes) -> _Table:
    table = _Table()
    table.feed(content.decode())
    return table


def _text(parts: list[str]) -> str:
    return " ".join("".join(parts).split())


def figures(content: bytes, month: str) -> dict[str, list[str]]:
    """The month's cells of both tables (time to acknowledgement; actions and calls)."""
    rows = [cells for attrs, _, cells in parse(content).rows if attrs.get("data-month") == month]
    assert len(rows) == 2, rows
    found: dict[str, list[str]] = {}
    for attrs, parts in (cell for row in rows for cell in row):
        if attrs.get("data-figure"):
            found.setdefault(attrs["data-figure"], []).append(_text(parts))
    return found


def test_the_figures_match_the_ones_worked_out_by_hand(clinician_client, fixed_set):
    response = clinician_client.get(PAGE)
    assert response.status_code == 200
    november = figures(response.content, "2026/11")
    assert november["urgent-flags"] == ["5"]
    assert november["urgent-acknowledged"] == ["3"]
    assert november["urgent-median"] == ["45 min"]
    assert november["urgent-p90"] == ["1 h 21 min"]
    assert november["urgent-within"] == ["50 % (2 of 4)"]
    assert november["caution-flags"] == ["3"]
    assert november["caution-acknowledged"] == ["2"]
    assert november["caution-median"] == ["1 day 3 h"]
    assert november["caution-p90"] == ["1 day 19 h"]
    assert november["caution-within"] == ["33 % (1 of 3)"]
    assert november["action"] == ["2", "1", "1", "1"]  # called, come in, emergency, none
    assert (november["calls"], november["calls-reached"]) == (["3"], ["2"])

    october = figures(response.content, "2026/10")
    assert october["urgent-flags"] == ["1"] and october["urgent-median"] == ["30 min"]
    assert october["urgent-within"] == ["100 % (1 of 1)"]
    assert october["caution-median"] == ["—"] and october["caution-within"] == ["—"]
    assert (october["calls"], october["calls-reached"]) == (["1"], ["1"])
    assert figures(response.content, "2026/09")["urgent-flags"] == ["0"]
    assert "2025/11" not in response.content.decode()  # twelve months: December 2025 on


def test_the_page_says_the_clinics_own_targets(clinician_client, clinic, fixed_set):
    clinic.urgent_target_minutes, clinic.caution_target_hours = 30, 4
    clinic.save(update_fields=["urgent_target_minutes", "caution_target_hours"])
    response = clinician_client.get(PAGE)
    content = response.content.decode()
    assert "within 30 min" in content and "within 4 h" in content
    november = figures(response.content, "2026/11")
    # Only the 20-minute answer; the flag of 9:30 has now missed its half hour too.
    assert november["urgent-within"] == ["20 % (1 of 5)"]
    assert november["caution-within"] == ["0 % (0 of 3)"]


def test_an_erased_patients_closed_flag_counts_as_not_acknowledged(
    clinician_client, patient, fixed_set
):
    flag(patient, "urgent", at(12), status=Flag.Status.ERASED, code="cannot_bear_weight")
    november = figures(clinician_client.get(PAGE).content, "2026/11")
    assert november["urgent-flags"] == ["6"]
    assert november["urgent-within"] == ["40 % (2 of 5)"]


def test_in_japanese(clinician_client, clinician, fixed_set):
    User.objects.filter(pk=clinician.pk).update(language="ja")
    response = clinician_client.get(PAGE)
    content = response.content.decode()
    assert "警告サインへの対応の速さ" in content
    november = figures(response.content, "2026/11")
    assert november["urgent-median"] == ["45分"]
    assert november["urgent-p90"] == ["1時間21分"]
    assert november["caution-median"] == ["1日3時間"]
    assert november["urgent-within"] == ["50% （4件中2件）"]  # on two lines


def test_the_csv_holds_the_same_figures(clinician_client, fixed_set):
    response = clinician_client.get(CSV)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="response-times-')
    assert response["Cache-Control"] == "private, no-store"
    text = response.content.decode("utf-8-sig")
    rows = {row["month"]: row for row in csv.DictReader(io.StringIO(text))}
    assert len(rows) == 12
    november = rows["2026-11"]
    assert (november["urgent_flags"], november["urgent_acknowledged"]) == ("5", "3")
    assert (november["urgent_median_minutes"], november["urgent_p90_minutes"]) == ("45.0", "81.0")
    assert (november["urgent_judged"], november["urgent_within_target"]) == ("4", "2")
    assert november["urgent_percent_within_target"] == "50.0"
    assert november["caution_median_minutes"] == "1620.0"
    assert november["caution_target_minutes"] == "1440"
    assert november["action_called"] == "2" and november["action_no_action"] == "1"
    assert (november["calls"], november["calls_reached"]) == ("3", "2")
    assert rows["2026-10"]["caution_median_minutes"] == ""
    for line in text.splitlines():
        for cell in next(csv.reader([line])):
            assert not cell.startswith(("=", "+", "-", "@")), cell


def test_the_chart_is_the_same_svg_each_time_and_cached(clinician_client, fixed_set):
    first = clinician_client.get(CHART)
    assert first.status_code == 200
    assert first["Content-Type"] == "image/svg+xml"
    assert first.content.startswith(b"<?xml") and b"share-urgent" in first.content
    assert clinician_client.get(CHART).content == first.content
    again = clinician_client.get(CHART, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_the_chart_data_table_sits_beside_the_chart(clinician_client, fixed_set):
    page = parse(clinician_client.get(PAGE).content)
    rows = [
        [_text(parts) for _, parts in cells]
        for _, table, cells in page.rows
        if "quality-chart-data" in table
    ]
    assert rows[1] == ["2026/11", "5", "50 %", "3", "33 %"]  # after the heading row
    assert len(rows) == 13
    assert CHART in [href for href, _ in page.links]


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(PAGE).status_code == 200
    return len(captured)


def test_the_query_count_does_not_grow_with_the_number_of_flags(
    clinician_client, clinic, clinician, django_assert_max_num_queries
):
    def flags_for(count: int, start: int):
        for n in range(count):
            person = make_patient(f"p{start + n}@example.jp", clinic=clinic)
            flag(person, "urgent", at(1 + n % 25), minutes=n % 120, action="called", by=clinician)
            flag(person, "caution", at(1 + n % 25, 12), minutes=n * 7, action="no_action",
                 by=clinician)  # fmt: skip
            call(person, clinician, at(1 + n % 25, 13), "reached")

    flags_for(3, 0)
    small = _queries(clinician_client)
    flags_for(150, 100)
    with django_assert_max_num_queries(small):
        assert clinician_client.get(PAGE).status_code == 200
    with django_assert_max_num_queries(small):
        assert clinician_client.get(CSV).status_code == 200


# Who may see it


@pytest.mark.parametrize("url", [PAGE, CHART, CSV])
def test_signed_out_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("url", [PAGE, CHART, CSV])
def test_a_patient_gets_not_found(patient_client, url):
    assert patient_client.get(url).status_code == 404


@pytest.mark.parametrize("url", [PAGE, CHART, CSV])
def test_clinicians_and_clinic_administrators_may_see_it(clinician_client, client, clinic_admin,
                                                         url):  # fmt: skip
    assert clinician_client.get(url).status_code == 200
    client.force_login(clinic_admin)
    assert client.get(url).status_code == 200


def test_another_clinic_sees_only_its_own_figures(other_clinician_client, fixed_set):
    november = figures(other_clinician_client.get(PAGE).content, "2026/11")
    assert november["urgent-flags"] == ["1"] and november["urgent-median"] == ["5分"]  # ja
    assert november["caution-flags"] == ["0"]
    assert (november["calls"], november["calls-reached"]) == (["1"], ["1"])
    rows = {r["month"]: r for r in csv.DictReader(io.StringIO(
        other_clinician_client.get(CSV).content.decode("utf-8-sig")))}  # fmt: skip
    assert rows["2026-11"]["urgent_flags"] == "1"


def test_the_clinic_navigation_links_to_it(clinician_client, english):
    links = parse(clinician_client.get("/clinic/").content).links
    assert [_text(parts) for href, parts in links if href == PAGE] == ["Response times"]


def test_a_clinician_without_a_clinic_role_sees_nothing(client, clinic, frozen_now):
    nobody = make_clinician("former@example.jp", clinic=clinic, is_active=True)
    User.objects.filter(pk=nobody.pk).update(role=User.Role.PATIENT)
    client.force_login(User.objects.get(pk=nobody.pk))
    assert client.get(PAGE).status_code == 404


def test_a_phone_gets_the_narrow_drawing(clinician_client, fixed_set):
    wide = clinician_client.get(CHART)
    narrow = clinician_client.get(CHART + "?layout=narrow")
    assert narrow.status_code == 200 and narrow.content != wide.content
    assert narrow["ETag"] != wide["ETag"]
    assert b'width="259.2pt" height="388.8pt"' in narrow.content[:400]  # 3.6 × 5.4 inches
    assert b'width="576pt" height="360pt"' in wide.content[:400]  # 8 × 5 inches
