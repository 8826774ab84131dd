"""Asking for the password again before an action that matters, in a long-lived session.

A patient may stay signed in on their phone for months (accounts/sessions.py). Whoever holds
that phone could then download the diary, ask for its erasure, change the password or add a
passkey. So those actions need a password (or a passkey) given in the last
`REAUTH_MAX_AGE_HOURS` hours; otherwise `@recent_auth_required` sends the user to the
re-authentication page first (`accounts:reauth`).

`recent_auth_mark(request)` records that the user just proved who they are. Every sign-in calls
it (a `user_logged_in` receiver in accounts/apps.py: password, passkey or invitation link), and
so do the re-authentication page, a passkey check and the password change.
"""

from __future__ import annotations

import time
from functools import wraps
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

RECENT_AUTH_AT = "recent_auth_at"  # session key: when a password or passkey was last given


def recent_auth_mark(request) -> None:
    """The user has just given their password or a passkey in this session."""
    request.session[RECENT_AUTH_AT] = time.time()


def recent_auth_is_fresh(request) -> bool:
    given = request.session.get(RECENT_AUTH_AT)
    if not isinstance(given, int | float):
        return False
    return time.time() - given <= settings.REAUTH_MAX_AGE_HOURS * 3600


def reauth_url(next_url: str) -> str:
    return f"{reverse('accounts:reauth')}?{urlencode({'next': next_url})}"


def recent_auth_required(view=None, *, after_post: str | None = None):
    """Ask for the password again when it was last given more than REAUTH_MAX_AGE_HOURS ago.

    Put it below the decorator that checks who may use the view (a stranger still gets 404 or
    the sign-in page). A GET comes back to itself afterwards. A POST cannot be replayed: the
    user comes back to `after_post` (a URL name or path; the home page by default) and sends it
    again there.
    """

    def decorator(view_func):
        @wraps(view_func)
        def wrapper(request, *args, **kwargs):
            if request.user.is_authenticated and not recent_auth_is_fresh(request):
                if request.method in ("GET", "HEAD"):
                    return redirect(reauth_url(request.get_full_path()))
                messages.info(
                    request,
                    _("Nothing was sent yet. After you enter your password, please try again."),
                )
                return redirect(reauth_url(resolve_url(after_post or "home")))
            return view_func(request, *args, **kwargs)

        return wrapper

    return decorator(view) if view is not None else decorator


class ReauthForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self):
        password = self.cleaned_data["password"]
        user = self.request.user
        # Through the authentication backends, so that wrong passwords count towards the
        # lockout (accounts/lockout.py) as they do on the sign-in page.
        checked = authenticate(self.request, username=user.email, password=password)
        if checked is None or checked.pk != user.pk:
            raise forms.ValidationError(
                _("That password is not right. Please try again."), code="wrong"
            )
        return password


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url("home")


@never_cache
@login_required
def reauth(request):
    """Enter the password again, then go on to what was asked for (`next`)."""
    next_url = _next_url(request)
    form = ReauthForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        recent_auth_mark(request)
        return redirect(next_url)
    from accounts.passkeys import has_passkey  # accounts.passkeys imports this module

    context = {
        "form": form,
        "next": next_url,
        "hours": settings.REAUTH_MAX_AGE_HOURS,
        # Or a passkey instead of the password (accounts/passkey_views.py marks it as given).
        "has_passkey": has_passkey(request.user),
    }
    return render(request, "accounts/reauth.html", context)
