"""Not enough data: a verdict only when the missing domains could not change it."""

import pytest

from diary.outcomes import ResponderResult, oarsi_responder, responder_verdict

UNCHANGED = (50, 50)


def test_no_data_at_all_is_no_verdict():
    assert oarsi_responder(pain=None, function=None, global_=None) is None


def test_the_domains_default_to_missing():
    assert oarsi_responder() is None


def test_criteria_met_by_the_domains_given_is_a_responder_whatever_is_missing():
    assert oarsi_responder(pain=(40, 20), function=None, global_=None) is True
    assert oarsi_responder(pain=None, function=(40, 20), global_=None) is True
    assert oarsi_responder(pain=(50, 40), function=None, global_=(50, 40)) is True


@pytest.mark.parametrize("missing", ["pain", "function"])
def test_missing_pain_or_function_could_still_meet_the_high_criterion(missing):
    domains = {"pain": UNCHANGED, "function": UNCHANGED, "global_": UNCHANGED}
    domains[missing] = None
    assert oarsi_responder(**domains) is None


def test_missing_global_cannot_matter_when_pain_and_function_did_not_improve():
    assert oarsi_responder(pain=UNCHANGED, function=UNCHANGED, global_=None) is False


def test_missing_global_could_matter_when_one_domain_met_the_low_criterion():
    assert oarsi_responder(pain=(50, 40), function=UNCHANGED, global_=None) is None


def test_a_missing_follow_up_could_matter_when_the_baseline_leaves_room_to_improve():
    assert oarsi_responder(pain=(50, None), function=UNCHANGED, global_=UNCHANGED) is None


def test_a_missing_follow_up_cannot_matter_when_the_baseline_is_too_low_to_improve_enough():
    # Even a fall from 15 to 0 is under 20 points, and one low-criterion domain is not enough.
    assert oarsi_responder(pain=(15, None), function=UNCHANGED, global_=UNCHANGED) is False


def test_a_missing_follow_up_after_a_baseline_of_0_cannot_matter():
    assert oarsi_responder(pain=(0, None), function=UNCHANGED, global_=UNCHANGED) is False


def test_a_missing_baseline_could_matter_when_the_follow_up_leaves_room():
    assert oarsi_responder(pain=(None, 50), function=UNCHANGED, global_=UNCHANGED) is None


def test_a_missing_baseline_cannot_matter_when_the_follow_up_is_too_high():
    # Even from the worst baseline (100) a follow-up of 91 is a fall of 9 points.
    assert oarsi_responder(pain=(None, 91), function=UNCHANGED, global_=UNCHANGED) is False


def test_a_pair_of_two_nones_counts_as_missing():
    assert oarsi_responder(pain=(None, None), function=UNCHANGED, global_=UNCHANGED) is None
    assert oarsi_responder(pain=UNCHANGED, function=UNCHANGED, global_=(None, None)) is False


def test_the_verdict_names_no_missing_domain_when_all_were_measured():
    result = responder_verdict(pain=(40, 20), function=UNCHANGED, global_=UNCHANGED)
    assert result == ResponderResult(True, (), (), ())


def test_the_verdict_says_which_domains_lack_a_baseline_or_a_follow_up():
    result = responder_verdict(pain=(None, 30), function=None, global_=(50, None))
    assert result.responder is None
    assert result.missing == ("pain", "function", "global")
    assert result.missing_baseline == ("pain", "function")
    assert result.missing_follow_up == ("function", "global")


def test_the_verdict_lists_missing_domains_even_when_they_could_not_matter():
    result = responder_verdict(pain=UNCHANGED, function=UNCHANGED, global_=None)
    assert result == ResponderResult(False, ("global",), ("global",), ("global",))


def test_the_verdict_agrees_with_oarsi_responder():
    cases = [
        {"pain": (40, 20)},
        {"pain": UNCHANGED, "function": UNCHANGED},
        {"pain": (50, None), "function": UNCHANGED, "global_": UNCHANGED},
    ]
    for case in cases:
        assert responder_verdict(**case).responder == oarsi_responder(**case)
