from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from accounts.contact_forms import CONTACT_WIDGETS, ContactFieldsMixin
from accounts.models import User
from accounts.validators import password_rules


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
    # Patients only (accounts/sessions.py); clinic staff keep their short limits whatever it says.
    remember = forms.BooleanField(
        label=_("Stay signed in on this phone"),
        required=False,
        initial=True,
        help_text=_("Untick this on a phone or computer that other people use."),
    )


class PatientRegisterForm(ContactFieldsMixin, forms.ModelForm):
    """A clinician registers a patient of their own clinic; the clinic is never a choice.
    How to reach the patient is asked here too (accounts/contact_forms.py)."""

    class Meta:
        model = User
        fields = ["name", "name_kana", "email", "patient_number", "birth_date", "phone"]
        fields += ["phone2", "phone2_label", "language"]
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **CONTACT_WIDGETS,
        }

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_contact_fields()
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


class RoleSetPasswordForm(SetPasswordForm):
    """Django's form to choose a password, with only this user's rules as help text, in plain
    words (`password_rules`): Django's own text lists every validator for everyone, so patients
    read the staff's two-factor rules. Whatever is typed is kept as typed when the page shows it
    (a "show password" button turns the fields into text): no capitals or corrections added."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.password_rules = password_rules(user)
        self.fields["new_password1"].help_text = format_html(
            '<ul class="password-rules mb-0 ps-4">{}</ul>',
            format_html_join("", "<li>{}</li>", ((rule,) for rule in self.password_rules)),
        )
        for name in ("new_password1", "new_password2"):
            self.fields[name].widget.attrs.update(
                {"autocapitalize": "none", "autocorrect": "off", "spellcheck": "false"}
            )
