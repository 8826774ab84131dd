from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    # Django's own text says both fields are case-sensitive; the e-mail address is not.
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The e-mail address or the password is not right. Please check the password "
            "(capital and small letters count) and try again."
        ),
    }


class PatientRegisterForm(forms.ModelForm):
    """A clinician registers a patient of their own clinic; the clinic is never a choice."""

    class Meta:
        model = User
        fields = ["name", "email", "patient_number", "birth_date", "language"]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.clinic = clinic
        self.instance.clinic = clinic
        self.instance.role = User.Role.PATIENT
        self.fields["patient_number"].required = True

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            # One message wherever the address is in use (this clinic, another clinic, a
            # member of staff): it must not tell that a person is a patient somewhere else.
            raise forms.ValidationError(
                _(
                    "This e-mail address cannot be used for a new patient. Please check it "
                    "with the patient, or use another address."
                ),
                code="unavailable",
            )
        return email

    def clean_patient_number(self):
        number = self.cleaned_data["patient_number"].strip()
        if User.objects.filter(clinic=self.clinic, patient_number=number).exists():
            raise forms.ValidationError(_("This patient number is already in use at your clinic."))
        return number
