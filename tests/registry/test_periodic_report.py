"""The periodic report of one plan year: figures against a hand-counted clinic, as a page, a
CSV and an A4 PDF, in Japanese and English."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from accounts.models import AccessLog
from registry.selectors import periodic_report
from tests.factories import TODAY, make_entry, make_goal, make_injection, make_patient, rate_goal
from tests.registry.helpers import make_event, make_plan, treat

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_one(clinic, clinician, frozen_now):
    """A plan accepted 2025-10-01: year 1 is 2025-10-01 – 2026-09-30, due by 2026-12-29.

    Year 1, hand-counted: A (2 injections, reviewed: responder, goal met), B (1, reviewed with
    no data: no verdict), C (1, never reviewed) → 3 patients, 4 injections, follow-up 1 of 3.
    Events under the plan with their onset in year 1: A hospitalisation (recovered), B not
    serious (recovering), C life-threatening (not recovered) → 3 events, 2 serious.
    Left out: D's injection and event in year 2, E's hyaluronic acid and its event (no plan).
    """
    plan = make_plan(clinic, accepted_on=date(2025, 10, 1))
    a = make_patient("a@example.jp", clinic=clinic, name="A", patient_number="A-1")
    first = treat(a, plan, day=date(2026, 3, 1), course_number=1, course_total=2)
    treat(a, plan, day=date(2026, 3, 15), course_number=2, course_total=2)
    for day in (22, 24, 26):
        make_entry(a, day=date(2026, 2, day), pain=8)
    for day in (8, 10, 12):
        make_entry(a, day=date(2026, 4, day), pain=2)
    goal = make_goal(a, injection=first, review_date=date(2026, 4, 12))
    rate_goal(goal, day=date(2026, 4, 11), value=8)
    b = make_patient("b@example.jp", clinic=clinic, name="B", patient_number="B-1")
    b_injection = treat(b, plan, day=date(2026, 6, 1))
    make_goal(b, injection=b_injection, review_date=date(2026, 6, 29))
    c = make_patient("c@example.jp", clinic=clinic, name="C", patient_number="C-1")
    treat(c, plan, day=date(2026, 9, 20))
    d = make_patient("d@example.jp", clinic=clinic, name="D", patient_number="D-1")
    treat(d, plan, day=date(2026, 10, 10))
    e = make_patient("e@example.jp", clinic=clinic, name="E", patient_number="E-1")
    make_injection(e, day=date(2026, 5, 1), agent="hyaluronic_acid")

    def event(patient, onset, **fields):
        make_event(patient, by=clinician, onset_on=onset, learned_on=onset, **fields)

    event(a, date(2026, 3, 3), plan=plan, seriousness="hospitalisation", outcome="recovered",
          reported_on=date(2026, 3, 10), reported_to="committee")  # fmt: skip
    event(b, date(2026, 6, 5), plan=plan, seriousness="not_serious", outcome="recovering")
    event(c, date(2026, 9, 25), plan=plan, seriousness="life_threatening", outcome="not_recovered")
    event(d, date(2026, 10, 12), plan=plan, seriousness="death", outcome="fatal")
    event(e, date(2026, 5, 3), seriousness="hospitalisation", outcome="recovered")
    return plan


def test_the_figures_are_the_hand_counted_ones(year_one):
    report = periodic_report(year_one, 1, TODAY)
    c = report.counts
    assert (report.year.start, report.year.end) == (date(2025, 10, 1), date(2026, 9, 30))
    assert report.year.report_due == date(2026, 12, 29)
    assert report.as_of == TODAY
    assert (c.patients_treated, c.injections_given) == (3, 4)
    assert (c.events, c.serious_events) == (3, 2)
    assert c.by_seriousness("hospitalisation") == 1
    assert c.by_seriousness("life_threatening") == 1
    assert c.by_seriousness("not_serious") == 1
    assert c.by_seriousness("death") == 0
    assert c.by_outcome("recovered") == 1 and c.by_outcome("not_recovered") == 1
    assert c.events_by[("life_threatening", "not_recovered")] == 1
    assert (c.follow_up.count, c.follow_up.total) == (1, 3)
    assert (c.responders, c.non_responders, c.responder_no_data) == (1, 0, 1)
    assert c.goals == {"met": 1, "improved": 0, "not_met": 0, "no_data": 1}
    assert [e.patient.patient_number for e in report.events] == ["A-1", "B-1", "C-1"]


def test_year_two_so_far(year_one):
    c = periodic_report(year_one, 2, TODAY).counts
    assert (c.patients_treated, c.injections_given, c.events) == (1, 1, 1)
    assert c.by_seriousness("death") == 1


def url(plan, year=1, suffix="report/") -> str:
    return f"/clinic/plans/{plan.pk}/years/{year}/{suffix}"


def test_the_page_in_japanese_and_english(clinician_client, clinician, year_one):
    page = clinician_client.get(url(year_one)).content.decode()
    for words in ("定期報告", "治療した患者数", "第1年度：2025-10-01～2026-09-30", "2026-12-29",
                  "1 / 3 (33 %)", "重篤度：死亡につながるおそれのある症例"):  # fmt: skip
        assert words in page, words
    clinician.language = "en"
    clinician.save(update_fields=["language"])
    page = clinician_client.get(url(year_one)).content.decode()
    assert "Patients treated" in page and "Treated patients with a review verdict" in page
    assert '<tr data-item="Patients treated"><td>Patients treated</td><td>3</td></tr>' in page
    assert AccessLog.objects.filter(action="view_periodic_report", patient=None).count() == 2


def test_the_csv_holds_the_same_figures(clinician_client, clinician, year_one):
    clinician.language = "en"
    clinician.save(update_fields=["language"])
    response = clinician_client.get(url(year_one, suffix="report.csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="periodic-report-')
    text = response.content.decode("utf-8-sig")
    rows = {row[1]: row[2] for row in csv.reader(io.StringIO(text))}
    assert rows["Patients treated"] == "3"
    assert rows["Injections given"] == "4"
    assert rows["Serious adverse events"] == "2"
    assert rows["Outcome: Not recovered"] == "1"
    assert rows["Goals: Met"] == "1"
    assert rows["Plan number"] == "PC3260015"
    assert AccessLog.objects.get().action == "download_periodic_report"


def test_the_pdf_is_a4_with_the_japanese_figures(clinician_client, year_one):
    from pypdf import PdfReader

    response = clinician_client.get(url(year_one, suffix="report.pdf"))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    text = "".join(page.extract_text() for page in reader.pages)
    assert "定期報告" in text and "治療した患者数" in text


@pytest.mark.parametrize("year", [0, 3])
def test_a_year_not_begun_is_not_found(clinician_client, year_one, year):
    assert clinician_client.get(url(year_one, year)).status_code == 404


def test_patients_and_another_clinic_get_404(client, patient, other_clinician, year_one):
    for user in (patient, other_clinician):
        client.force_login(user)
        for suffix in ("report/", "report.pdf", "report.csv"):
            assert client.get(url(year_one, suffix=suffix)).status_code == 404
    assert not AccessLog.objects.exists()
