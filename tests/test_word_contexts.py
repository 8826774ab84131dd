"""Words that mean two things in Japanese carry a context (pgettext), translated per context."""

import pytest
from django.utils import translation
from django.utils.translation import pgettext

from diary.models import ErasureRequest, Flag

# (context, English, Japanese): the same English word, a different Japanese word per use.
CONTEXTS = [
    ("erasure request status", "Done", "完了"),
    ("today's diary is filled in", "Done", "記録済み"),
    ("open an erasure request to decide on it", "Review", "内容を確認"),
    ("chart legend: the goal's review date", "Review", "評価日"),
    ("flag status", "Open", "未対応"),
    ("column: when the patient asked", "Requested", "依頼日時"),
    ("day 0, the day of the injection", "Injection day", "注射当日"),
    ("using the arm or the joint", "Yes, normally", "はい、ふだんどおり使える"),
    ("using the arm or the joint", "No, I cannot", "いいえ、使えない"),
]


@pytest.mark.parametrize(("context", "english", "japanese"), CONTEXTS)
def test_each_context_has_its_own_japanese(context, english, japanese):
    with translation.override("ja"):
        assert pgettext(context, english) == japanese
    with translation.override("en"):
        assert pgettext(context, english) == english


def test_the_status_labels_use_their_contexts():
    with translation.override("ja"):
        assert str(ErasureRequest.Status.DONE.label) == "完了"
        assert str(Flag.Status.OPEN.label) == "未対応"


def test_a_leg_and_an_arm_answer_the_same_english_differently_in_japanese():
    with translation.override("ja"):
        leg = translation.gettext("No, I cannot")
        arm = pgettext("using the arm or the joint", "No, I cannot")
    assert (leg, arm) == ("いいえ、かけられない", "いいえ、使えない")
