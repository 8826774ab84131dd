"""Changing a password, and "Forgot your password?" (Django's own reset views).

The reset answers the same, with the same status, whether or not the address has an account; a
mail server that is down is logged and not shown (Django's form already catches the error). The
e-mailed link names the account by its opaque `public_id`, never by its sequential id, works
once (Django's token covers the password hash) and for PASSWORD_RESET_TIMEOUT seconds. A new
password, however it is chosen, signs the account out everywhere else and ends the links that
were still open (`credentials_revoke`).

Two limits, counted in the database (`PasswordResetClaim`) so that every app server shares
them: PASSWORD_RESET_ACCOUNT_LIMIT e-mails per account in PASSWORD_RESET_LIMIT_WINDOW (past it
no e-mail leaves, and the answer is the same page as for any address, so it tells nothing), and
PASSWORD_RESET_ADDRESS_LIMIT requests from one network address, whatever addresses are typed
(past it, a 429 page says when to try again and to call the clinic; nothing is looked up).
django-ratelimit would need a cache with atomic increments (Redis, Memcached); this deployment
has none, and its docs say the database cache undercounts under concurrency.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import uuid
from datetime import datetime

from axes.utils import reset as lockout_reset
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.shortcuts import render
from django.template import loader
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.forms import RoleSetPasswordForm
from accounts.models import Invitation, PasswordResetClaim, User
from accounts.network import client_address
from accounts.reauth import recent_auth_mark, recent_auth_required
from accounts.sessions import user_sessions_end
from accounts.signin import help_clinic
from config.site_url import site_url

logger = logging.getLogger("django.contrib.auth")  # where Django logs the same failure

# --- services ------------------------------------------------------------------------------


def credentials_revoke(*, user: User, keep_session_key: str | None = None) -> int:
    """After a new password: sign out every other browser, and end the unused links (a reset
    link ends by itself; an invitation or a link from the clinic would not). Returns how
    many browsers were signed out."""
    with transaction.atomic():
        Invitation.objects.filter(
            user=user, used_at__isnull=True, expires_at__gt=timezone.now()
        ).update(expires_at=timezone.now())
    return user_sessions_end(user=user, keep_session_key=keep_session_key)


def reset_claim_create(
    *, limit: int, user: User | None = None, address: str | None = None
) -> PasswordResetClaim | None:
    """Count one request for `user` (an e-mail about to be sent) or, without a user, from
    `address`, and return its row; None, and nothing counted, when that would go past `limit`
    in the window.

    The row is committed first, then the window counted with it: of two requests at the same
    moment the later one always sees the earlier, so no more than `limit` pass (both may be
    refused when only one slot was left; a refused row is removed, so retries do not extend
    the wait). Rows older than the window go on the same write.
    """
    now = timezone.now()
    since = now - settings.PASSWORD_RESET_LIMIT_WINDOW
    with transaction.atomic():
        PasswordResetClaim.objects.filter(created_at__lte=since).delete()
        claim = PasswordResetClaim.objects.create(
            created_at=now, user=user, client_address=None if user else address
        )
    if _claims(user=user, address=address, since=since).count() <= limit:
        return claim
    claim.delete()
    return None


def _claims(*, user: User | None, address: str | None, since: datetime):
    scope = {"user": user} if user else {"user__isnull": True, "client_address": address}
    return PasswordResetClaim.objects.filter(created_at__gt=since, **scope)


def reset_address(address: str | None) -> str | None:
    """What the address limit counts: the IPv4 address, or the IPv6 /64 network (one line or
    phone is given a whole /64, and could pick a new address in it for every request)."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return address
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped is not None:  # ::ffff:198.51.100.7 is that IPv4 address
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)


def reset_address_wait_minutes(*, address: str | None) -> int:
    """In how many whole minutes `address` may ask again (at least 1)."""
    now = timezone.now()
    window = settings.PASSWORD_RESET_LIMIT_WINDOW
    times = list(
        _claims(user=None, address=address, since=now - window)
        .order_by("created_at")
        .values_list("created_at", flat=True)
    )
    over = len(times) - settings.PASSWORD_RESET_ADDRESS_LIMIT
    if over < 0:
        return 1
    frees_at = times[over] + window  # the request whose expiry brings the count under the limit
    return max(1, math.ceil((frees_at - now).total_seconds() / 60))


