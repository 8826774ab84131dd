"""The clinician's one name of a finding: {{ flag.code|flag_name }} → 「発熱」."""

from django import template

from diary import flag_text

register = template.Library()


@register.filter
def flag_name(code):
    """The name for a flag code; the code itself for one the rules do not know."""
    return flag_text.flag_name(code) if code in flag_text.NAMES else code
