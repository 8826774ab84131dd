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

SESSION_STARTED = "session_started_at"
SESSION_SEEN = "session_seen_at"
SEEN_PRECISION_SECONDS = 60


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
    default) and after an absolute lifetime, and say so on the sign-in page."""

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
        return self.get_response(request)

    @staticmethod
    def _expired(request) -> str | None:
        now = time.time()
        session = request.session
        started = session.setdefault(SESSION_STARTED, now)
        seen = session.get(SESSION_SEEN, now)
        staff = request.user.role != "patient"
        idle_minutes = (
            settings.SESSION_IDLE_MINUTES_STAFF if staff else settings.SESSION_IDLE_MINUTES_PATIENT
        )
        if now - seen > idle_minutes * 60:
            return _(
                "You were signed out after %(minutes)d minutes without activity, to protect "
                "your health data. Please sign in again."
            ) % {"minutes": idle_minutes}
        if now - started > settings.SESSION_ABSOLUTE_HOURS * 3600:
            return _(
                "You were signed out because your session reached %(hours)d hours. "
                "Please sign in again."
            ) % {"hours": settings.SESSION_ABSOLUTE_HOURS}
        # Saving the session on every request (every chart, every image) would write to the
        # database each time; a minute's precision is plenty for timeouts counted in minutes.
        if now - seen >= SEEN_PRECISION_SECONDS or SESSION_SEEN not in session:
            session[SESSION_SEEN] = now
        return None


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