def reset_link_id(user: User) -> str:
    """What the reset link says about the account: its public id, not its database id."""
    return user.public_id.hex


# --- forms ---------------------------------------------------------------------------------


class ResetRequestForm(PasswordResetForm):
    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def get_users(self, email):
        """The accounts Django would e-mail, less those already sent enough links lately."""
        self.claims = {}
        for user in super().get_users(email):
            claim = reset_claim_create(user=user, limit=settings.PASSWORD_RESET_ACCOUNT_LIMIT)
            if claim is not None:
                self.claims[user.pk] = claim
                yield user

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        """In the account holder's language, with a link built from SITE_URL (not from the
        request's Host header) that names the account by its public id. Sent here rather than
        by Django's method, which logs a failure and tells nobody: an e-mail the mail server
        did not take is not counted against the account's limit."""
        user = context["user"]
        uid = reset_link_id(user)
        path = reverse(
            "accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": context["token"]}
        )
        context = {
            **context,
            "uid": uid,
            "url": site_url(path),
            "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
        }
        with translation.override(user.language or settings.LANGUAGE_CODE):
            subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
            body = loader.render_to_string(email_template_name, context)
            html = html_email_template_name and loader.render_to_string(
                html_email_template_name, context
            )
        message = EmailMultiAlternatives(subject, body, from_email, [to_email])
        if html:
            message.attach_alternative(html, "text/html")
        try:
            message.send()
        except Exception as error:
            # The same page whatever happened (it tells nothing). Logged by user id and the
            # kind of failure only: a refused recipient's traceback would hold the address.
            logger.error(
                "Failed to send password reset email to %s (%s)", user.pk, type(error).__name__
            )
            claim = self.claims.pop(user.pk, None)
            if claim is not None:
                claim.delete()


# --- views ---------------------------------------------------------------------------------


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)  # keeps this session (update_session_auth_hash)
        recent_auth_mark(self.request)  # the current password was just given
        credentials_revoke(user=form.user, keep_session_key=self.request.session.session_key)
        return response


password_change = recent_auth_required(PasswordChangeView.as_view())


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetRequestForm
    template_name = "accounts/password_reset_form.html"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    email_template_name = "accounts/email/password_reset_body.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["help_clinic"] = help_clinic(self.request)
        return context

    def form_valid(self, form):
        """A well-formed request counts against its network address before any account is
        looked up; past the limit, the 429 page and nothing sent."""
        address = reset_address(client_address(self.request))
        limit = settings.PASSWORD_RESET_ADDRESS_LIMIT
        if not reset_claim_create(address=address, limit=limit):
            return reset_limited_response(self.request, address, form.cleaned_data["email"])
        return super().form_valid(form)


def reset_limited_response(request, address: str | None, email: str):
    minutes = reset_address_wait_minutes(address=address)
    context = {"minutes": minutes, "help_clinic": help_clinic(request, email)}
    response = render(request, "accounts/password_reset_limited.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["help_clinic"] = help_clinic(self.request)
        context["minutes"] = settings.PASSWORD_RESET_TIMEOUT // 60
        return context


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = RoleSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def get_user(self, uidb64):
        try:
            public_id = uuid.UUID(hex=uidb64)
        except ValueError:
            return None
        return User.objects.filter(public_id=public_id, is_active=True).first()

    def form_valid(self, form):
        response = super().form_valid(form)
        signed_out = credentials_revoke(user=form.user)
        # The link proved the mailbox; wrong passwords typed before need not keep the account
        # locked for the new one (the count per network address stays).
        lockout_reset(username=form.user.email.lower())
        if signed_out:
            messages.info(
                self.request,
                _("For your safety, you were signed out on your other phones and computers."),
            )
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        valid = context.get("validlink") and self.user is not None
        context["help_clinic"] = self.user.clinic if valid else help_clinic(self.request)
        return context


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
