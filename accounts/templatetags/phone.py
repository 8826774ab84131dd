"""`{{ clinic.phone|tel }}`: a phone number as a tap-to-call link target."""

from django import template

from diary.flag_text import tel_href

register = template.Library()


@register.filter
def tel(phone: str) -> str:
    return tel_href(phone or "")
