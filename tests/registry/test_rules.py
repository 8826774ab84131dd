"""The register's arithmetic (registry/rules.py), without a database."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from registry import rules
from registry.rules import (
    EventRecord,
    GroupInjection,
    GroupReview,
    Proportion,
    Review,
    TreatedInjection,
)

# --- Deadlines ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "seriousness, days",
    [("death", 7), ("life_threatening", 7), ("hospitalisation", 15), ("disability", 15),
     ("other_serious", 15)],
)  # fmt: skip
def test_a_serious_event_is_due_7_or_15_days_after_the_clinic_learned_of_it(seriousness, days):
    learned = date(2026, 11, 20)
    deadline = rules.report_deadline(seriousness, learned)
    assert (deadline - learned).days == days


def test_the_day_the_clinic_learned_of_it_is_day_0():
    assert rules.report_deadline("death", date(2026, 12, 28)) == date(2027, 1, 4)


@pytest.mark.parametrize(
    "kwargs",
    [{"seriousness": "not_serious"}, {"under_plan": False}, {"relation": "not_related"}],
)
def test_no_report_is_owed_when_not_serious_not_under_a_plan_or_judged_unrelated(kwargs):
    arguments = {"seriousness": "hospitalisation", "learned_on": date(2026, 11, 1), **kwargs}
    assert rules.report_deadline(**arguments) is None


def test_an_event_of_unknown_relation_is_reported():
    assert rules.report_deadline("death", date(2026, 11, 1), relation="unknown") is not None


def test_an_unknown_seriousness_is_refused():
    with pytest.raises(ValueError):
        rules.report_deadline("quite bad", date(2026, 11, 1))


def test_days_left_counts_down_to_zero_and_below():
    deadline = date(2026, 11, 30)
    assert [rules.days_left(deadline, date(2026, 11, d)) for d in (27, 30)] == [3, 0]
    assert rules.days_left(deadline, date(2026, 12, 2)) == -2


# --- Plan years, periodic reports, retention ---------------------------------------------


def test_plan_years_count_from_the_day_the_plan_was_accepted():
    first = rules.plan_year(date(2025, 4, 10), 1)
    assert (first.start, first.end) == (date(2025, 4, 10), date(2026, 4, 9))
    second = rules.plan_year(date(2025, 4, 10), 2)
    assert (second.start, second.end) == (date(2026, 4, 10), date(2027, 4, 9))


def test_the_periodic_report_is_due_90_days_after_the_year_ends():
    year = rules.plan_year(date(2025, 4, 10), 1)
    assert year.report_due == date(2026, 7, 8)
    assert (year.report_due - year.end).days == 90


def test_a_plan_accepted_on_29_february_has_years_ending_on_28_february():
    assert rules.plan_year(date(2024, 2, 29), 1).end == date(2025, 2, 28)
    assert rules.plan_year(date(2024, 2, 29), 2).start == date(2025, 3, 1)
    assert rules.plan_year(date(2024, 2, 29), 4).end == date(2028, 2, 28)


@pytest.mark.parametrize(
    "day, number",
    [(date(2025, 4, 9), None), (date(2025, 4, 10), 1), (date(2026, 4, 9), 1),
     (date(2026, 4, 10), 2), (date(2031, 1, 1), 6)],
)  # fmt: skip
def test_the_plan_year_of_a_day(day, number):
    assert rules.plan_year_number(date(2025, 4, 10), day) == number


def test_every_year_begun_is_listed():
    years = rules.plan_years(date(2025, 4, 10), date(2026, 4, 10))
    assert [y.number for y in years] == [1, 2]
    assert years[0].ended(date(2026, 4, 10)) and not years[1].ended(date(2026, 4, 10))
    assert rules.plan_years(date(2025, 4, 10), date(2025, 1, 1)) == []


def test_records_are_kept_10_years_after_the_last_treatment():
    assert rules.retention_until(date(2026, 1, 10)) == date(2036, 1, 10)
    assert rules.retention_until(date(2028, 2, 29)) == date(2038, 2, 28)
    assert rules.retained(date(2026, 1, 10), date(2036, 1, 10))
    assert not rules.retained(date(2026, 1, 10), date(2036, 1, 11))
    assert not rules.retained(None, date(2026, 1, 1))


# --- Wilson and medians --------------------------------------------------------------------


@pytest.mark.parametrize(
    "k, n, low, high",
    # Reference values: Newcombe 1998 (Stat Med 17:857), table I, method 3 (Wilson).
    [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611),
     (1, 29, 0.0061, 0.1718)],
)  # fmt: skip
def test_the_wilson_interval_matches_the_published_values(k, n, low, high):
    interval = rules.wilson_interval(k, n)
    assert interval == pytest.approx((low, high), abs=5e-5)


def test_the_wilson_interval_stays_inside_0_and_1_and_needs_a_group():
    assert rules.wilson_interval(10, 10)[1] == pytest.approx(1.0)
    assert rules.wilson_interval(0, 10)[0] == 0.0
    assert rules.wilson_interval(0, 0) is None
    with pytest.raises(ValueError):
        rules.wilson_interval(11, 10)


def test_a_proportion_gives_its_share_and_interval():
    assert Proportion(3, 4).share == 0.75
    assert Proportion(0, 0).share is None and Proportion(0, 0).interval is None


def test_the_median_ignores_blanks_and_says_none_without_values():
    assert rules.median([3, None, -1, 2]) == 2
    assert rules.median([-2, -1]) == -1.5
    assert rules.median([None]) is None


# --- The periodic report -----------------------------------------------------------------


def test_the_periodic_counts_of_a_hand_counted_year():
    day = date(2026, 5, 1)
    injections = [TreatedInjection(1, day), TreatedInjection(1, day), TreatedInjection(2, day),
                  TreatedInjection(3, day)]  # fmt: skip
    events = [EventRecord("hospitalisation", "recovered"), EventRecord("not_serious", "recovered"),
              EventRecord("hospitalisation", "recovering")]  # fmt: skip
    reviews = [
        Review(1, True, ("met", "improved")),
        Review(2, None, ("no_data",)),  # no verdict at all
        Review(9, True, ("met",)),  # not treated in the year: ignored
    ]
    counts = rules.periodic_counts(
        injections, events, reviews, outcomes=("recovered", "recovering", "fatal")
    )
    assert (counts.patients_treated, counts.injections_given) == (3, 4)
    assert (counts.events, counts.serious_events) == (3, 2)
    assert counts.by_seriousness("hospitalisation") == 2
    assert counts.by_outcome("recovered") == 2
    assert counts.events_by[("death", "fatal")] == 0
    assert (counts.follow_up.count, counts.follow_up.total) == (1, 3)
    assert (counts.responders, counts.non_responders, counts.responder_no_data) == (1, 0, 1)
    assert counts.goals == {"met": 1, "improved": 1, "not_met": 0, "no_data": 1}


def test_two_reviews_of_one_patient_are_refused():
    with pytest.raises(ValueError):
        rules.periodic_counts(
            [TreatedInjection(1, date(2026, 1, 1))], [], [Review(1, True), Review(1, False)]
        )


# --- What works in our clinic --------------------------------------------------------------


def test_group_figures_from_hand_counted_reviews():
    reviews = [
        GroupReview("prp", 1, True, ("met",), -3.0, True),
        GroupReview("prp", 2, False, ("not_met",), 1.0, False),
        GroupReview("prp", 3, None, ("no_data",), None, True),
        GroupReview("hyaluronic_acid", 4, True, ("improved",), -2.0, True),
    ]
    injections = [
        GroupInjection("prp", 1, ("fever",)),
        GroupInjection("prp", 2, ()),
        GroupInjection("prp", 2, ("fever", "unwell")),
        GroupInjection("prp", 3, ()),
    ]
    prp, ha, cells = rules.group_figures(
        reviews, injections, groups=["prp", "hyaluronic_acid", "cell_therapy"],
        flag_codes=["fever", "unwell"],
    )  # fmt: skip
    assert prp.patients_reviewed == 3 and prp.too_few_reviewed
    assert (prp.responders.count, prp.responders.total, prp.responder_no_data) == (1, 2, 1)
    assert prp.goals == {"met": 1, "improved": 0, "not_met": 1, "no_data": 1}
    assert prp.median_pain_change == -1.0 and prp.pain_changes == 2
    assert (prp.logging.count, prp.logging.total) == (2, 3)
    assert (prp.injections, prp.injected_patients) == (4, 3)
    assert prp.flags_by_code == {"fever": 2, "unwell": 1}
    assert prp.flags_per_100() == 75.0 and prp.flags_per_100("fever") == 50.0
    assert ha.patients_reviewed == 1 and ha.injections == 0 and ha.flags_per_100() is None
    assert cells.patients_reviewed == 0 and cells.responders.share is None


def test_five_patients_are_enough_to_say():
    reviews = [GroupReview("knee", n, True) for n in range(5)]
    (row,) = rules.group_figures(reviews, [], groups=["knee"], flag_codes=[])
    assert not row.too_few_reviewed
    assert row.responders.share == 1.0


def test_the_rules_module_imports_no_django():
    tree = ast.parse(Path(rules.__file__).read_text())
    imported = {
        (node.module or "").split(".")[0] if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    assert "django" not in imported
    assert imported <= {"__future__", "math", "statistics", "collections", "dataclasses",
                        "datetime", "collections.abc"}  # fmt: skip


def test_a_chart_names_a_group_without_its_bracketed_explanation():
    from registry.charts import short_label

    assert short_label("PRP (platelet-rich plasma)") == "PRP"
    assert short_label("PRP（多血小板血漿）") == "PRP"
    assert short_label("Knee") == "Knee"


def test_the_chart_module_imports_no_django_and_draws_an_svg():
    from registry import charts

    tree = ast.parse(Path(charts.__file__).read_text())
    modules = {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)} | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert not any(name.startswith(("django", "matplotlib.pyplot")) for name in modules)
    svg = charts.bar_chart(
        (charts.Bar("All", 75.0, 30.0, 95.0, "3/4"), charts.Bar("Hip", None, note="Too few")),
        axis="Responders (%)",
        limits=(0, 100),
    )
    assert svg.startswith(b"<?xml") and b"<svg" in svg
