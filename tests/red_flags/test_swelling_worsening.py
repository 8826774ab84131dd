from datetime import date, timedelta
from functools import partial

from diary.red_flags import (
    EARLY_REACTION,
    INFO,
    SWELLING_WORSENING,
    URGENT,
    DayRecord,
    Finding,
    evaluate,
)

INJECTION = date(2024, 4, 1)
record = partial(DayRecord, pain=0, swelling=0, warmth=0, redness="none", weight_bearing="full")


def day(n: int) -> date:
    return INJECTION + timedelta(days=n)


def swelling_by_day(swelling: dict[int, int]) -> list[DayRecord]:
    return [record(day(n), swelling=value) for n, value in swelling.items()]


def codes(records: list[DayRecord], code: str, injections=(INJECTION,)) -> list[Finding]:
    return [f for f in evaluate(records, injections) if f.code == code]


def test_swelling_rising_three_days_in_a_row_after_day_two_is_urgent():
    found = codes(swelling_by_day({3: 0, 4: 1, 5: 2}), SWELLING_WORSENING)
    assert found == [Finding(SWELLING_WORSENING, URGENT, day(5))]
    assert found[0].evidence == (day(3), day(4), day(5))


def test_rise_ending_on_day_three_is_urgent():
    found = codes(swelling_by_day({1: 0, 2: 1, 3: 2}), SWELLING_WORSENING)
    assert found == [Finding(SWELLING_WORSENING, URGENT, day(3))]


def test_rise_ending_on_day_two_is_an_early_reaction_instead():
    records = swelling_by_day({0: 0, 1: 1, 2: 2})
    assert codes(records, SWELLING_WORSENING) == []
    assert Finding(EARLY_REACTION, INFO, day(2)) in evaluate(records, [INJECTION])


def test_swelling_that_stays_level_does_not_fire():
    assert codes(swelling_by_day({3: 1, 4: 1, 5: 2}), SWELLING_WORSENING) == []
    assert codes(swelling_by_day({3: 1, 4: 2, 5: 2}), SWELLING_WORSENING) == []


def test_falling_swelling_does_not_fire():
    assert codes(swelling_by_day({3: 3, 4: 2, 5: 1}), SWELLING_WORSENING) == []


def test_skipped_days_do_not_hide_the_rise():
    found = codes(swelling_by_day({3: 0, 5: 1, 6: 2}), SWELLING_WORSENING)
    assert found == [Finding(SWELLING_WORSENING, URGENT, day(6))]
    assert found[0].evidence == (day(3), day(5), day(6))
    assert codes(swelling_by_day({3: 0, 4: 1, 6: 2}), SWELLING_WORSENING)[0].on == day(6)


def test_logged_every_other_day_the_rise_is_caught_on_each_later_entry():
    found = codes(swelling_by_day({3: 0, 5: 1, 7: 2, 9: 3}), SWELLING_WORSENING)
    assert [f.on for f in found] == [day(7), day(9)]


def test_three_entries_spanning_four_days_count_and_five_do_not():
    assert codes(swelling_by_day({3: 0, 5: 1, 7: 2}), SWELLING_WORSENING)[0].on == day(7)
    assert codes(swelling_by_day({3: 0, 6: 1, 8: 2}), SWELLING_WORSENING) == []


def test_the_rise_is_read_from_the_two_latest_entries_before():
    # Day 4 sits between: 0 -> 2 -> 1 -> 2 is no rise across the last three entries.
    assert codes(swelling_by_day({3: 0, 4: 2, 5: 1, 6: 2}), SWELLING_WORSENING) == []


def test_a_longer_rise_fires_on_each_day_it_continues():
    found = codes(swelling_by_day({3: 0, 4: 1, 5: 2, 6: 3}), SWELLING_WORSENING)
    assert [f.on for f in found] == [day(5), day(6)]


def test_before_the_first_injection_and_without_one_it_is_not_judged():
    records = swelling_by_day({-6: 0, -5: 1, -4: 2})
    assert codes(records, SWELLING_WORSENING) == []
    assert codes(swelling_by_day({3: 0, 4: 1, 5: 2}), SWELLING_WORSENING, injections=()) == []


def test_second_injection_restarts_the_reaction_window():
    second = day(10)
    records = swelling_by_day({9: 0, 10: 1, 11: 2})
    assert codes(records, SWELLING_WORSENING, (INJECTION, second)) == []
    found = codes(records, EARLY_REACTION, (INJECTION, second))
    assert found[-1] == Finding(EARLY_REACTION, INFO, day(11))
    assert found[-1].evidence == (day(9), day(10), day(11))
