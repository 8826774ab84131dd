"""Request-wide rules for signed-in users: language and time zone, session timeouts,
two-factor sign-in for clinic staff, and the Permissions-Policy header."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.sessions import (
    SEEN_PRECISION_SECONDS,
    SESSION_SEEN,
    SESSION_STARTED,
    USER_SESSION,
    session_end_reason,
    user_session_touch,
)
from accounts.signin import clinic_cookie_update


class UserPreferencesMiddleware:
    """Before sign-in, LocaleMiddleware has chosen the language from the cookie or the
    browser's Accept-Language. After sign-in the user's saved choice wins, on every device,
    and dates show in the clinic's time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            if user.language:
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
            if user.clinic_id:
                timezone.activate(user.clinic.tz)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class SessionTimeoutMiddleware:
    """Sign out after a period without activity (clinic staff 15 min, patients 60 min by
    default) and after an absolute lifetime, and say so on the sign-in page. A patient who
    chose to stay signed in on this phone is signed out only after PATIENT_REMEMBER_DAYS
    without use (accounts/sessions.py). Keeps the list of signed-in browsers up to date, and
    the clinic cookie that lets the sign-in page name the clinic's phone number."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            expired = self._expired(request)
            if expired:
                next_path = request.get_full_path() if request.method == "GET" else None
                logout(request)
                messages.info(request, expired)
                if next_path:
                    return redirect_to_login(next_path)
                return redirect(settings.LOGIN_URL)
        response = self.get_response(request)
        if request.user.is_authenticated:
            clinic_cookie_update(request, response)
        return response

    @staticmethod
    def _expired(request) -> str | None:
        now = time.time()
        session = request.session
        started = session.setdefault(SESSION_STARTED, now)
        seen = session.get(SESSION_SEEN, now)
        ended = session_end_reason(session, user=request.user, now=now, started=started)
        if ended is not None:
            return _message(ended.reason, ended.limit)
        # Saving the session on every request (every chart, every image) would write to the
        # database each time; a minute's precision is plenty for timeouts counted in minutes.
        # Each save also moves the end of a stay-signed-in session further out.
        renewed = (session.get(USER_SESSION) or [None, None])[-1] != session.session_key
        if now - seen >= SEEN_PRECISION_SECONDS or SESSION_SEEN not in session or renewed:
            session[SESSION_SEEN] = now
            user_session_touch(request)
        return None


def _message(reason: str, limit: int) -> str:
    if reason == "idle":
        return _(
            "You were signed out after %(minutes)d minutes without activity, to protect "
            "your health data. Please sign in again."
        ) % {"minutes": limit}
    if reason == "lifetime":
        return _(
            "You were signed out because your session reached %(hours)d hours. "
            "Please sign in again."
        ) % {"hours": limit}
    return _(
        "You were signed out because the diary was not used on this browser for %(days)d "
        "days. Please sign in again."
    ) % {"days": limit}


# What a member of staff may open before confirming their one-time code: static files, and
# under /accounts/ only the pages on the way to the code and away from it. Every other page
# there (changing the password, new backup codes, any page added later) changes the account
# and needs the code first. The language switch stays open: the code page is read in it.
MFA_EXEMPT_PREFIXES = ("/static/", "/fonts/", "/accounts/invitation/")
MFA_EXEMPT_PAGES = (
    "accounts:login",
    "accounts:logout",
    "accounts:mfa",
    "accounts:mfa_qr",
    "accounts:set_language",
    # A passkey instead of the code (accounts/passkey_views.py); adding one needs the code first.
    "accounts:passkey_sign_in_begin",
    "accounts:passkey_sign_in_complete",
)


def _mfa_exempt(path: str) -> bool:
    return path.startswith(MFA_EXEMPT_PREFIXES) or path in {
        reverse(name) for name in MFA_EXEMPT_PAGES
    }


class MfaRequiredMiddleware:
    """Clinic staff confirm a one-time code (TOTP or a backup code) before anything else:
    no patient data, no admin, no change to their account, until then."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.MFA_REQUIRED
            and user.is_authenticated
            and (user.role != "patient" or user.is_staff)
            and not user.is_verified()
            and not _mfa_exempt(request.path)
        ):
            return redirect_to_login(request.get_full_path(), reverse("accounts:mfa"))
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """No camera, microphone, location or payment features for any page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
