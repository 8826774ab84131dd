"""How long an urgent flag has waited, for the patient page: {{ flag.urgent_at|waiting_since }}."""

from django import template
from django.utils import timezone

from diary.waiting import waiting_text

register = template.Library()


@register.filter
def waiting_since(since):
    """ "waiting 45 min" / 「45分経過」 from `since` until now; empty without a time."""
    return waiting_text(since, timezone.now()) if since else ""
