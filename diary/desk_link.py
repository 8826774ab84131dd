"""The invitation link at the desk: kept for a short while on the computer that made it.

After registering a patient (or sending a new link) the page is reached by a redirect, so that
reloading it registers nobody twice; the link it shows (as text and as a QR code) and the
printable sheet must come from somewhere other than the URL (no token in addresses, browser
history or server logs) and other than the database (only a hash of each token is stored, so a
copy of the database opens no account — a session row would hold it in clear).

So the redirect sets a cookie that only this browser holds: signed, bound to the member of
staff and the patient, HttpOnly, SameSite=Strict, sent only under that patient's clinic pages,
and gone after DESK_LINK_MINUTES. It holds the raw token only when staff may see the link — the
patient has never chosen a password (issue 16) — and every read checks again that the link is
still unused, unexpired and the newest, and that the patient still has no password.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse

from accounts.models import Invitation, User
from accounts.services import invitation_find, invitation_url

# Long enough to show the code, print the sheet and reload the page at the desk; after that a
# new invitation from the patient page shows a new link (and stops the old one).
DESK_LINK_MINUTES = 60
_SALT = "diary.desk_link"


@dataclass(frozen=True)
class DeskLink:
    patient: User
    invitation: Invitation
    emailed: bool
    # The link itself, only while staff may see it; None for a patient who has a password.
    url: str | None

    @property
    def expires_at(self) -> datetime:
        return self.invitation.expires_at


def _cookie_name(patient: User) -> str:
    return f"desk_link_{patient.public_id.hex}"


def _cookie_path(patient: User) -> str:
    return reverse("clinic:patient", kwargs={"public_id": patient.public_id})


def _salt(staff: User, patient: User) -> str:
    return f"{_SALT}:{staff.pk}:{patient.public_id}"


def desk_link_remember(
    response,
    *,
    staff: User,
    patient: User,
    invitation: Invitation,
    token: str | None,
    emailed: bool,
) -> None:
    """Keep what the result page shows in a cookie on `response` (the redirect to it).

    `token`: only when staff may see the link; pass None for a patient who has a password.
    """
    value = {"invitation": invitation.pk, "emailed": bool(emailed)}
    if token and not patient.has_usable_password():
        value["token"] = token
    response.set_cookie(
        _cookie_name(patient),
        signing.dumps(value, salt=_salt(staff, patient), compress=True),
        max_age=DESK_LINK_MINUTES * 60,
        path=_cookie_path(patient),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )


def desk_link_forget(response, patient: User) -> None:
    response.delete_cookie(_cookie_name(patient), path=_cookie_path(patient), samesite="Strict")


def desk_link_present(request, patient: User) -> bool:
    return _cookie_name(patient) in request.COOKIES


def desk_link_recall(request, patient: User) -> DeskLink | None:
    """What this member of staff was shown for this patient, if it still holds; else None."""
    raw = request.COOKIES.get(_cookie_name(patient))
    if not raw:
        return None
    try:
        value = signing.loads(
            raw, salt=_salt(request.user, patient), max_age=DESK_LINK_MINUTES * 60
        )
        invitation_id, emailed = int(value["invitation"]), bool(value["emailed"])
        token = value.get("token")
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    invitation = Invitation.objects.filter(pk=invitation_id, user=patient).first()
    if invitation is None or not invitation.is_usable() or not patient.is_active:
        return None
    url = None
    if token is not None:
        found = invitation_find(str(token))
        if found is None or found.pk != invitation.pk or patient.has_usable_password():
            return None
        url = invitation_url(token)
    return DeskLink(patient=patient, invitation=invitation, emailed=emailed, url=url)
