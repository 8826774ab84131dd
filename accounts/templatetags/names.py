"""How a person's or a clinic's name is shown: without bidirectional controls, and isolated.

`{{ patient.name|bdi }}` in HTML (a `<bdi>` element); `{{ patient.name|isolate }}` in text that
cannot hold markup, such as `<title>` or an attribute (FSI … PDI around the name).
"""

from django import template
from django.utils.html import format_html

from accounts.bidi import isolated, without_bidi_controls

register = template.Library()


@register.filter
def bdi(value) -> str:
    if value in (None, ""):
        return ""
    return format_html("<bdi>{}</bdi>", without_bidi_controls(str(value)))


@register.filter
def isolate(value) -> str:
    if value in (None, ""):
        return ""
    return isolated(str(value))
