"""Writes that concern accounts: registering patients and the invitation flow."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import AccessLog, Clinic, Invitation, User


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
) -> User:
    """Create a patient without a password; they choose one through the invitation."""
    patient = User(
        email=User.objects.normalize_email(email).lower(),
        name=name,
        role=User.Role.PATIENT,
        clinic=clinic,
        patient_number=patient_number,
        birth_date=birth_date,
        language=language,
    )
    patient.set_unusable_password()
    patient.full_clean()
    patient.save()
    return patient


def invitation_create(*, user: User, created_by: User | None = None) -> tuple[Invitation, str]:
    """Return the invitation and its raw token; only the hash is stored.

    Earlier unused invitations of the same user stop working, so only the newest link is live.
    """
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        Invitation.objects.filter(user=user, used_at__isnull=True).update(expires_at=now)
        invitation = Invitation.objects.create(
            user=user,
            token_hash=_hash_token(token),
            created_by=created_by,
            created_at=now,
            expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
        )
    return invitation, token


def invitation_url(token: str) -> str:
    return settings.SITE_URL + reverse("accounts:invitation", args=[token])


def invitation_send(*, user: User, token: str) -> None:
    """E-mail the link in the patient's language. No health data, only the link."""
    with translation.override(user.language):
        context = {
            "user": user,
            "url": invitation_url(token),
            "days": settings.INVITATION_VALID_DAYS,
        }
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation_body.txt", context)
    send_mail(subject, body, None, [user.email])


def invitation_find(token: str) -> Invitation | None:
    """The invitation for a raw token if it can still be used, else None."""
    invitation = (
        Invitation.objects.select_related("user").filter(token_hash=_hash_token(token)).first()
    )
    if invitation is None or not invitation.is_usable():
        return None
    return invitation


def invitation_accept(*, invitation: Invitation, password: str) -> User:
    """Set the password and spend the invitation, atomically and only once."""
    with transaction.atomic():
        # Re-read under a row lock so two simultaneous submits cannot both use the link.
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not locked.is_usable():
            raise InvitationUsed
        locked.used_at = timezone.now()
        locked.save(update_fields=["used_at"])
        user = locked.user
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


class InvitationUsed(Exception):
    """The invitation was used or expired while the form was open."""


def access_log_write(request, *, patient: User | None, action: str) -> AccessLog:
    """Record that a member of clinic staff opened a patient's data (append-only)."""
    return AccessLog.objects.create(
        user=request.user,
        clinic_id=request.user.clinic_id,
        patient=patient,
        action=action,
        path=request.path[:300],
        ip=request.META.get("REMOTE_ADDR") or None,
    )
