"""Who may keep a copy (issue 20, item 2): staff pages never, a patient's pages only to
revalidate; signing out empties the browser's cache. And what the phone's offline script
finds on a patient's page: the patient's opaque key and the hidden panels."""

from __future__ import annotations

import re

import pytest

from diary.templatetags.offline import offline_patient_key
from tests.factories import TODAY, make_entry
from tests.views.html import element_text

pytestmark = pytest.mark.django_db

NO_STORE = "private, no-store"
REVALIDATE = "private, no-cache"


def test_signing_out_clears_the_sites_cache(patient_client):
    response = patient_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache"'


def test_only_signing_out_clears_it(patient_client):
    assert not patient_client.get("/diary/").has_header("Clear-Site-Data")
    assert not patient_client.post("/diary/entry/", {}).has_header("Clear-Site-Data")


@pytest.mark.parametrize("path", ["/clinic/", "/clinic/calls/", "/accounts/sessions/"])
def test_staff_pages_are_never_stored(clinician_client, path):
    response = clinician_client.get(path)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_staff_page_that_chose_revalidation_is_not_stored_either(clinician_client, patient):
    """The patient's chart on the clinic's page has an ETag and said no-cache."""
    response = clinician_client.get(f"/clinic/patients/{patient.public_id}/")
    assert response["Cache-Control"] == NO_STORE


def test_the_admin_and_the_sign_in_page_are_never_stored(client, clinic_admin):
    assert "no-store" in client.get("/accounts/login/")["Cache-Control"]
    client.force_login(clinic_admin)
    response = client.get("/admin/")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "path", ["/diary/", "/diary/entry/", "/diary/history/", "/diary/settings/"]
)
def test_a_patients_pages_may_be_kept_but_are_asked_for_again(patient_client, path):
    response = patient_client.get(path)
    assert response.status_code == 200
    assert response["Cache-Control"] == REVALIDATE


def test_a_patients_download_keeps_its_own_no_store(patient_client, patient):
    make_entry(patient, day=TODAY)
    response = patient_client.get("/diary/my-data/export.csv")
    if response.status_code == 302:  # the password asked again first
        assert "no-store" in response["Cache-Control"] or "/accounts/" in response["Location"]
    else:
        assert "no-store" in response["Cache-Control"]


def test_a_patients_page_names_the_patient_by_an_opaque_key(client, patient, other_patient):
    client.force_login(patient)
    html = client.get("/diary/").content.decode()
    (key,) = re.findall(r'<meta name="diary-patient" content="([0-9a-f]+)">', html)
    assert key == offline_patient_key(patient)
    assert len(key) == 32
    assert patient.email not in key and str(patient.pk) != key
    assert key != offline_patient_key(other_patient)
    client.force_login(other_patient)
    assert offline_patient_key(other_patient) in client.get("/diary/").content.decode()


def test_staff_pages_and_signed_out_pages_name_no_patient(client, clinician_client):
    assert 'name="diary-patient"' not in clinician_client.get("/clinic/").content.decode()
    client.logout()
    assert 'name="diary-patient"' not in client.get("/accounts/login/").content.decode()


def test_the_entry_page_has_the_hidden_offline_panel(patient_client, patient):
    html = patient_client.get("/diary/entry/").content.decode()
    assert re.search(r'<section id="offline-saved"[^>]*\shidden[\s>]', html)
    panel = element_text(html, "offline-saved")
    assert "Saved on this phone" not in panel  # Japanese first
    patient.language = "en"
    patient.save(update_fields=["language"])
    html = patient_client.get("/diary/entry/").content.decode()
    panel = element_text(html, "offline-saved")
    assert "Saved on this phone — not yet sent" in panel
    assert "Nobody has seen these answers yet. They are checked once they are sent." in panel
    assert "03-1111-2222" in panel
    assert 'href="tel:0311112222"' in html
    assert "the redness around the joint spreads" in panel
    assert "Call 119 for an ambulance at once" in panel
    assert re.search(r'<button type="button"[^>]*id="offline-send-now"', html)


def test_the_home_page_has_the_hidden_waiting_notice(patient_client, patient):
    patient.language = "en"
    patient.save(update_fields=["language"])
    html = patient_client.get("/diary/").content.decode()
    assert re.search(r'<section id="offline-waiting"[^>]*\shidden[\s>]', html)
    notice = element_text(html, "offline-waiting")
    assert "waiting to be sent" in notice
    assert "Send now" in notice
    assert 'data-text-other="{count} entries saved on this phone are waiting to be sent."' in html
