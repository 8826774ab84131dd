"""Times and durations in words, one unit rounded down (diary/waiting.py): 「たった今」「5分前」
「3時間前」「4日前」, the date from 30 days; 「45分」「3時間」「2日」 for how long a flag waited.
Never Django's 「22時間, 22分前」."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.utils import translation

from diary.waiting import duration_text, precise_duration_text, time_ago, waiting_text
from tests.factories import FROZEN_NOW

NOW = FROZEN_NOW  # 2026-11-26 10:00 in Tokyo


def in_language(language: str, function, *args) -> str:
    with translation.override(language):
        return function(*args)


@pytest.mark.parametrize(
    ("elapsed", "english", "japanese"),
    [
        (timedelta(seconds=0), "just now", "たった今"),
        (timedelta(seconds=59), "just now", "たった今"),
        (timedelta(minutes=1), "1 minute ago", "1分前"),
        (timedelta(minutes=2), "2 minutes ago", "2分前"),
        (timedelta(minutes=59, seconds=59), "59 minutes ago", "59分前"),
        (timedelta(hours=1), "1 hour ago", "1時間前"),
        (timedelta(hours=1, minutes=59), "1 hour ago", "1時間前"),  # rounded down
        (timedelta(hours=22, minutes=22), "22 hours ago", "22時間前"),
        (timedelta(hours=23, minutes=59), "23 hours ago", "23時間前"),
        (timedelta(days=1), "1 day ago", "1日前"),
        (timedelta(days=4, hours=23), "4 days ago", "4日前"),
        (timedelta(days=29, hours=23), "29 days ago", "29日前"),
        (timedelta(days=30), "Oct. 27, 2026", "2026年10月27日"),  # the date itself
        (timedelta(days=400), "Oct. 22, 2025", "2025年10月22日"),
    ],
)
def test_time_ago_at_each_boundary(elapsed, english, japanese):
    assert in_language("en", time_ago, NOW - elapsed, NOW) == english
    assert in_language("ja", time_ago, NOW - elapsed, NOW) == japanese


def test_the_date_is_the_day_in_the_clinics_time_zone():
    # 01:00 in Tokyo on the 26th is still the 25th in UTC: the date is read in Tokyo.
    then = (NOW - timedelta(days=31)).replace(hour=1)
    assert in_language("ja", time_ago, then, NOW) == "2026年10月26日"


def test_a_clock_slightly_ahead_reads_just_now():
    assert in_language("en", time_ago, NOW + timedelta(seconds=5), NOW) == "just now"


def test_no_time_reads_nothing():
    assert time_ago(None, NOW) == ""


@pytest.mark.parametrize(
    ("minutes", "english", "japanese"),
    [
        (0, "under 1 min", "1分未満"),
        (1, "1 min", "1分"),
        (45, "45 min", "45分"),
        (59, "59 min", "59分"),
        (60, "1 h", "1時間"),
        (75, "1 h", "1時間"),  # one unit, rounded down
        (200, "3 h", "3時間"),
        (23 * 60 + 59, "23 h", "23時間"),
        (24 * 60, "1 day", "1日"),
        (2 * 24 * 60 + 600, "2 days", "2日"),
        (30 * 24 * 60, "30 days", "30日"),
    ],
)
def test_duration_in_one_unit(minutes, english, japanese):
    assert in_language("en", duration_text, minutes) == english
    assert in_language("ja", duration_text, minutes) == japanese


def test_the_urgent_flags_wait():
    since = NOW - timedelta(hours=3, minutes=20)
    assert in_language("en", waiting_text, since, NOW) == "waiting 3 h"
    assert in_language("ja", waiting_text, since, NOW) == "未対応：3時間"
    # A flag raised a moment ago has waited "1 min", never "0 min".
    assert in_language("en", waiting_text, NOW - timedelta(seconds=10), NOW) == "waiting 1 min"


@pytest.mark.parametrize(
    ("minutes", "english", "japanese"),
    [(45, "45 min", "45分"), (75, "1 h 15 min", "1時間15分"), (120, "2 h", "2時間"),
     (1500, "1 day 1 h", "1日1時間"), (10 * 24 * 60 + 60, "10 days", "10日")],
)  # fmt: skip
def test_the_quality_pages_medians_keep_two_units(minutes, english, japanese):
    assert in_language("en", precise_duration_text, minutes) == english
    assert in_language("ja", precise_duration_text, minutes) == japanese


def test_the_template_filter(frozen_now):
    template = Template("{% load waits %}{{ then|ago }}|{{ nothing|ago }}")
    with translation.override("ja"):
        rendered = template.render(Context({"then": NOW - timedelta(days=4), "nothing": None}))
    assert rendered == "4日前|"
