"""Passkey pages and the JSON steps of the WebAuthn ceremonies (django-otp-webauthn's views).

The package's views answer the browser script (static/django_otp_webauthn/*.js, started by
static/js/passkeys.js); here they get the project's rules: a passkey is added only after the
password was given recently, and only at an address the relying party accepts; a passkey
sign-in renews the session id; errors read in the user's language, in plain words.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp_webauthn import exceptions
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from accounts.mfa import mfa_session_start
from accounts.passkeys import (
    COOKIE_AGE,
    NAME_MAX_LENGTH,
    OFFER_DISMISSED_COOKIE,
    SIGN_IN_HINT_COOKIE,
    STAY_SIGNED_IN_COOKIE,
    has_passkey,
    passkey_for_user,
    passkey_remove,
    passkey_rename,
    passkeys_for_user,
    passkeys_usable,
)
from accounts.reauth import recent_auth_is_fresh, recent_auth_mark, recent_auth_required
from accounts.sessions import stay_signed_in_start

WEBAUTHN_BACKEND = "accounts.backends.ClinicWebAuthnBackend"


# --- the JSON steps ------------------------------------------------------------------------


class NotHere(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "passkeys_not_here"


class ReauthNeeded(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "reauth_needed"


SOMETHING_WENT_WRONG = gettext_lazy(
    "Something went wrong. Please try again, or sign in with your e-mail address and password."
)
# What the browser script shows for each refusal (the package's own words are for developers).
ERROR_DETAILS = {
    "not_authenticated": gettext_lazy("Please sign in first."),
    "user_not_verified": gettext_lazy(
        "Please enter the code from your authenticator app first, then add a passkey."
    ),
    "reauth_needed": gettext_lazy(
        "For your safety, please reload this page and enter your password again."
    ),
    "passkeys_not_here": gettext_lazy("Passkeys do not work at this address."),
    "invalid_state": gettext_lazy("That took too long. Please try again."),
    "credential_not_found": gettext_lazy(
        "This passkey is no longer registered here. Please sign in with your e-mail address "
        "and password. You can add a new passkey afterwards."
    ),
    "credential_user_mismatch": gettext_lazy(
        "This passkey belongs to a different account. Please choose your own passkey."
    ),
    "user_disabled": gettext_lazy("This account cannot sign in. Please call your clinic."),
    "credential_disabled": gettext_lazy("This passkey cannot be used. Please call your clinic."),
}


class PlainErrors:
    """POST only; refusals in the user's language (the code stays for the script and tests)."""

    def dispatch(self, request, *args, **kwargs):
        if request.method != "POST":  # the package would check who asks before the method
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def handle_exception(self, exc):
        if isinstance(exc, exceptions.OTPWebAuthnApiError):
            detail = ERROR_DETAILS.get(exc.code, SOMETHING_WENT_WRONG)
            return JsonResponse({"detail": str(detail), "code": exc.code}, status=exc.status_code)
        return super().handle_exception(exc)


class RegistrationRules(PlainErrors):
    def check_can_register(self):
        if not passkeys_usable(self.request):
            raise NotHere()
        # Whoever holds a phone that stays signed in must not add their own passkey to it.
        if not recent_auth_is_fresh(self.request):
            raise ReauthNeeded()

    def user_is_mfa_enrolled(self, user) -> bool:
        # Staff add a passkey only in a session verified with their code (the package's rule).
        # Patients have no second factor: their recent password is the proof (above).
        return not user.is_patient and super().user_is_mfa_enrolled(user)


class RegisterBegin(RegistrationRules, BeginCredentialRegistrationView):
    pass


