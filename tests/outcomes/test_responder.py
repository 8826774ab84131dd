"""The OMERACT-OARSI criteria (Pham et al. 2004) at their boundaries, all domains measured."""

import pytest

from diary.outcomes import oarsi_responder

UNCHANGED = (50, 50)


def test_exactly_50_percent_and_20_points_in_pain_is_a_responder():
    assert oarsi_responder(pain=(40, 20), function=UNCHANGED, global_=UNCHANGED) is True


def test_exactly_50_percent_and_20_points_in_function_is_a_responder():
    assert oarsi_responder(pain=UNCHANGED, function=(40, 20), global_=UNCHANGED) is True


def test_the_boundary_holds_despite_floating_point_noise_in_a_mean():
    follow_up = (0.1 + 0.2) * 100 / 1.5  # 20 on paper, 20.000000000000004 in floating point
    assert follow_up > 20
    assert oarsi_responder(pain=(40, follow_up), function=UNCHANGED, global_=UNCHANGED) is True


def test_49_percent_in_one_domain_alone_is_not_a_responder():
    assert oarsi_responder(pain=(100, 51), function=UNCHANGED, global_=UNCHANGED) is False


def test_19_points_in_one_domain_alone_is_not_a_responder():
    assert oarsi_responder(pain=(30, 11), function=UNCHANGED, global_=UNCHANGED) is False


def test_20_points_below_50_percent_in_one_domain_alone_is_not_a_responder():
    assert oarsi_responder(pain=(60, 40), function=UNCHANGED, global_=UNCHANGED) is False


def test_a_large_improvement_in_global_alone_is_not_a_responder():
    # The high criterion is for pain or function only.
    assert oarsi_responder(pain=UNCHANGED, function=UNCHANGED, global_=(100, 0)) is False


def test_exactly_20_percent_and_10_points_in_two_domains_is_a_responder():
    assert oarsi_responder(pain=(50, 40), function=(50, 40), global_=UNCHANGED) is True


def test_the_low_criterion_holds_despite_floating_point_noise():
    pain = (50, 40.00000000000001)
    assert oarsi_responder(pain=pain, function=(50, 40), global_=UNCHANGED) is True


@pytest.mark.parametrize(
    "pain, function, global_",
    [
        ((50, 40), (50, 40), UNCHANGED),
        ((50, 40), UNCHANGED, (50, 40)),
        (UNCHANGED, (50, 40), (50, 40)),
        ((50, 40), (50, 40), (50, 40)),
    ],
)
def test_two_or_three_of_three_domains_meeting_the_low_criterion_is_a_responder(
    pain, function, global_
):
    assert oarsi_responder(pain=pain, function=function, global_=global_) is True


@pytest.mark.parametrize(
    "pain, function, global_",
    [
        ((50, 40), UNCHANGED, UNCHANGED),
        (UNCHANGED, (50, 40), UNCHANGED),
        (UNCHANGED, UNCHANGED, (50, 40)),
    ],
)
def test_one_of_three_domains_meeting_the_low_criterion_is_not_a_responder(pain, function, global_):
    assert oarsi_responder(pain=pain, function=function, global_=global_) is False


def test_9_points_in_the_second_domain_is_not_enough():
    assert oarsi_responder(pain=(50, 40), function=(50, 41), global_=UNCHANGED) is False


def test_10_points_below_20_percent_in_the_second_domain_is_not_enough():
    assert oarsi_responder(pain=(50, 40), function=(60, 50), global_=UNCHANGED) is False


def test_a_baseline_of_0_cannot_improve():
    assert oarsi_responder(pain=(0, 0), function=(0, 0), global_=(0, 0)) is False


def test_a_baseline_of_0_that_gets_worse_is_not_a_responder():
    assert oarsi_responder(pain=(0, 30), function=(0, 0), global_=(0, 0)) is False


def test_getting_worse_everywhere_is_not_a_responder():
    assert oarsi_responder(pain=(40, 70), function=(40, 60), global_=(40, 50)) is False


@pytest.mark.parametrize(
    "pair", [(101, 50), (50, -1), (float("nan"), 50), (50,), (50, 40, 30), [50, 40]]
)
def test_it_rejects_values_off_the_0_to_100_scale_or_malformed_pairs(pair):
    with pytest.raises(ValueError):
        oarsi_responder(pain=pair, function=UNCHANGED, global_=UNCHANGED)
