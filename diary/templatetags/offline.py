"""What the phone's offline script needs from a patient's page (issue 20), without inline script."""

from __future__ import annotations

from django import template
from django.utils.crypto import salted_hmac

register = template.Library()

PATIENT_KEY_SALT = "diary.offline.patient"


def offline_patient_key(user) -> str:
    """An opaque, stable id of the patient for entries waiting on the phone: they are sent
    only after a sign-in as the same patient. Not the e-mail, not the database id; an HMAC
    of the id with the server's secret, so it cannot be guessed or turned back."""
    return salted_hmac(PATIENT_KEY_SALT, str(user.pk)).hexdigest()[:32]


register.simple_tag(offline_patient_key, name="offline_patient_key")
