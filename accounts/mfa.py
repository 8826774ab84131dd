"""Two-factor sign-in for clinic staff: a TOTP authenticator app plus single-use backup codes.

Built on django-otp. Services first, then the views that call them.
"""

from __future__ import annotations

import base64
import math
import secrets
from datetime import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.passkeys import has_passkey
from accounts.qr import qr_svg

BACKUP_CODE_COUNT = 10
BACKUP_CODE_DIGITS = 8


# --- services ------------------------------------------------------------------------------


def totp_pending(user) -> TOTPDevice:
    """The user's unconfirmed authenticator, created on first use (one at a time)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def totp_secret(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def backup_codes_create(user) -> list[str]:
    """New single-use backup codes; the old ones stop working. Shown to the user once."""
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(user=user, name="backup")
        device.token_set.all().delete()
        codes = [
            f"{secrets.randbelow(10**BACKUP_CODE_DIGITS):0{BACKUP_CODE_DIGITS}d}"
            for _ in range(BACKUP_CODE_COUNT)
        ]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def devices_for_code(user, token: str) -> list:
    """The confirmed devices a code can be for: the authenticator's codes have 6 digits, backup
    codes 8. Trying only those keeps a backup code from counting as a wrong authenticator code
    (and the other way round) in django-otp's pause after wrong codes."""

    def digits(device) -> int | None:
        if isinstance(device, TOTPDevice):
            return device.digits
        return BACKUP_CODE_DIGITS if isinstance(device, StaticDevice) else None  # a passkey

    return [d for d in devices_for_user(user, confirmed=True) if len(token) == digits(d)]


def throttled_until(devices) -> datetime | None:
    """When django-otp will check codes again, if it has stopped for now after wrong codes
    (1, 2, 4, 8 … seconds after each wrong one); None when it checks them now."""
    ends = []
    for device in devices:
        allowed, details = device.verify_is_allowed()
        if not allowed and details and details.get("locked_until"):
            ends.append(details["locked_until"])
    return max(ends) if ends else None


def mfa_session_start(request, device) -> None:
    """Mark the session as verified with a new session id, so that an id seen before the
    second factor (on a shared computer, in a log) does not carry the verified session."""
    otp_login(request, device)
    request.session.cycle_key()


# --- views ---------------------------------------------------------------------------------


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("One-time code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=gettext_lazy("The 6-digit code from your authenticator app, or a backup code."),
    )

    def clean_token(self):
        return "".join(self.cleaned_data["token"].split())


def _refuse(form, until: datetime | None, wrong_message) -> None:
    """Say why a code was not accepted: checked and wrong, or (`until`) not checked for now."""
    if until is None:
        form.add_error("token", wrong_message)
        return
    seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
    form.add_error(
        "token",
        ngettext(
            "Too many wrong codes in a row, so codes are not checked for a moment. "
            "Please wait %(seconds)d second and try again.",
            "Too many wrong codes in a row, so codes are not checked for a moment. "
            "Please wait %(seconds)d seconds and try again.",
            seconds,
        )
        % {"seconds": seconds},
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


@never_cache
@login_required
def mfa(request):
    """Confirm a one-time code; the first time, set up the authenticator app."""
    user = request.user
    if has_authenticator(user):
        form = TokenForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            token = form.cleaned_data["token"]
            devices = devices_for_code(user, token)
            until = throttled_until(devices)  # before this try: a wrong code starts a pause
            device = next((d for d in devices if d.verify_token(token)), None)
            if device is not None:
                mfa_session_start(request, device)
                return redirect(_next_url(request))
            _refuse(form, until, _("That code is not valid. Please try again."))
        context = {"form": form, "next": _next_url(request), "has_passkey": has_passkey(user)}
        return render(request, "accounts/mfa_verify.html", context)

    device = totp_pending(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        until = throttled_until([device])
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            mfa_session_start(request, device)
            codes = backup_codes_create(user)
            return render(
                request,
                "accounts/mfa_backup_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        _refuse(
            form, until, _("That code is not valid. Check the time on your phone and try again.")
        )
    context = {"form": form, "secret": totp_secret(device), "next": _next_url(request)}
    return render(request, "accounts/mfa_setup.html", context)


@never_cache
@login_required
def mfa_qr(request):
    """The QR code for setting up the authenticator, as an SVG image (not inline: CSP)."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        raise Http404
    return HttpResponse(qr_svg(device.config_url), content_type="image/svg+xml")


@never_cache
@login_required
def backup_codes(request):
    """New backup codes, for a user who has confirmed their code in this session."""
    if request.method != "POST" or not request.user.is_verified():
        raise Http404
    codes = backup_codes_create(request.user)
    return render(request, "accounts/mfa_backup_codes.html", {"codes": codes, "next": "/"})
