from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import RoleSetPasswordForm
from accounts.models import Invitation
from accounts.password import credentials_revoke
from accounts.services import (
    CLINIC_LINK_SESSION_KEY,
    InvitationUsed,
    invitation_accept,
    invitation_find,
)


@login_required
def home(request):
    """Send each role to its own start page."""
    user = request.user
    if user.is_patient:
        return redirect("diary:home")
    if user.is_clinic_staff:
        return redirect("clinic:patients")
    if user.is_staff:
        return redirect("admin:index")
    return render(request, "accounts/no_role.html", status=403)


def _invitation_invalid(request):
    context = {"days": settings.INVITATION_VALID_DAYS}
    return render(request, "accounts/invitation_invalid.html", context, status=410)


def invitation(request, token: str):
    """A patient opens the one-time link from the e-mail and chooses a password.

    Choosing it signs out the account's other sessions (the password changes). A session opened
    by a link the clinic sent for the existing account is marked, for the edit history.
    """
    found = invitation_find(token)
    if found is None:
        return _invitation_invalid(request)
    new_password = found.user.has_usable_password()
    form = RoleSetPasswordForm(found.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(invitation=found, password=form.cleaned_data["new_password1"])
        except InvitationUsed:
            return _invitation_invalid(request)
        login(request, user, backend="accounts.backends.ClinicModelBackend")
        # The browsers still listed for the old password, and any other open link, end here.
        credentials_revoke(user=user, keep_session_key=request.session.session_key)
        if found.purpose == Invitation.Purpose.NEW_LINK:
            request.session[CLINIC_LINK_SESSION_KEY] = True
        if new_password:
            messages.success(
                request,
                _("Your new password is set. You were signed out on your other devices."),
            )
        else:
            messages.success(request, _("Your password is set. Welcome!"))
        return redirect("home")
    context = {"form": form, "invited": found.user, "new_password": new_password}
    return render(request, "accounts/invitation.html", context)


@require_POST
def set_language(request):
    """Switch the language; remembered on the account, and in a cookie before sign-in."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language not in dict(settings.LANGUAGES):
        return response
    if request.user.is_authenticated and request.user.language != language:
        request.user.language = language
        request.user.save(update_fields=["language"])
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    return response
