"""Sign-in lockout (django-axes) for web requests."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django_otp_webauthn.backends import WebAuthnBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for sign-ins that come with a web request.

    Code that authenticates without a request (management commands, the test client's
    `login()`) is not a brute-force channel from the network; axes would refuse it outright.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def _user_with_clinic(user_id):
    """The signed-in user and their clinic in one query: every request reads both (the clinic's
    time zone, its phone numbers), and the user alone would cost a second query."""
    users = get_user_model()._default_manager.select_related("clinic")
    return users.filter(pk=user_id).first()


class ClinicModelBackend(ModelBackend):
    """Django's password backend, loading the session's user with their clinic."""

    def get_user(self, user_id):
        user = _user_with_clinic(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ClinicWebAuthnBackend(WebAuthnBackend):
    """django-otp-webauthn's passkey backend, loading the session's user with their clinic."""

    def get_user(self, user_id):
        user = _user_with_clinic(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


def lockout_username(request, credentials) -> str | None:
    """The account a sign-in attempt counts against. E-mail addresses sign in in any case
    (`UserManager.get_by_natural_key`), so "Hanako@…" and "hanako@…" share one count."""
    source = credentials or getattr(request, "POST", None) or {}
    username = source.get(settings.AXES_USERNAME_FORM_FIELD)
    return username.strip().lower() if isinstance(username, str) else username