class RegisterComplete(RegistrationRules, CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        messages.success(
            self.request,
            _("Your passkey is ready. Next time, tap “Sign in with a passkey”."),
        )
        _remember_passkey_here(response)
        return response


class AuthenticationRules(PlainErrors):
    def check_can_authenticate(self):
        if not passkeys_usable(self.request):
            raise NotHere()
        super().check_can_authenticate()


class SignInBegin(AuthenticationRules, BeginCredentialAuthenticationView):
    pass


class SignInComplete(AuthenticationRules, CompleteCredentialAuthenticationView):
    """A passkey signs in (nobody signed in yet), is the second factor after the password, or
    proves again who a signed-in user is. Each time the session gets a new id."""

    def complete_auth(self, device):
        request = self.request
        if request.user.is_authenticated:
            mfa_session_start(request, device)  # otp_login, then a new session id
        else:
            login(request, device.user, backend=WEBAUTHN_BACKEND)  # a new session id
            otp_login(request, device)
            # "Stay signed in on this phone", as ticked on the sign-in page (passkeys.js
            # passes the box in a cookie; on by default, like the box).
            remember = request.COOKIES.get(STAY_SIGNED_IN_COOKIE, "1") == "1"
            stay_signed_in_start(request, remember=remember)
        recent_auth_mark(request)

    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        _remember_passkey_here(response)
        response.delete_cookie(STAY_SIGNED_IN_COOKIE, path=self.request.path)
        return response


def _remember_passkey_here(response) -> None:
    response.set_cookie(
        SIGN_IN_HINT_COOKIE,
        "1",
        max_age=COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


# --- the pages -----------------------------------------------------------------------------


class PasskeyNameForm(forms.Form):
    name = forms.CharField(
        label=pgettext_lazy("a passkey", "Name"),
        max_length=NAME_MAX_LENGTH,
        help_text=gettext_lazy("For example “My phone”, so you can tell your passkeys apart."),
    )


def _base_template(user) -> str:
    if user.is_patient:
        return "patient_base.html"
    return "clinic_base.html" if user.is_clinic_staff else "base.html"


def _list(request, *, rename: tuple[int, PasskeyNameForm] | None = None, status: int = 200):
    rows = [
        {
            "passkey": passkey,
            "form": rename[1]
            if rename and rename[0] == passkey.pk
            else PasskeyNameForm(initial={"name": passkey.name}, prefix=f"passkey-{passkey.pk}"),
        }
        for passkey in passkeys_for_user(request.user)
    ]
    context = {
        "rows": rows,
        "usable": passkeys_usable(request),
        "base_template": _base_template(request.user),
    }
    return render(request, "accounts/passkeys.html", context, status=status)


@never_cache
@login_required
@recent_auth_required
def passkeys(request):
    """The user's passkeys (name, added, last used): add one on this device, rename, remove."""
    return _list(request)


@never_cache
@login_required
@require_POST
@recent_auth_required(after_post="accounts:passkeys")
def passkey_rename_view(request):
    passkey = passkey_for_user(request.user, request.POST.get("passkey"))
    form = PasskeyNameForm(request.POST, prefix=f"passkey-{passkey.pk}")
    if not form.is_valid():
        return _list(request, rename=(passkey.pk, form), status=400)
    passkey_rename(passkey=passkey, name=form.cleaned_data["name"])
    messages.success(request, _("The name is saved."))
    return redirect("accounts:passkeys")


@never_cache
@login_required
@require_POST
@recent_auth_required(after_post="accounts:passkeys")
def passkey_remove_view(request):
    """Asks first (the same POST without `confirm`), then removes."""
    passkey = passkey_for_user(request.user, request.POST.get("passkey"))
    if request.POST.get("confirm") != "yes":
        context = {"passkey": passkey, "base_template": _base_template(request.user)}
        return render(request, "accounts/passkey_remove.html", context)
    passkey_remove(passkey=passkey)
    messages.success(
        request,
        _(
            "The passkey is removed. It no longer signs you in. You can also delete it from "
            "your phone’s passwords."
        ),
    )
    response = redirect("accounts:passkeys")
    if not has_passkey(request.user):
        response.delete_cookie(SIGN_IN_HINT_COOKIE, samesite="Lax")
    return response


@login_required
@require_POST
def passkey_offer_dismiss(request):
    """The patient said "no thanks" to adding a passkey: not offered again on this browser."""
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "home"
    response = redirect(target)
    response.set_cookie(
        OFFER_DISMISSED_COOKIE,
        "no",
        max_age=COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response
