"""Turning diary ratings into the 0-100 scales of the responder criteria."""

import pytest

from diary.outcomes import ability_to_difficulty, mean_or_none, nrs_to_100


def test_a_pain_rating_is_multiplied_by_ten():
    assert nrs_to_100(0) == 0
    assert nrs_to_100(7) == 70
    assert nrs_to_100(10) == 100


def test_an_ability_rating_becomes_difficulty_so_that_higher_is_worse():
    assert ability_to_difficulty(10) == 0
    assert ability_to_difficulty(7) == 30
    assert ability_to_difficulty(0) == 100


@pytest.mark.parametrize("value", [-1, 10.5, float("nan")])
def test_ratings_off_the_0_to_10_scale_are_rejected(value):
    with pytest.raises(ValueError):
        nrs_to_100(value)
    with pytest.raises(ValueError):
        ability_to_difficulty(value)


def test_the_mean_ignores_blanks():
    assert mean_or_none([2, None, 4]) == 3


def test_the_mean_of_nothing_is_none():
    assert mean_or_none([]) is None
    assert mean_or_none([None, None]) is None


def test_the_mean_needs_the_minimum_count_of_values():
    assert mean_or_none([2, 4, None], min_count=3) is None
    assert mean_or_none([2, 4, 6], min_count=3) == 4


def test_the_mean_is_accurate_for_tenths():
    assert mean_or_none([0.1, 0.2, 0.3]) == pytest.approx(0.2)
