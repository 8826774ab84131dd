"""Password rules that depend on who the password is for."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class RoleMinimumLengthValidator:
    """Patients need at least 13 characters; clinic staff 8, because they also need a
    one-time code (two-factor sign-in) before they see any patient data."""

    def _minimum(self, user) -> int:
        if user is not None and getattr(user, "role", "patient") != "patient":
            return settings.PASSWORD_MIN_LENGTH_STAFF
        return settings.PASSWORD_MIN_LENGTH_PATIENT

    def validate(self, password, user=None):
        minimum = self._minimum(user)
        if len(password) < minimum:
            raise ValidationError(
                ngettext(
                    "This password is too short. It must contain at least %(min_length)d "
                    "character.",
                    "This password is too short. It must contain at least %(min_length)d "
                    "characters.",
                    minimum,
                )
                % {"min_length": minimum},
                code="password_too_short",
                params={"min_length": minimum},
            )

    def get_help_text(self):
        return _(
            "Patients: at least %(patient)d characters. Clinic staff: at least %(staff)d "
            "characters, plus a one-time code from an authenticator app."
        ) % {
            "patient": settings.PASSWORD_MIN_LENGTH_PATIENT,
            "staff": settings.PASSWORD_MIN_LENGTH_STAFF,
        }
