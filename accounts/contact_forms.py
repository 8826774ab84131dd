"""The patient's contact details in a form: asked at registration, edited by the clinic.

Lenient about how a number or a kana reading is typed (full-width, half-width, hiragana, an
IME's 「ー」 as a dash), strict about what it is: each field says what it wants in words.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import contact
from accounts.bidi import without_bidi_controls
from accounts.models import User

PHONE_INVALID = _(
    "Enter the phone number with its area code in digits, e.g. 090-1234-5678. Hyphens, "
    "spaces, brackets and a + in front are fine."
)
KANA_INVALID = _(
    "Enter the name in kana only (hiragana or katakana, e.g. すずき はなこ). It is saved in "
    "katakana."
)
LABEL_MISSING = _("Say whose number this is, e.g. daughter.")
PHONE2_MISSING = _("Enter the second number, or leave “whose is the second number” empty.")

_TEL = {"type": "tel", "inputmode": "tel", "autocomplete": "off"}
CONTACT_WIDGETS = {
    "phone": forms.TextInput(attrs=_TEL),
    "phone2": forms.TextInput(attrs=_TEL),
    "name_kana": forms.TextInput(attrs={"lang": "ja", "autocomplete": "off"}),
}
CONTACT_HELP = {
    "name_kana": _("Reading of the name (フリガナ), in hiragana or katakana."),
    "phone": _("The number the clinic calls when the diary shows a warning sign."),
    "phone2": _("Optional: another number to try, e.g. a family member's."),
}


class ContactFieldsMixin:
    """Normalises and checks the contact fields of a ModelForm on User."""

    def _init_contact_fields(self) -> None:
        for name, text in CONTACT_HELP.items():
            self.fields[name].help_text = text

    def _phone(self, name: str) -> str:
        phone = contact.normalise_phone(self.cleaned_data.get(name, ""))
        if phone is None:
            raise forms.ValidationError(PHONE_INVALID, code="phone")
        return phone

    def clean_phone(self):
        return self._phone("phone")

    def clean_phone2(self):
        return self._phone("phone2")

    def clean_name_kana(self):
        kana = contact.normalise_kana(self.cleaned_data.get("name_kana", ""))
        if kana is None:
            raise forms.ValidationError(KANA_INVALID, code="kana")
        return kana

    def clean_phone2_label(self):
        return without_bidi_controls(self.cleaned_data.get("phone2_label", "")).strip()

    def clean(self):
        cleaned = super().clean()
        phone2, label = cleaned.get("phone2"), cleaned.get("phone2_label")
        if phone2 and not label and "phone2_label" not in self.errors:
            self.add_error("phone2_label", forms.ValidationError(LABEL_MISSING, code="label"))
        if label and not phone2 and "phone2" not in self.errors:
            self.add_error("phone2", forms.ValidationError(PHONE2_MISSING, code="phone2"))
        return cleaned


class PatientContactForm(ContactFieldsMixin, forms.ModelForm):
    """The clinic corrects or completes how it reaches a patient."""

    class Meta:
        model = User
        fields = list(contact.CONTACT_FIELDS)
        widgets = CONTACT_WIDGETS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_contact_fields()
