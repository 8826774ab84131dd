"""The browsers I am signed in on: see them, sign one or all the others out."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.models import UserSession
from accounts.sessions import (
    STAY_SIGNED_IN,
    stay_signed_in_allowed,
    user_session_end,
    user_sessions_end,
    user_sessions_live,
)


@never_cache
@login_required
def sessions(request):
    current = request.session.session_key
    rows = user_sessions_live(request.user, current_key=current)
    context = {
        "rows": rows,
        "current_key": current,
        "others": [row for row in rows if row.session_key != current],
        "stays_signed_in": bool(request.session.get(STAY_SIGNED_IN))
        and stay_signed_in_allowed(request.user),
    }
    return render(request, "accounts/sessions.html", context)


@login_required
@require_POST
def session_end(request):
    """Sign out one browser of one's own; any other answers 404."""
    row_id = request.POST.get("session", "")
    row = UserSession.objects.filter(
        pk=int(row_id) if row_id.isdigit() else None, user=request.user
    ).first()
    if row is None:
        raise Http404
    if row.session_key == request.session.session_key:
        logout(request)
        return redirect("accounts:login")
    user_session_end(row=row)
    messages.success(request, _("That browser is signed out."))
    return redirect("accounts:sessions")


@login_required
@require_POST
def sessions_end_others(request):
    count = user_sessions_end(user=request.user, keep_session_key=request.session.session_key)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)d other browser was signed out.",
                "%(count)d other browsers were signed out.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("You are not signed in anywhere else."))
    return redirect("accounts:sessions")
