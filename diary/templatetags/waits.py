"""Times in words for templates (diary/waiting.py): {{ entry.updated_at|ago }} → 「5分前」,
{{ flag.urgent_at|waiting_since }} → 「未対応：45分」, {{ goal.review_date|overdue_on:today }}."""

from django import template
from django.utils import timezone

from diary.triage import review_overdue
from diary.waiting import time_ago, waiting_text

register = template.Library()


@register.filter
def waiting_since(since):
    """ "waiting 45 min" / 「未対応：45分」 from `since` until now; empty without a time."""
    return waiting_text(since, timezone.now()) if since else ""


@register.filter
def ago(then):
    """ "just now", "5 minutes ago", … / 「たった今」「5分前」…, the date from 30 days; empty
    without a time."""
    return time_ago(then) if then else ""


@register.filter
def overdue_on(review_date, today):
    """{% if goal.review_date|overdue_on:today %}: the review date passed this past week."""
    return bool(review_date and today) and review_overdue(review_date, today)
