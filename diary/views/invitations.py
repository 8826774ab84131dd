"""The invitation at the desk: the page after registering a patient (or sending a new link), with
the link as a QR code, and the printable sheet in the patient's language.

Both read the link from the short-lived cookie the redirect set (diary/desk_link.py), never from
the URL, and answer only the staff of the patient's clinic on the computer that made the link.
Neither may be cached: they hold a link that opens the patient's account.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from accounts.qr import qr_data_uri
from diary.access import clinic_staff_required, get_patient_for_staff
from diary.desk_link import (
    DESK_LINK_MINUTES,
    desk_link_forget,
    desk_link_present,
    desk_link_recall,
)


@clinic_staff_required
@never_cache
def patient_invited(request, public_id):
    """What was sent, and for a patient without a password the link to hand over at the desk."""
    patient = get_patient_for_staff(request.user, public_id)
    link = desk_link_recall(request, patient)
    if link is None:
        response = redirect("clinic:patient", public_id=patient.public_id)
        if desk_link_present(request, patient):
            messages.info(
                request,
                _(
                    "The invitation link is no longer shown here: it was used, expired or "
                    "replaced by a newer one, or it was made more than %(minutes)d minutes ago. "
                    "You can send a new invitation from this page."
                )
                % {"minutes": DESK_LINK_MINUTES},
            )
            desk_link_forget(response, patient)
        return response
    context = {
        "patient": patient,
        "link": link,
        "url": link.url,
        "qr": qr_data_uri(link.url) if link.url else None,
        "emailed": link.emailed,
        "new_password": link.url is None,
        "days": settings.INVITATION_VALID_DAYS,
    }
    return render(request, "clinic/patient_invited.html", context)


@clinic_staff_required
@never_cache
def invitation_sheet(request, public_id):
    """An A4 sheet for the patient to take home: in their language, with the QR code, the link,
    how long it works and whom to call. Only while the link is valid, unused and may be shown."""
    patient = get_patient_for_staff(request.user, public_id)
    link = desk_link_recall(request, patient)
    if link is None or link.url is None:
        raise Http404
    clinic = patient.clinic
    context = {
        "patient": patient,
        "clinic": clinic,
        "url": link.url,
        "qr": qr_data_uri(link.url),
        "expires_at": link.expires_at,
        "staff_language": translation.get_language(),
        "minimum_length": settings.PASSWORD_MIN_LENGTH_PATIENT,
    }
    with translation.override(patient.language), timezone.override(clinic.tz):
        response = render(request, "clinic/invitation_sheet.html", context)
    response["Content-Language"] = patient.language
    return response
