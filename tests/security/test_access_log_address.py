"""The access log records the client's address, read the same way as the sign-in lockout reads
it: behind the configured reverse proxies, not the proxy's own address."""

import pytest
from django.test import override_settings

from accounts.models import AccessLog

pytestmark = pytest.mark.django_db


def open_patient_page(client, patient, **headers):
    response = client.get(f"/clinic/patients/{patient.public_id}/", **headers)
    assert response.status_code == 200
    return AccessLog.objects.filter(patient=patient).latest("id")


def test_without_a_proxy_the_log_has_the_remote_address(clinician_client, patient):
    row = open_patient_page(clinician_client, patient, REMOTE_ADDR="198.51.100.7")
    assert row.ip == "198.51.100.7"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_log_has_the_client_not_the_proxy(clinician_client, patient):
    row = open_patient_page(
        clinician_client,
        patient,
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.9, 192.0.2.44",
    )
    assert row.ip == "192.0.2.44"  # the entry the proxy appended; the left one is the client's say
