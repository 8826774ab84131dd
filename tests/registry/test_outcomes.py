"""What works in our clinic (/clinic/outcomes/): figures against a hand-counted clinic, groups
too small to say, and a query count that does not grow with the patients."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AccessLog
from registry.selectors import clinic_outcomes
from tests.factories import TODAY, days_ago, make_clinician, make_flag
from tests.registry.helpers import reviewed_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def hand_counted(clinic, frozen_now):
    """Five PRP knees and two hyaluronic-acid hips, reviewed 10 days ago (counts in comments).

    PRP, knee (5 patients):
      p1 pain 8 → 2, goal rated 8 (met)          responder (pain -60 points, 75 %)
      p2 pain 7 → 3, goal rated 6 (improved)     responder (pain -40 points, 57 %)
      p3 pain 6 → 6, goal rated 3 (not met), overall 6 → 6: not a responder (nothing moved)
      p4 pain 8 → 1, goal rated 7 (met)          responder
      p5 no diary, no rating: not enough data, goal no data, not logging at the review
      → responders 3 of 4 with a verdict (Wilson 30–95 %), goals 2 met, 1 improved, 1 not met,
        1 no data; pain change -6, -4, 0, -7 → median -5.0; logging 4 of 5.
      Red flags after the five PRP injections: p1 fever (urgent), p2 not easing (caution);
      p3's expected early reaction (info) and p4's withdrawn fever do not count → 40 per 100.
    Hyaluronic acid, hip (2 patients): too few to say.
    """
    prp = dict(agent="prp", joint="knee")
    p1 = reviewed_course(clinic, "p1@example.jp", pain_before=8, pain_after=2, rating=8, **prp)
    p2 = reviewed_course(clinic, "p2@example.jp", pain_before=7, pain_after=3, rating=6, **prp)
    p3 = reviewed_course(
        clinic, "p3@example.jp", pain_before=6, pain_after=6, rating=3, overall=(6, 6), **prp
    )
    p4 = reviewed_course(clinic, "p4@example.jp", pain_before=8, pain_after=1, rating=7, **prp)
    reviewed_course(clinic, "p5@example.jp", **prp)
    ha = dict(agent="hyaluronic_acid", joint="hip")
    reviewed_course(clinic, "p6@example.jp", pain_before=8, pain_after=2, rating=8, **ha)
    reviewed_course(clinic, "p7@example.jp", **ha)
    make_flag(p1, code="fever", severity="urgent", first_day=days_ago(38))
    make_flag(p2, code="not_easing", severity="caution", first_day=days_ago(35))
    make_flag(p3, code="early_reaction", severity="info", first_day=days_ago(39))
    make_flag(p4, code="fever", severity="urgent", first_day=days_ago(37), status="withdrawn")
    return clinic


def rows_by_group(clinic, grouping="agent"):
    result = clinic_outcomes(clinic, start=days_ago(364), end=TODAY, grouping=grouping, today=TODAY)
    return {row.group: row for row in result.rows}


def test_the_prp_figures_are_the_hand_counted_ones(hand_counted):
    prp = rows_by_group(hand_counted)["prp"]
    assert prp.patients_reviewed == 5 and not prp.too_few_reviewed
    assert (prp.responders.count, prp.responders.total, prp.responder_no_data) == (3, 4, 1)
    assert prp.responders.interval == pytest.approx((0.3006, 0.9544), abs=1e-4)
    assert prp.goals == {"met": 2, "improved": 1, "not_met": 1, "no_data": 1}
    assert prp.median_pain_change == pytest.approx(-5.0)
    assert prp.pain_changes == 4
    assert (prp.logging.count, prp.logging.total) == (4, 5)
    assert (prp.injections, prp.injected_patients) == (5, 5)
    assert prp.flags_by_code["fever"] == 1 and prp.flags_by_code["not_easing"] == 1
    assert sum(prp.flags_by_code.values()) == 2
    assert prp.flags_per_100() == pytest.approx(40.0)


def test_the_whole_clinic_counts_every_patient_once(hand_counted):
    rows = rows_by_group(hand_counted)
    everyone = rows["all"]
    assert everyone.patients_reviewed == 7
    assert (everyone.responders.count, everyone.responders.total) == (4, 5)
    assert everyone.injections == 7
    assert rows["hyaluronic_acid"].patients_reviewed == 2
    assert rows["hyaluronic_acid"].too_few_reviewed


def test_grouped_by_joint_the_knees_are_the_prp_patients(hand_counted):
    rows = rows_by_group(hand_counted, "joint")
    assert rows["knee"].patients_reviewed == 5 and rows["hip"].patients_reviewed == 2
    assert rows["knee"].goals == rows_by_group(hand_counted)["prp"].goals


def test_a_review_outside_the_period_is_left_out(hand_counted):
    result = clinic_outcomes(
        hand_counted, start=days_ago(364), end=days_ago(11), grouping="agent", today=TODAY
    )
    assert all(row.patients_reviewed == 0 for row in result.rows)


def test_the_page_shows_the_figures_and_too_few_to_say(clinician_client, clinician, hand_counted):
    clinician.language = "en"
    clinician.save(update_fields=["language"])
    response = clinician_client.get("/clinic/outcomes/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "3 / 4" in page and "75 %" in page and "30–95 %" in page
    assert "Too few to say (2 patients)" in page
    assert "-5.0" in page
    assert "40.0 (2)" in page  # red flags per 100 injections (number of flags)
    assert page.count('src="data:image/svg+xml;base64,') == 5  # one chart per measure
    assert "The same figures are in the table below." in page
    row = AccessLog.objects.get()
    assert (row.user, row.action, row.patient) == (clinician, "view_outcomes", None)


def test_the_page_in_japanese(clinician_client, hand_counted):
    page = clinician_client.get("/clinic/outcomes/").content.decode()
    assert "当院の治療成績" in page
    assert "人数が少なく判断できません（2人）" in page


def test_grouping_by_joint_and_a_bad_period(clinician_client, clinician, hand_counted):
    clinician.language = "en"
    clinician.save(update_fields=["language"])
    page = clinician_client.get("/clinic/outcomes/?group=joint").content.decode()
    assert "Knee" in page and "Hip" in page
    bad = clinician_client.get("/clinic/outcomes/?start=2026-11-30&end=2026-01-01&group=agent")
    assert bad.status_code == 200
    assert "The end cannot be before the start." in bad.content.decode()
    assert "the last 12 months are shown" in bad.content.decode()
    nonsense = clinician_client.get("/clinic/outcomes/?start=yesterday&end=&group=colour")
    assert nonsense.status_code == 200


def test_an_empty_clinic_says_so(clinician_client, clinician):
    clinician.language = "en"
    clinician.save(update_fields=["language"])
    page = clinician_client.get("/clinic/outcomes/").content.decode()
    assert "No course was reviewed and no injection given in this period." in page


def test_patients_and_another_clinic_see_nothing_of_it(
    client, patient, other_clinician, hand_counted
):
    client.force_login(patient)
    assert client.get("/clinic/outcomes/").status_code == 404
    client.force_login(other_clinician)
    other = client.get("/clinic/outcomes/").content.decode()
    assert "P1" not in other and "3 / 4" not in other


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/clinic/outcomes/").status_code == 200
    return len(captured)


def test_the_query_count_does_not_grow_with_patients(client, clinic, frozen_now):
    doctor = make_clinician("counter@example.jp", clinic=clinic)
    client.force_login(doctor)
    for n in range(3):
        reviewed_course(clinic, f"a{n}@example.jp", pain_before=7, pain_after=3, rating=6)
    few = _queries(client)
    for n in range(9):
        reviewed_course(
            clinic, f"b{n}@example.jp", agent="cell_therapy", pain_before=6, pain_after=2,
            rating=7, overall=(6, 3),
        )  # fmt: skip
    assert _queries(client) == few
