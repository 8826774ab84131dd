"""`evaluate_days` gives exactly `evaluate`'s findings on the days asked for, from only the
entries `days_needed` names, and `days_affected` names every day a change can alter."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from diary import red_flags as rf

START = date(2026, 3, 1)
SPAN = 24

records_strategy = st.builds(
    rf.DayRecord,
    day=st.just(START),
    pain=st.integers(0, 10),
    swelling=st.integers(0, 3),
    warmth=st.integers(0, 3),
    redness=st.sampled_from(rf.REDNESS_CHOICES),
    weight_bearing=st.sampled_from(rf.WEIGHT_CHOICES),
    temperature_c=st.one_of(st.none(), st.sampled_from([36.5, 37.5, 37.8, 38.0, 39.1])),
    feverish=st.booleans(),
    unwell=st.booleans(),
)


@st.composite
def histories(draw):
    """Random entries on random days (skipped days, entries before the first injection)."""
    dense = st.sets(st.integers(0, SPAN), min_size=SPAN // 2)
    every_few_days = st.lists(st.integers(1, 4), max_size=SPAN // 2).map(
        lambda steps: {sum(steps[:n]) for n in range(len(steps) + 1)}
    )
    offsets = draw(st.one_of(dense, every_few_days))
    records = [
        rf.DayRecord(**{**draw(records_strategy).__dict__, "day": START + timedelta(days=n)})
        for n in sorted(offsets)
    ]
    injections = [
        START + timedelta(days=n) for n in draw(st.sets(st.integers(0, SPAN // 2), max_size=2))
    ]
    today = START + timedelta(days=draw(st.integers(0, SPAN + 4)))
    return records, injections, today


def key(findings):
    return [(f.code, f.severity, f.on, f.evidence) for f in findings]


def needed(records, ranges):
    return [r for r in records if any(first <= r.day <= last for first, last in ranges)]


@settings(max_examples=500, deadline=None)
@given(history=histories(), picked=st.sets(st.integers(0, SPAN + 16), max_size=8))
def test_evaluate_days_is_evaluate_restricted_to_the_days(history, picked):
    records, injections, today = history
    days = {START + timedelta(days=n) for n in picked} | {today}
    expected = [f for f in rf.evaluate(records, injections, today) if f.on in days]
    assert key(rf.evaluate_days(records, injections, days, today)) == key(expected)
    # ... also from only the entries it says it reads.
    ranges = rf.days_needed(days, injections, today)
    part = needed(records, ranges)
    assert key(rf.evaluate_days(part, injections, days, today)) == key(expected)


@settings(max_examples=500, deadline=None)
@given(history=histories(), changed=st.integers(0, SPAN), replacement=records_strategy)
def test_a_changed_entry_alters_only_the_days_it_names(history, changed, replacement):
    records, injections, today = history
    day = START + timedelta(days=changed)
    edited = [r for r in records if r.day != day] + [
        rf.DayRecord(**{**replacement.__dict__, "day": day})
    ]
    before = set(key(rf.evaluate(records, injections, today)))
    after = set(key(rf.evaluate(edited, injections, today)))
    affected = rf.days_affected([day], injections) | {today}
    assert {f[2] for f in before ^ after} <= affected


def test_days_needed_merges_touching_ranges():
    day = date(2026, 3, 10)
    assert rf.days_needed([day, day + timedelta(days=5)], []) == [
        (day - timedelta(days=4), day + timedelta(days=5))
    ]
    assert rf.days_needed([day], [date(2026, 3, 1)]) == [
        (date(2026, 3, 1), date(2026, 3, 3)),
        (date(2026, 3, 6), day),
    ]


def test_evaluate_days_refuses_what_evaluate_refuses():
    import pytest

    record = rf.DayRecord(START, 0, 0, 0, "none", "full")
    with pytest.raises(ValueError):
        rf.evaluate_days([record, record], [], [START])
    with pytest.raises(ValueError):
        rf.evaluate_days([record], [], [START], fever_caution_c=39, fever_urgent_c=38)


def test_an_entry_changes_the_trend_of_the_entry_four_days_later():
    """Entries on days 4, 6 and 8 are "the last three entries" of day 8: day 4 counts there."""
    injection = START
    record = rf.DayRecord(START, 0, 0, 0, "none", "full")

    def history(first_swelling):
        return [
            rf.DayRecord(**{**record.__dict__, "day": START + timedelta(days=n), "swelling": s})
            for n, s in ((4, first_swelling), (6, 1), (8, 2))
        ]

    eight = START + timedelta(days=8)
    rising = rf.evaluate(history(0), [injection])
    flat = rf.evaluate(history(1), [injection])
    assert (rf.SWELLING_WORSENING, eight) in {(f.code, f.on) for f in rising}
    assert (rf.SWELLING_WORSENING, eight) not in {(f.code, f.on) for f in flat}
    assert eight in rf.days_affected([START + timedelta(days=4)], [injection])
    assert rf.evaluate_days(history(0), [injection], [eight]) == [
        f for f in rising if f.on == eight
    ]
