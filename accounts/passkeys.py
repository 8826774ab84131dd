"""Passkeys: signing in with the phone's fingerprint or face (django-otp-webauthn).

A patient adds a passkey after a password sign-in and then signs in without typing anything;
clinic staff may use one instead of the authenticator code. The package does the WebAuthn
ceremonies and the cryptography; this module says where passkeys work, reads and changes a
user's passkeys, and names a new one after the device it was made on. The views are in
accounts/passkey_views.py.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.shortcuts import get_object_or_404
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential, WebAuthnUserHandle

from accounts.bidi import without_bidi_controls
from accounts.reauth import recent_auth_is_fresh
from accounts.sessions import device_summary
from config.site_url import origin

logger = logging.getLogger(__name__)

# Cookies of this browser (no account data in them):
# the patient said "no thanks" to the offer to add a passkey here;
OFFER_DISMISSED_COOKIE = "passkey_offer"
# a passkey was added or used here, so the sign-in page puts "Sign in with a passkey" first.
SIGN_IN_HINT_COOKIE = "passkey_here"
# the sign-in page's "Stay signed in" box when the passkey button was tapped (set by
# static/js/passkeys.js for the address that completes a passkey sign-in, for a few minutes).
STAY_SIGNED_IN_COOKIE = "passkey_stay"
COOKIE_AGE = 365 * 24 * 3600
NAME_MAX_LENGTH = 64  # django-otp's Device.name

WARNED_MAX = 64
_warned: set[str] = set()
_warned_lock = threading.Lock()


# --- where passkeys work -------------------------------------------------------------------


def passkeys_usable(request) -> bool:
    """Whether this page's address is one the relying party accepts (OTP_WEBAUTHN_ALLOWED_ORIGINS).

    Elsewhere a browser would refuse (127.0.0.1 is not a domain) or the server would reject the
    answer, so no passkey button is shown; the log says why, once per address.
    """
    try:
        here = origin(f"{request.scheme}://{request.get_host()}")
    except DisallowedHost:
        return False
    if here in settings.OTP_WEBAUTHN_ALLOWED_ORIGINS:
        return True
    with _warned_lock:
        first = here not in _warned and len(_warned) < WARNED_MAX
        if first:
            _warned.add(here)
    if first:
        logger.warning(
            "Passkeys are not offered at %s: it is not in OTP_WEBAUTHN_ALLOWED_ORIGINS (%s). "
            "Open the site at one of those addresses, or set OTP_WEBAUTHN_RP_ID and "
            "OTP_WEBAUTHN_ALLOWED_ORIGINS (README.md, Passkeys).",
            here,
            ", ".join(settings.OTP_WEBAUTHN_ALLOWED_ORIGINS),
        )
    return False


# --- selectors -----------------------------------------------------------------------------


def passkeys_for_user(user):
    """The user's passkeys, the oldest first (so the list keeps its order as one is used)."""
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at", "pk")


def passkey_for_user(user, passkey_id) -> WebAuthnCredential:
    """One of the user's own passkeys; anyone else's, or none, answers 404."""
    try:
        passkey_id = int(passkey_id)
    except (TypeError, ValueError):
        passkey_id = None
    return get_object_or_404(passkeys_for_user(user), pk=passkey_id)


def has_passkey(user) -> bool:
    return passkeys_for_user(user).exists()


def passkey_offer_due(request) -> bool:
    """Offer a patient to add a passkey: just after they gave their password (within the
    re-authentication window), when they have none, here, unless they said no on this browser."""
    user = request.user
    return (
        user.is_authenticated
        and user.is_patient
        and request.COOKIES.get(OFFER_DISMISSED_COOKIE) != "no"
        and recent_auth_is_fresh(request)
        and passkeys_usable(request)
        and not has_passkey(user)
    )


# --- services ------------------------------------------------------------------------------


def passkey_name_clean(name: str) -> str:
    return " ".join(without_bidi_controls(name).split())[:NAME_MAX_LENGTH]


def passkey_rename(*, passkey: WebAuthnCredential, name: str) -> WebAuthnCredential:
    with transaction.atomic():
        passkey.name = passkey_name_clean(name)
        passkey.full_clean(exclude={f.name for f in passkey._meta.fields} - {"name"})
        passkey.save(update_fields=["name"])
    return passkey


def passkey_remove(*, passkey: WebAuthnCredential) -> None:
    """Removed here, the passkey no longer signs in; the phone keeps a copy until it is deleted
    there too (the sign-in page then says it is not known any more)."""
    with transaction.atomic():
        passkey.delete()


def passkeys_forget(*, user) -> None:
    """Erasure: the account's passkeys and its WebAuthn user handle go with its identity."""
    with transaction.atomic():
        WebAuthnCredential.objects.filter(user=user).delete()
        WebAuthnUserHandle.objects.filter(user=user).delete()


# --- the package's helper ------------------------------------------------------------------


class PasskeyHelper(WebAuthnHelper):
    """django-otp-webauthn's helper (OTP_WEBAUTHN_HELPER_CLASS), naming each new passkey."""

    def create_credential(self, user, response, parsed_credential, original_data):
        credential = super().create_credential(user, response, parsed_credential, original_data)
        # Named after the device it was made on ("iPhone", "Windows"); the user can rename it.
        credential.name = device_summary(self.request.headers.get("User-Agent", "")).device
        return credential

    def authenticate_begin(self, user=None, require_user_verification=True):
        # A signed-in patient proving again who they are (before a download, say) must show
        # the fingerprint or face, not only hold the phone. Nobody signed in: the package
        # asks for it already. Staff after their password: a tap is the second factor.
        strict = require_user_verification or bool(user and user.is_patient)
        return super().authenticate_begin(user=user, require_user_verification=strict)
