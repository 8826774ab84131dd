"""Two-factor sign-in for clinic staff: a TOTP authenticator app plus single-use backup codes.

Built on django-otp. Services first, then the views that call them.
"""

from __future__ import annotations

import base64
import secrets
from io import BytesIO

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODE_COUNT = 10


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
        codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


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
            device = next(
                (
                    d
                    for d in devices_for_user(user, confirmed=True)
                    if d.verify_token(form.cleaned_data["token"])
                ),
                None,
            )
            if device is not None:
                otp_login(request, device)
                return redirect(_next_url(request))
            form.add_error("token", _("That code is not valid. Please try again."))
        return render(
            request, "accounts/mfa_verify.html", {"form": form, "next": _next_url(request)}
        )

    device = totp_pending(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            codes = backup_codes_create(user)
            return render(
                request,
                "accounts/mfa_backup_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        form.add_error(
            "token", _("That code is not valid. Check the time on your phone and try again.")
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
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = BytesIO()
    image.save(buffer)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@never_cache
@login_required
def backup_codes(request):
    """New backup codes, for a user who has confirmed their code in this session."""
    if request.method != "POST" or not request.user.is_verified():
        raise Http404
    codes = backup_codes_create(request.user)
    return render(request, "accounts/mfa_backup_codes.html", {"codes": codes, "next": "/"})
