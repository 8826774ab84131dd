"""The one-step form of a call-list row: a note, then the button that says how the call went."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from diary.models import CallOutcome, CallReason


class CallOutcomeForm(forms.Form):
    # The buttons are named `result`: pressing one submits the row with its value.
    result = forms.ChoiceField(
        choices=CallOutcome.Result.choices,
        error_messages={"required": _("Choose how the call went: reached, no answer or message.")},
    )
    reason = forms.ChoiceField(choices=CallReason.choices, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"maxlength": 500}),
    )
