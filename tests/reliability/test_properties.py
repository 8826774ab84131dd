"""Properties that must hold for any input (hypothesis): the diary form and page never break on
what a browser may send, and the red-flag rules do not depend on order or on later days."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from diary.forms import DiaryEntryForm
from diary.models import DiaryEntry
from diary.red_flags import MISSED_ENTRIES, REDNESS_CHOICES, WEIGHT_CHOICES, DayRecord, evaluate
from tests.factories import TODAY, days_ago, entry_form_data

FORM_FIELDS = tuple(DiaryEntryForm(today=TODAY).fields)
WITH_DB = settings(
    max_examples=60,
    deadline=None,
    database=None,  # no .hypothesis/ folder in the project
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PURE = settings(max_examples=80, deadline=None, database=None)

# --- What a browser (or anyone with curl) may send ------------------------------------------

AWKWARD = [
    "", " ", "NaN", "nan", "-NaN", "sNaN", "inf", "-inf", "Infinity", "-0", "+0", "-0.0",
    "1e3", "1E-400", "1e999999999", "-1", "11", "601", "10.0", "3.0", "0x10", "1_0", "½",
    "²", "٣٧", "１０", "３７．５", "37,5", "37。5", " 37.5 ", "37.55", "33.9", "42.6", "98.6",
    "\x00", "5\x00", "true", "false", "on", "off", "None", "null", "[]", "{}",
    "9" * 5000, "0." + "0" * 5000 + "1", "2026-11-26", "2026-11-27", "2026-02-30",
    "２０２６-１１-２６", "2026-11-26T10:00", "none", "present", "spreading", "full",
    "painful", "cannot", "<script>alert(1)</script>", "'; DROP TABLE diary_diaryentry; --",
]  # fmt: skip
junk = st.one_of(
    st.none(),
    st.sampled_from(AWKWARD),
    st.text(max_size=40),
    st.integers().map(str),
    st.integers(min_value=-20, max_value=1000).map(str),  # around every range's ends
    st.decimals("-5", "120", places=2).map(str),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.integers(min_value=1990, max_value=2010).map(lambda n: "あ" * n),  # notes' 2000 limit
)
valid = {
    "day": st.integers(min_value=0, max_value=30).map(lambda n: days_ago(n).isoformat()),
    "pain": st.integers(0, 10).map(str),
    "swelling": st.integers(0, 3).map(str),
    "warmth": st.integers(0, 3).map(str),
    "redness": st.sampled_from(REDNESS_CHOICES),
    "weight_bearing": st.sampled_from(WEIGHT_CHOICES),
    "temperature_c": st.one_of(
        st.none(), st.just(""), st.decimals("34.0", "42.5", places=1).map(str)
    ),
    "feverish": st.sampled_from([None, "on"]),
    "unwell": st.sampled_from([None, "on"]),
    "night_pain": st.one_of(st.none(), st.just(""), st.integers(0, 10).map(str)),
    "exercise_minutes": st.one_of(st.just(""), st.integers(0, 600).map(str)),
    "painkiller": st.sampled_from([None, "on"]),
    "notes": st.text(max_size=80),
    # The sending fields (issue 20): a key, the version of the (empty) day it loaded, and the
    # phone's count of the answers under the key.
    "submission_id": st.one_of(st.none(), st.uuids().map(str)),
    "loaded_version": st.one_of(st.none(), st.just("")),
    "answers_revision": st.one_of(st.none(), st.integers(1, 9).map(str)),
}
assert set(valid) == set(FORM_FIELDS)


# Just inside and just outside each field's range.
EDGES = {
    "day": [days_ago(0).isoformat(), days_ago(-1).isoformat(), "2026-11-31", "26-11-2026"],
    "pain": ["-1", "0", "10", "11", "4.0"],
    "swelling": ["-1", "0", "3", "4"],
    "warmth": ["-1", "0", "3", "4"],
    "redness": ["None", "spread", "PRESENT"],
    "weight_bearing": ["yes", "Full", "cannot "],
    "temperature_c": ["33.9", "34.0", "34", "42.5", "42.6", "92.9", "93.0", "108.5", "108.6",
                      "37.55", "37.50", "-37.5", "3.75e1"],
    "night_pain": ["-1", "0", "10", "11"],
    "exercise_minutes": ["-1", "0", "600", "601", "6000", "60.5", "1e2"],
    "notes": ["x" * 2000, "x" * 2001, " " * 2001, "\x00"],
}  # fmt: skip


@st.composite
def form_data(draw) -> dict:
    """A valid submission with a few fields replaced by edge values or junk (None: left out)."""
    data = draw(st.fixed_dictionaries(valid))
    for name in draw(st.sets(st.sampled_from([*FORM_FIELDS, "extra"]), max_size=4)):
        data[name] = draw(st.one_of(st.sampled_from(EDGES.get(name, ["?"])), junk))
    return {name: value for name, value in data.items() if value is not None}


# Mostly near-valid submissions (so that valid ones are common), sometimes junk in every field.
submissions = st.one_of(
    form_data(),
    form_data(),
    st.dictionaries(st.sampled_from([*FORM_FIELDS, "extra"]), junk.filter(bool)),
)


@pytest.mark.django_db
@WITH_DB
@given(data=submissions)
def test_any_form_input_is_either_valid_and_storable_or_invalid(patient, data):
    form = DiaryEntryForm(data, today=TODAY)
    event("valid" if form.is_valid() else "invalid")
    if form.is_valid():
        entry = DiaryEntry(patient=patient, day=form.cleaned_data["day"], **form.entry_values())
        entry.full_clean(validate_unique=False)  # the model agrees with the form
    else:
        assert form.errors
        assert set(form.errors) <= set(FORM_FIELDS) | {"__all__"}


@pytest.mark.django_db
@WITH_DB
@given(data=submissions)
def test_posting_any_input_writes_a_whole_valid_entry_or_nothing(patient, patient_client, data):
    # Today's form has no date: the page's day (today) stands, whatever the request says.
    form = DiaryEntryForm({**data, "day": TODAY.isoformat()}, today=TODAY)
    with transaction.atomic():  # each example starts from a diary without entries
        response = patient_client.post("/diary/entry/", data)
        entries = list(DiaryEntry.objects.filter(patient=patient))
        transaction.set_rollback(True)

    if form.is_valid():
        day = form.cleaned_data["day"]
        assert response.status_code == 302
        assert response["Location"] == f"/diary/entry/{day.isoformat()}/saved/"
        (entry,) = entries
        assert entry.day == day
        assert entry.snapshot() == DiaryEntry(**form.entry_values()).snapshot()
        entry.full_clean(validate_unique=False)
    else:
        assert response.status_code == 200
        assert entries == []


VALID_FORM = entry_form_data(feverish="on")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "value"), [(name, value) for name, values in EDGES.items() for value in values]
)
def test_each_edge_value_alone_is_refused_by_the_form_or_accepted_by_the_model(name, value):
    """The deterministic companion of the two properties above: every edge value on its own."""
    form = DiaryEntryForm({**VALID_FORM, name: value}, today=TODAY)
    if form.is_valid():
        entry = DiaryEntry(day=form.cleaned_data["day"], **form.entry_values())
        entry.full_clean(exclude=["patient"], validate_unique=False)
    else:
        assert list(form.errors) == [name]


# --- The red-flag rules ---------------------------------------------------------------------

FIRST_DAY = date(2026, 10, 1)


def on(offset: int) -> date:
    return FIRST_DAY + timedelta(days=offset)


offsets = st.integers(min_value=0, max_value=40)
temperatures = st.one_of(
    st.none(),
    st.integers(350, 415).map(lambda tenths: tenths / 10),
    st.decimals("35.0", "41.5", places=1),
)


def day_records(day: st.SearchStrategy[date]) -> st.SearchStrategy[DayRecord]:
    return st.builds(
        DayRecord,
        day=day,
        pain=st.integers(0, 10),
        swelling=st.integers(0, 3),
        warmth=st.integers(0, 3),
        redness=st.sampled_from(REDNESS_CHOICES),
        weight_bearing=st.sampled_from(WEIGHT_CHOICES),
        temperature_c=temperatures,
        feverish=st.booleans(),
        unwell=st.booleans(),
    )


histories = st.lists(day_records(offsets.map(on)), unique_by=lambda r: r.day, max_size=25)
injection_days = st.lists(st.integers(min_value=-5, max_value=40).map(on), max_size=3)
todays = st.one_of(st.none(), offsets.map(on))


@st.composite
def thresholds(draw) -> dict:
    caution = draw(st.integers(365, 395))
    urgent = caution + draw(st.integers(0, 15))
    return {"fever_caution_c": caution / 10, "fever_urgent_c": urgent / 10}


def full(findings) -> list:
    """Findings with their evidence, which plain equality leaves out."""
    return [(finding, finding.evidence) for finding in findings]


@PURE
@given(
    records=histories,
    injections=injection_days,
    today=todays,
    limits=thresholds(),
    data=st.data(),
)
def test_the_order_of_records_and_injections_does_not_matter(
    records, injections, today, limits, data
):
    expected = full(evaluate(records, injections, today, **limits))
    shuffled = data.draw(st.permutations(records))
    shuffled_injections = data.draw(st.permutations(injections))
    assert full(evaluate(shuffled, shuffled_injections, today, **limits)) == expected
    assert full(evaluate(iter(shuffled), iter(injections), today, **limits)) == expected


@PURE
@given(records=histories, injections=injection_days, today=todays, data=st.data())
def test_adding_a_day_never_changes_the_findings_of_the_days_before_it(
    records, injections, today, data
):
    """missed_entries aside (it is about "today"), a rule only looks back: a later entry
    cannot change what was found about an earlier day."""
    taken = {record.day for record in records}
    new_day = data.draw(offsets.map(on).filter(lambda day: day not in taken), label="new day")
    added = data.draw(day_records(st.just(new_day)), label="added record")

    def earlier(findings):
        return [(f, f.evidence) for f in findings if f.on < new_day and f.code != MISSED_ENTRIES]

    before = evaluate(records, injections, today)
    after = evaluate([*records, added], injections, today)
    assert earlier(after) == earlier(before)


@PURE
@given(records=histories, injections=injection_days, data=st.data())
def test_adding_a_later_day_keeps_every_earlier_finding_but_missed_entries(
    records, injections, data
):
    """The brief's own wording: a day after every recorded day, `today` left to default."""
    last = max((record.day for record in records), default=on(0))
    added = data.draw(
        day_records(st.integers(1, 10).map(lambda n: last + timedelta(days=n))), label="added"
    )
    before = [(f, f.evidence) for f in evaluate(records, injections) if f.code != MISSED_ENTRIES]
    after = [
        (f, f.evidence)
        for f in evaluate([*records, added], injections)
        if f.code != MISSED_ENTRIES and f.on < added.day
    ]
    assert after == before


@PURE
@given(
    records=histories.filter(bool),
    injections=injection_days,
    data=st.data(),
)
def test_two_records_for_one_day_are_refused(records, injections, data):
    twin_of = data.draw(st.sampled_from(records), label="duplicated day")
    twin = data.draw(day_records(st.just(twin_of.day)), label="second record")
    position = data.draw(st.integers(0, len(records)), label="position")
    with pytest.raises(ValueError, match=twin_of.day.isoformat()):
        evaluate([*records[:position], twin, *records[position:]], injections)


def test_the_temperature_strategy_covers_the_decimal_the_database_returns():
    """DayRecords built from the database carry Decimal temperatures; the rules must treat
    37.5 and Decimal("37.5") alike (a guard for the strategies above)."""
    as_float = DayRecord(on(5), 0, 0, 0, "none", "full", temperature_c=37.5)
    as_decimal = DayRecord(on(5), 0, 0, 0, "none", "full", temperature_c=Decimal("37.5"))
    assert evaluate([as_float], [on(0)]) == evaluate([as_decimal], [on(0)]) != []
