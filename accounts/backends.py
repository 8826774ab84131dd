"""Sign-in lockout (django-axes) for web requests."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for sign-ins that come with a web request.

    Code that authenticates without a request (management commands, the test client's
    `login()`) is not a brute-force channel from the network; axes would refuse it outright.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_username(request, credentials) -> str | None:
    """The account a sign-in attempt counts against. E-mail addresses sign in in any case
    (`UserManager.get_by_natural_key`), so "Hanako@…" and "hanako@…" share one count."""
    source = credentials or getattr(request, "POST", None) or {}
    username = source.get(settings.AXES_USERNAME_FORM_FIELD)
    return username.strip().lower() if isinstance(username, str) else username
