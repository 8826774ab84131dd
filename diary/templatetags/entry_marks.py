"""The clinician's entries table: {{ entry.notes|tidy_note }} (diary/entry_marks.py)."""

from django import template

from diary.entry_marks import tidy_note as _tidy_note

register = template.Library()


@register.filter
def tidy_note(text):
    """The note's lines without empty ones; escape it afterwards (linebreaksbr does)."""
    return _tidy_note(text)
