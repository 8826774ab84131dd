"""A course is the run of injections numbered 1…n; its baseline is the week before the first."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from diary.outcomes import baseline, baseline_window, first_injection_of_course, oarsi_responder


@dataclass(frozen=True)
class Shot:
    """An injection as the course rule sees it: when, and its number in the course."""

    day: date
    course_number: int


def weekly(first: date, numbers: list[int]) -> list[Shot]:
    """One injection a week from `first`, numbered as given."""
    return [Shot(first + timedelta(weeks=n), number) for n, number in enumerate(numbers)]


FIRST = date(2025, 5, 19)


def test_the_first_injection_starts_its_own_course():
    shots = weekly(FIRST, [1, 2, 3])
    assert first_injection_of_course(shots, shots[0]) == shots[0]


def test_the_fourth_injection_belongs_to_the_course_of_the_first():
    shots = weekly(FIRST, [1, 2, 3, 4])
    assert first_injection_of_course(shots, shots[3]) == shots[0]


def test_a_new_course_starts_at_the_next_number_1():
    shots = weekly(FIRST, [1, 2, 3, 1, 2])
    assert first_injection_of_course(shots, shots[4]) == shots[3]
    assert first_injection_of_course(shots, shots[2]) == shots[0]


def test_single_injections_are_each_a_course_of_their_own():
    shots = weekly(FIRST, [1, 1, 1])  # the number defaults to 1
    assert first_injection_of_course(shots, shots[2]) == shots[2]


def test_without_a_recorded_number_1_the_course_starts_at_the_earliest_of_the_run():
    shots = weekly(FIRST, [2, 3, 4])  # the patient joined the diary at the 2nd injection
    assert first_injection_of_course(shots, shots[2]) == shots[0]


def test_a_number_that_does_not_go_down_breaks_the_run():
    shots = weekly(FIRST, [3, 2, 3])  # "2" after "3" cannot be the same course
    assert first_injection_of_course(shots, shots[2]) == shots[1]


def test_a_gap_in_the_numbering_is_forgiven():
    shots = weekly(FIRST, [1, 3])  # the 2nd injection was not recorded
    assert first_injection_of_course(shots, shots[1]) == shots[0]


def test_an_injection_not_in_the_list_is_an_error():
    shots = weekly(FIRST, [1, 2])
    with pytest.raises(ValueError):
        first_injection_of_course(shots, Shot(FIRST - timedelta(days=1), 1))


def test_a_goal_after_the_4th_injection_is_judged_against_the_week_before_the_1st():
    """Pain 8 before the course, 3 before the 4th injection (the course already helped), 3 at
    the review: against the 1st it is a responder; against the 4th it would not be."""
    shots = weekly(FIRST, [1, 2, 3, 4])
    pain = {}
    for day in range(7):
        pain[FIRST - timedelta(days=7 - day)] = 80  # the week before the 1st, on 0-100
        pain[shots[3].day - timedelta(days=7 - day)] = 30  # the week before the 4th
    start = first_injection_of_course(shots, shots[3])
    assert baseline_window(start.day) == (date(2025, 5, 12), date(2025, 5, 18))
    course_baseline = baseline(pain, start.day)
    assert course_baseline.value == 80
    unchanged = (50, 50)  # function and patient global, measured, no better
    assert oarsi_responder((course_baseline.value, 30), unchanged, unchanged) is True
    assert oarsi_responder((baseline(pain, shots[3].day).value, 30), unchanged, unchanged) is False
