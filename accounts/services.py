"""Writes that concern accounts: registering patients and the invitation flow."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.contact import CONTACT_FIELDS
from accounts.models import AccessLog, Clinic, Invitation, User
from accounts.network import client_address
from config.site_url import site_url

logger = logging.getLogger(__name__)

# Set in a session opened by a link the clinic sent for an existing account; diary saves made
# in it are marked in the edit history (clinic staff may have seen or used the link).
CLINIC_LINK_SESSION_KEY = "opened_by_clinic_link"


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def patient_register(
    *,
    clinic: Clinic,
    email: str,
    name: str,
    patient_number: str = "",
    birth_date=None,
    language: str = "ja",
    registered_by: User | None = None,
    **contact,
) -> User:
    """Create a patient without a password; they choose one through the invitation.

    `contact`: name_kana, phone, phone2, phone2_label, as PatientRegisterForm normalised them.
    """
    patient = User(
        email=User.objects.normalize_email(email).lower(),
        name=name,
        role=User.Role.PATIENT,
        clinic=clinic,
        patient_number=patient_number,
        birth_date=birth_date,
        language=language,
        **{field: contact.pop(field, "") for field in CONTACT_FIELDS},
    )
    if contact:
        raise TypeError(f"patient_register() got unexpected fields {sorted(contact)}")
    patient.set_unusable_password()
    patient.full_clean()
    patient.save()
    return patient


class AccountInactive(Exception):
    """The account was erased or switched off: no link is made for it."""


def invitation_create(
    *,
    user: User,
    created_by: User | None = None,
    purpose: str = Invitation.Purpose.REGISTRATION,
) -> tuple[Invitation, str]:
    """Return the invitation and its raw token; only the hash is stored.

    Earlier unused invitations of the same user stop working, so only the newest link is live.
    """
    if not user.is_active:
        raise AccountInactive
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        Invitation.objects.filter(user=user, used_at__isnull=True).update(expires_at=now)
        invitation = Invitation.objects.create(
            user=user,
            purpose=purpose,
            token_hash=_hash_token(token),
            created_by=created_by,
            created_at=now,
            expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
        )
    return invitation, token


@dataclass(frozen=True)
class NewLink:
    invitation: Invitation
    token: str
    # Only for a patient who has never chosen a password may staff see the link (to help at
    # the desk). Shown for an account with a password, it would let staff choose a new one
    # and act as the patient; that link goes to the patient's e-mail only.
    shown_to_staff: bool


def new_link_create(*, patient: User, created_by: User) -> NewLink:
    """A new link for an existing patient account ("send a new invitation").

    The caller writes it to the access log and e-mails it (`invitation_send`). The session it
    opens is marked (`CLINIC_LINK_SESSION_KEY`); choosing the password there signs out every
    other session of the patient, as any password change does.
    """
    invitation, token = invitation_create(
        user=patient, created_by=created_by, purpose=Invitation.Purpose.NEW_LINK
    )
    return NewLink(invitation, token, shown_to_staff=not patient.has_usable_password())


def invitation_url(token: str) -> str:
    return site_url(reverse("accounts:invitation", args=[token]))


def invitation_send(*, user: User, token: str, new_password: bool = False) -> bool:
    """E-mail the link in the patient's language. No health data, only the link.

    `new_password`: the account has a password already; the e-mail says that a link to choose
    a new one was sent, and whom to call if the patient did not ask for it.
    Returns False when the mail server could not take it: the caller has saved its work
    and says so on the page (a mail outage is not an error page).
    """
    template = "new_password" if new_password else "invitation"
    with translation.override(user.language):
        context = {
            "user": user,
            "url": invitation_url(token),
            "days": settings.INVITATION_VALID_DAYS,
        }
        subject = render_to_string(f"accounts/email/{template}_subject.txt", context)
        subject = " ".join(subject.split())
        body = render_to_string(f"accounts/email/{template}_body.txt", context)
    try:
        send_mail(subject, body, None, [user.email])
    except Exception:  # the mail server is down or refused it; the link itself is saved
        logger.exception("Could not e-mail the sign-in link to user %s", user.pk)
        return False
    return True


def invitation_find(token: str) -> Invitation | None:
    """The invitation for a raw token if it can still be used, else None."""
    invitation = (
        Invitation.objects.select_related("user").filter(token_hash=_hash_token(token)).first()
    )
    if invitation is None or not invitation.is_usable() or not invitation.user.is_active:
        return None
    return invitation


def invitation_accept(*, invitation: Invitation, password: str) -> User:
    """Set the password and spend the invitation, atomically and only once."""
    with transaction.atomic():
        # Re-read under a row lock so two simultaneous submits cannot both use the link.
        locked = Invitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
        if not locked.is_usable() or not locked.user.is_active:
            raise InvitationUsed
        locked.used_at = timezone.now()
        locked.save(update_fields=["used_at"])
        user = locked.user
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


class InvitationUsed(Exception):
    """The invitation was used or expired (or its account erased) while the form was open."""


def session_opened_by_clinic_link(request) -> bool:
    """Whether this session began with a link the clinic sent for the existing account."""
    return bool(request.session.get(CLINIC_LINK_SESSION_KEY))


def access_log_write(request, *, patient: User | None, action: str) -> AccessLog:
    """Record that a member of clinic staff opened a patient's data (append-only)."""
    return AccessLog.objects.create(
        user=request.user,
        clinic_id=request.user.clinic_id,
        patient=patient,
        action=action,
        path=request.path[:300],
        ip=client_address(request),
    )


def access_log_write_many(request, *, patients, action: str) -> list[AccessLog]:
    """Record that the Django admin showed these patients' data: one row per patient (a list
    page names many), each in the log of the patient's own clinic, so that the clinic's
    administrator also sees what a superuser without a clinic looked at."""
    unique = {patient.pk: patient for patient in patients if patient.clinic_id}
    return AccessLog.objects.bulk_create(
        AccessLog(
            user=request.user,
            clinic_id=patient.clinic_id,
            patient=patient,
            action=action,
            path=request.path[:300],
            ip=client_address(request),
        )
        for patient in unique.values()
    )


def patient_contact_update(*, patient: User, values: dict) -> User:
    """Save how the clinic reaches the patient (as PatientContactForm normalised it), and only
    that: the search keys follow in `User.save`."""
    for name in CONTACT_FIELDS:
        setattr(patient, name, values[name])
    patient.full_clean()
    patient.save(update_fields=list(CONTACT_FIELDS))
    return patient
