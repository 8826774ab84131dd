"""The passkey buttons: django-otp-webauthn's scripts, set up without inline script (CSP).

The package's template tags put their settings in an inline JSON `<script>`; these tags put
them in data attributes that static/js/passkeys.js hands to the package's scripts, together
with the words its messages are shown in. No queries here: the views decide who has a passkey.
"""

from __future__ import annotations

import json

from django import template
from django.middleware import csrf
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.passkeys import SIGN_IN_HINT_COOKIE, passkeys_usable

register = template.Library()

_UNAVAILABLE = _("Signing in with a passkey did not work. Please check your internet connection.")
_SIGN_IN_FAILED = _(
    "Signing in with a passkey did not work. Please try again, or sign in with your e-mail "
    "address and password."
)
_STOPPED = _("Stopped. You can try again, or sign in with your e-mail address and password.")
_NOT_ADDED = _("The passkey was not added. You can try again at any time.")
_ADD_FAILED = _(
    "The passkey could not be added. Please try again later. Your password still works."
)
_FOLLOW_STEPS = _("Please follow the steps on your screen…")

# Every message of the package's scripts (gettext() in otp_webauthn_*.js), in our words.
SCRIPT_WORDS = {
    "Register a Passkey": _("Add a passkey on this device"),
    "Registering...": _FOLLOW_STEPS,
    "Registration failed. Unable to fetch registration options from server.": _(
        "The passkey could not be added. Please check your internet connection and try again."
    ),
    "Registration aborted.": _NOT_ADDED,
    "Registration aborted or not allowed.": _NOT_ADDED,
    "Registration failed. You most likely already have a Passkey registered for this site.": _(
        "This device already has a passkey for this diary. You can sign in with it."
    ),
    "Registration failed. A technical problem occurred that prevents you from registering a "
    "Passkey for this site.": _(
        "This browser cannot add a passkey here. You can keep signing in with your password."
    ),
    "Registration failed. An unknown error occurred.": _ADD_FAILED,
    "Finishing registration...": _("Saving your passkey…"),
    "Registration failed. The server was unable to verify this passkey.": _(
        "The passkey could not be checked, so it was not added. Please try again."
    ),
    "Registration failed. A server error occurred.": _ADD_FAILED,
    "Registration successful!": _("Your passkey is ready."),
    "An error occurred during registration.": _ADD_FAILED,
    "Verify with Passkey": _("Use a passkey"),
    "Verifying...": _FOLLOW_STEPS,
    "Verification failed. Could not retrieve parameters from the server.": _UNAVAILABLE,
    "Verification aborted.": _STOPPED,
    "Verification canceled or not allowed.": _STOPPED,
    "Verification failed. An unknown error occurred.": _SIGN_IN_FAILED,
    "Finishing verification...": _("Checking…"),
    "Verification failed. An unknown server error occurred.": _SIGN_IN_FAILED,
    "Verification successful!": _("Done. One moment…"),
    "Verification failed. A server error occurred.": _SIGN_IN_FAILED,
    "An error occurred during verification.": _SIGN_IN_FAILED,
}

SCRIPTS = {
    "auth": "django_otp_webauthn/otp_webauthn_auth.js",
    "register": "django_otp_webauthn/otp_webauthn_register.js",
}


def script_context(request, script: str, **extra) -> dict:
    """What accounts/_passkey_scripts.html needs: the package's settings, our words."""
    config = {
        "autocompleteLoginFieldSelector": None,  # no autofill: it reports errors in alert()s
        # The page's own form (the header's language switch has a `next` field of its own).
        "nextFieldSelector": "main form input[name='next']",
        "csrfToken": csrf.get_token(request),
        "beginAuthenticationUrl": reverse("accounts:passkey_sign_in_begin"),
        "completeAuthenticationUrl": reverse("accounts:passkey_sign_in_complete"),
        "beginRegistrationUrl": reverse("accounts:passkey_register_begin"),
        "completeRegistrationUrl": reverse("accounts:passkey_register_complete"),
    }
    words = {source: str(ours) for source, ours in SCRIPT_WORDS.items()}
    return {
        "passkey_config": json.dumps(config),
        "stay_path": config["completeAuthenticationUrl"],
        "passkey_words": json.dumps(words, ensure_ascii=False),
        "passkey_script": SCRIPTS[script],
        **extra,
    }


@register.inclusion_tag("accounts/_passkey_sign_in.html", takes_context=True)
def passkey_sign_in(context, place: str):
    """The "Sign in with a passkey" button on the sign-in page: first (`place="top"`) on a
    browser where a passkey was added or used, below the password form (`"bottom"`) elsewhere."""
    request = context["request"]
    first = request.COOKIES.get(SIGN_IN_HINT_COOKIE) == "1"
    shown = place == ("top" if first else "bottom") and passkeys_usable(request)
    return {"shown": shown, "place": place, **(script_context(request, "auth") if shown else {})}


@register.inclusion_tag("accounts/_passkey_verify.html", takes_context=True)
def passkey_verify(context, then: str = ""):
    """The "Use a passkey" button for a signed-in user: the second factor, or proving again who
    they are. `then` is the line under the button, before the other way (a code, the password)."""
    request = context["request"]
    shown = passkeys_usable(request)
    return {"shown": shown, "then": then, **(script_context(request, "auth") if shown else {})}


@register.inclusion_tag("accounts/_passkey_register.html", takes_context=True)
def passkey_register(context, primary: bool = True):
    """The button that adds a passkey on this device, on the passkeys page (reloaded with the
    new one after); `primary=False` once the user has one, as adding another is then rarer."""
    request = context["request"]
    after = reverse("accounts:passkeys")
    return script_context(request, "register", after_register=after, primary=primary)
