"""The sign-in page: "Stay signed in on this phone", and whom to call when signing in fails.

The page names the clinic's phone number once it can tell which clinic without telling whether
an account exists: from a signed cookie set on this browser by an earlier sign-in, or from the
domain of the typed e-mail address when a clinic lists it (`Clinic.email_domains`). Neither
depends on the address having an account.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import LoginView

from accounts.forms import EmailAuthenticationForm
from accounts.models import Clinic
from accounts.sessions import stay_signed_in_start

CLINIC_COOKIE = "diary_clinic"
CLINIC_COOKIE_SALT = "accounts.signin.clinic"
CLINIC_COOKIE_AGE = 400 * 24 * 3600  # browsers keep a cookie at most about 400 days


def clinic_from_cookie(request) -> Clinic | None:
    clinic_id = request.get_signed_cookie(CLINIC_COOKIE, default=None, salt=CLINIC_COOKIE_SALT)
    if not clinic_id or not str(clinic_id).isdigit():
        return None
    return Clinic.objects.filter(pk=int(clinic_id)).first()


def clinic_from_email(email: str) -> Clinic | None:
    """The clinic that lists the address's domain, whether or not the address has an account."""
    domain = email.rpartition("@")[2].strip().lower() if "@" in (email or "") else ""
    if not domain:
        return None
    for clinic in Clinic.objects.exclude(email_domains="").filter(email_domains__icontains=domain):
        if domain in clinic.email_domain_list():
            return clinic
    return None


def help_clinic(request, email: str = "") -> Clinic | None:
    """Whose phone number the sign-in help can name on this browser, if anyone's."""
    return clinic_from_email(email) or clinic_from_cookie(request)


def clinic_cookie_update(request, response) -> None:
    """Remember on this browser which clinic its last signed-in user belongs to (not who)."""
    clinic_id = request.user.clinic_id
    if not clinic_id:
        return
    current = request.get_signed_cookie(CLINIC_COOKIE, default=None, salt=CLINIC_COOKIE_SALT)
    if current == str(clinic_id):
        return
    response.set_signed_cookie(
        CLINIC_COOKIE,
        str(clinic_id),
        salt=CLINIC_COOKIE_SALT,
        max_age=CLINIC_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


class SignInView(LoginView):
    """Django's LoginView with the stay-signed-in choice and the call-the-clinic line."""

    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        clinic = clinic_from_cookie(self.request)
        if clinic is not None and not clinic.patients_stay_signed_in:
            form.fields.pop("remember", None)  # this browser's clinic does not offer it
        return form

    def form_valid(self, form):
        response = super().form_valid(form)  # signs in: a new session id
        stay_signed_in_start(self.request, remember=form.cleaned_data.get("remember", False))
        # The sign-in itself marked the password as just given (recent_auth_mark, through
        # user_logged_in); the middleware sets the clinic cookie.
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        email = self.request.POST.get("username", "") if self.request.method == "POST" else ""
        context["help_clinic"] = help_clinic(self.request, email[:254])
        return context
