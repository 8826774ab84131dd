"""Two-factor sign-in for clinic staff: an authenticator app (TOTP) set up on first use, then a
one-time code (or a single-use backup code) in every new session, before any patient data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.mfa import totp_secret
from accounts.models import User
from tests.factories import FROZEN_NOW, PASSWORD

pytestmark = pytest.mark.django_db

MFA = "/accounts/mfa/"
QR = "/accounts/mfa/qr.svg"


@pytest.fixture(autouse=True)
def mfa_required():
    """Tests run with MFA off (most sign clinicians in with force_login); these turn it on."""
    with override_settings(MFA_REQUIRED=True):
        yield


def code_for(device: TOTPDevice) -> str:
    """The 6-digit code the authenticator app would show right now."""
    number = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{number:0{device.digits}d}"


def signed_in_with_password(user) -> Client:
    """A new browser session past the password step; pages in English, to read the asserts."""
    User.objects.filter(pk=user.pk).update(language="en")
    client = Client()
    client.force_login(user)
    return client


def set_up_authenticator(client, user) -> tuple[TOTPDevice, list[str]]:
    """Go through the first-time setup; returns the confirmed device and the backup codes."""
    client.get(MFA)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(MFA, {"token": code_for(device), "next": "/clinic/"})
    assert response.status_code == 200
    device.refresh_from_db()
    return device, response.context["codes"]


def next_time_step(time_machine, steps: int = 1) -> None:
    """Each code works once; move to the next 30-second window for a fresh one."""
    time_machine.move_to(FROZEN_NOW + timedelta(seconds=31 * steps), tick=False)


@pytest.fixture
def staff_client(clinician):
    return signed_in_with_password(clinician)


@pytest.fixture
def verified_clinician(clinician):
    """A clinician who set up the authenticator in an earlier session."""
    set_up_authenticator(signed_in_with_password(clinician), clinician)
    return clinician


# --- redirection before the code ------------------------------------------------------------------


def test_a_clinician_without_the_code_is_sent_from_the_dashboard_to_mfa(staff_client):
    response = staff_client.get("/clinic/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/mfa/?next=/clinic/"


def test_a_clinician_without_the_code_cannot_open_a_patient_page(staff_client, patient):
    page = f"/clinic/patients/{patient.public_id}/"
    response = staff_client.get(page)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/mfa/?next={page}"
    assert patient.name.encode() not in response.content


def test_a_clinician_without_the_code_cannot_open_a_patient_chart(staff_client, patient):
    response = staff_client.get(f"/clinic/patients/{patient.public_id}/charts/symptoms.svg")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/mfa/?next=")


def test_a_clinic_admin_without_the_code_cannot_open_the_admin_site(clinic_admin):
    client = signed_in_with_password(clinic_admin)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/mfa/?next=/admin/"


def test_a_clinic_admin_without_the_code_cannot_open_the_access_log(clinic_admin):
    response = signed_in_with_password(clinic_admin).get("/clinic/access-log/")
    assert response["Location"] == "/accounts/mfa/?next=/clinic/access-log/"


# --- first-time setup -----------------------------------------------------------------------------


def test_the_first_visit_shows_the_setup_page_with_the_key_and_the_qr_code(staff_client, clinician):
    response = staff_client.get(f"{MFA}?next=/clinic/")
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "accounts/mfa_setup.html"
    device = TOTPDevice.objects.get(user=clinician)
    assert not device.confirmed
    content = response.content.decode()
    assert totp_secret(device) in content
    assert len(totp_secret(device)) >= 32  # at least 160 bits, as RFC 4226 recommends
    assert f'src="{QR}"' in content
    assert 'value="/clinic/"' in content


def test_the_qr_code_is_an_svg_image_of_the_setup_address(staff_client, clinician):
    staff_client.get(MFA)
    response = staff_client.get(QR)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content
    assert "no-store" in response["Cache-Control"]


def test_there_is_no_qr_code_once_the_authenticator_is_confirmed(clinician):
    client = signed_in_with_password(clinician)
    set_up_authenticator(client, clinician)
    assert client.get(QR).status_code == 404


def test_reloading_the_setup_page_keeps_the_same_key(staff_client, clinician):
    first = staff_client.get(MFA).context["secret"]
    second = staff_client.get(MFA).context["secret"]
    assert first == second
    assert TOTPDevice.objects.filter(user=clinician).count() == 1


def test_a_wrong_code_during_setup_is_refused(staff_client, clinician):
    staff_client.get(MFA)
    device = TOTPDevice.objects.get(user=clinician)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = staff_client.post(MFA, {"token": wrong, "next": "/clinic/"})
    assert response.status_code == 200
    assert b"That code is not valid" in response.content
    device.refresh_from_db()
    assert not device.confirmed
    assert staff_client.get("/clinic/")["Location"] == "/accounts/mfa/?next=/clinic/"


def test_the_right_code_confirms_the_device_and_shows_ten_backup_codes(
    staff_client, clinician, time_machine
):
    staff_client.get(MFA)
    device = TOTPDevice.objects.get(user=clinician)
    staff_client.post(MFA, {"token": "000000" if code_for(device) != "000000" else "111111"})
    next_time_step(time_machine)  # a wrong code slows the next try down by a second
    response = staff_client.post(MFA, {"token": code_for(device), "next": "/clinic/"})
    assert response.status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    codes = response.context["codes"]
    assert len(codes) == 10
    assert len(set(codes)) == 10
    content = response.content.decode()
    for code in codes:
        assert code in content
    assert 'href="/clinic/"' in content
    assert "no-store" in response["Cache-Control"]
    assert staff_client.get("/clinic/").status_code == 200


def test_the_code_may_be_typed_with_spaces(staff_client, clinician):
    staff_client.get(MFA)
    device = TOTPDevice.objects.get(user=clinician)
    code = code_for(device)
    response = staff_client.post(MFA, {"token": f"{code[:3]} {code[3:]}"})
    assert response.status_code == 200
    assert len(response.context["codes"]) == 10


def test_after_setup_the_patient_page_opens(staff_client, clinician, patient):
    set_up_authenticator(staff_client, clinician)
    response = staff_client.get(f"/clinic/patients/{patient.public_id}/")
    assert response.status_code == 200
    assert patient.name.encode() in response.content


# --- later sessions -------------------------------------------------------------------------------


def test_a_new_session_shows_the_code_page_not_the_setup(verified_clinician):
    client = signed_in_with_password(verified_clinician)
    assert client.get("/clinic/")["Location"] == "/accounts/mfa/?next=/clinic/"
    response = client.get(f"{MFA}?next=/clinic/")
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "accounts/mfa_verify.html"
    device = TOTPDevice.objects.get(user=verified_clinician)
    assert totp_secret(device) not in response.content.decode()
    assert "secret" not in response.context
    assert TOTPDevice.objects.filter(user=verified_clinician).count() == 1


def test_a_new_session_continues_to_the_page_asked_for_with_the_current_code(
    verified_clinician, patient, time_machine
):
    next_time_step(time_machine)
    client = signed_in_with_password(verified_clinician)
    page = f"/clinic/patients/{patient.public_id}/"
    device = TOTPDevice.objects.get(user=verified_clinician)
    response = client.post(MFA, {"token": code_for(device), "next": page})
    assert response.status_code == 302
    assert response["Location"] == page
    assert client.get(page).status_code == 200


def test_a_wrong_code_in_a_new_session_is_refused(verified_clinician, time_machine):
    next_time_step(time_machine)
    client = signed_in_with_password(verified_clinician)
    response = client.post(MFA, {"token": "12345678", "next": "/clinic/"})
    assert response.status_code == 200
    assert b"That code is not valid" in response.content
    assert client.get("/clinic/").status_code == 302


def test_a_code_cannot_be_used_twice(verified_clinician, time_machine):
    next_time_step(time_machine)
    device = TOTPDevice.objects.get(user=verified_clinician)
    code = code_for(device)
    first = signed_in_with_password(verified_clinician)
    assert first.post(MFA, {"token": code})["Location"] == "/"
    second = signed_in_with_password(verified_clinician)
    response = second.post(MFA, {"token": code})
    assert response.status_code == 200
    assert second.get("/clinic/").status_code == 302


def test_the_next_address_must_stay_on_the_site(verified_clinician, time_machine):
    next_time_step(time_machine)
    client = signed_in_with_password(verified_clinician)
    device = TOTPDevice.objects.get(user=verified_clinician)
    response = client.post(MFA, {"token": code_for(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_a_backup_code_works_once(clinician, time_machine):
    _device, codes = set_up_authenticator(signed_in_with_password(clinician), clinician)
    next_time_step(time_machine)
    first = signed_in_with_password(clinician)
    response = first.post(MFA, {"token": codes[0], "next": "/clinic/"})
    assert response.status_code == 302
    assert response["Location"] == "/clinic/"
    assert first.get("/clinic/").status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()

    second = signed_in_with_password(clinician)
    response = second.post(MFA, {"token": codes[0], "next": "/clinic/"})
    assert response.status_code == 200
    assert b"That code is not valid" in response.content
    assert second.get("/clinic/").status_code == 302
    assert StaticToken.objects.filter(device__user=clinician).count() == 9


def test_new_backup_codes_replace_the_old_ones(clinician, time_machine):
    client = signed_in_with_password(clinician)
    _device, old_codes = set_up_authenticator(client, clinician)
    response = client.post("/accounts/mfa/backup-codes/")
    new_codes = response.context["codes"]
    assert len(new_codes) == 10
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new_codes)
    next_time_step(time_machine)
    other = signed_in_with_password(clinician)
    assert other.post(MFA, {"token": old_codes[0]}).status_code == 200
    assert other.get("/clinic/").status_code == 302


def test_backup_codes_cannot_be_renewed_before_the_code(verified_clinician):
    client = signed_in_with_password(verified_clinician)
    response = client.post("/accounts/mfa/backup-codes/")
    assert response["Location"] == "/accounts/mfa/?next=/accounts/mfa/backup-codes/"
    assert StaticToken.objects.filter(device__user=verified_clinician).count() == 10


def test_the_mfa_page_needs_a_signed_in_user(client):
    response = client.get(MFA)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- who is asked ---------------------------------------------------------------------------------


def test_a_patient_is_never_asked_for_a_code(patient):
    client = signed_in_with_password(patient)
    for page in ("/diary/", "/diary/history/", "/diary/my-data/"):
        response = client.get(page)
        assert response.status_code == 200, page
    assert not TOTPDevice.objects.filter(user=patient).exists()


@override_settings(MFA_REQUIRED=False)
def test_clinic_staff_are_not_asked_when_mfa_is_off_for_the_local_demo(clinician, patient):
    client = signed_in_with_password(clinician)
    assert client.get("/clinic/").status_code == 200
    assert client.get(f"/clinic/patients/{patient.public_id}/").status_code == 200


# --- the account itself ---------------------------------------------------------------------------

PASSWORD_PAGE = "/accounts/password/"
NEW_STAFF_PASSWORD = "Another-Staff-Pass-2026"


def change_password(client):
    return client.post(
        PASSWORD_PAGE,
        {
            "old_password": PASSWORD,
            "new_password1": NEW_STAFF_PASSWORD,
            "new_password2": NEW_STAFF_PASSWORD,
        },
    )


def test_the_password_page_needs_the_code_first(verified_clinician):
    client = signed_in_with_password(verified_clinician)
    response = client.get(PASSWORD_PAGE)
    assert response.status_code == 302
    assert response["Location"] == f"{MFA}?next={PASSWORD_PAGE}"


def test_a_password_alone_cannot_change_the_password(verified_clinician):
    """A stolen password must not be enough to take the account over for good."""
    client = signed_in_with_password(verified_clinician)
    response = change_password(client)
    assert response.status_code == 302
    assert response["Location"].startswith(MFA)
    verified_clinician.refresh_from_db()
    assert verified_clinician.check_password(PASSWORD)


def test_a_clinician_without_an_authenticator_cannot_change_the_password(staff_client, clinician):
    assert change_password(staff_client)["Location"].startswith(MFA)
    clinician.refresh_from_db()
    assert clinician.check_password(PASSWORD)


def test_the_done_page_and_backup_codes_need_the_code_too(verified_clinician):
    client = signed_in_with_password(verified_clinician)
    for page in ("/accounts/password/done/", "/accounts/mfa/backup-codes/"):
        response = client.post(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(MFA), page


def test_after_the_code_the_password_can_be_changed(verified_clinician, time_machine):
    next_time_step(time_machine)
    client = signed_in_with_password(verified_clinician)
    device = TOTPDevice.objects.get(user=verified_clinician)
    client.post(MFA, {"token": code_for(device)})
    assert client.get(PASSWORD_PAGE).status_code == 200
    assert change_password(client)["Location"] == "/accounts/password/done/"
    verified_clinician.refresh_from_db()
    assert verified_clinician.check_password(NEW_STAFF_PASSWORD)
    assert client.get("/clinic/").status_code == 200  # still verified after the change


def test_the_pages_on_the_way_to_the_code_stay_open(staff_client, clinician):
    assert staff_client.get(MFA).status_code == 200
    assert staff_client.get(QR).status_code == 200
    response = staff_client.post("/accounts/language/", {"language": "ja", "next": MFA})
    assert response["Location"] == MFA
    assert staff_client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in staff_client.session


def test_a_patient_changes_the_password_without_a_code(patient):
    client = signed_in_with_password(patient)
    assert client.get(PASSWORD_PAGE).status_code == 200


# --- the session id -------------------------------------------------------------------------------


def test_the_session_id_changes_when_the_code_is_accepted(verified_clinician, time_machine):
    next_time_step(time_machine)
    client = signed_in_with_password(verified_clinician)
    before = client.session.session_key
    device = TOTPDevice.objects.get(user=verified_clinician)
    assert client.post(MFA, {"token": code_for(device)}).status_code == 302
    after = client.session.session_key
    assert after != before
    assert client.get("/clinic/").status_code == 200
    # The id from before the code is no longer a session at all.
    stale = Client()
    stale.cookies["sessionid"] = before
    assert stale.get("/clinic/").status_code == 302
    assert "_auth_user_id" not in stale.session


def test_the_session_id_changes_when_the_authenticator_is_set_up(staff_client, clinician):
    staff_client.get(MFA)
    before = staff_client.session.session_key
    device = TOTPDevice.objects.get(user=clinician)
    assert staff_client.post(MFA, {"token": code_for(device)}).status_code == 200
    assert staff_client.session.session_key != before
    assert staff_client.get("/clinic/").status_code == 200


def test_a_wrong_code_keeps_the_session_id(verified_clinician, time_machine):
    next_time_step(time_machine)
    client = signed_in_with_password(verified_clinician)
    before = client.session.session_key
    client.post(MFA, {"token": "12345678"})
    assert client.session.session_key == before


# --- throttling -----------------------------------------------------------------------------------

THROTTLED = "Too many wrong codes in a row"


def wrong_code_for(device: TOTPDevice) -> str:
    return f"{(int(code_for(device)) + 1) % 1_000_000:06d}"


def test_a_throttled_check_says_it_is_throttled_not_wrong(verified_clinician, time_machine):
    next_time_step(time_machine)
    client = signed_in_with_password(verified_clinician)
    device = TOTPDevice.objects.get(user=verified_clinician)
    first = client.post(MFA, {"token": wrong_code_for(device)})
    assert b"That code is not valid" in first.content
    assert THROTTLED.encode() not in first.content
    # At once the right code: django-otp does not check it for a second after a wrong one.
    second = client.post(MFA, {"token": code_for(device)})
    content = second.content.decode()
    assert THROTTLED in content
    assert "Please wait 1 second and try again." in content
    assert "That code is not valid" not in content
    assert client.get("/clinic/").status_code == 302
    # After the pause the same kind of code is checked, and works.
    next_time_step(time_machine, 2)
    assert client.post(MFA, {"token": code_for(device)}).status_code == 302
    assert client.get("/clinic/").status_code == 200


def test_the_pause_grows_and_the_page_says_how_long(verified_clinician, time_machine):
    next_time_step(time_machine)
    client = signed_in_with_password(verified_clinician)
    device = TOTPDevice.objects.get(user=verified_clinician)
    for n in range(3):  # wrong, each after its pause: the pauses are then 1, 2, 4 seconds
        time_machine.move_to(FROZEN_NOW + timedelta(seconds=31 + 10 * n), tick=False)
        response = client.post(MFA, {"token": wrong_code_for(device)})
        assert b"That code is not valid" in response.content
    content = client.post(MFA, {"token": code_for(device)}).content.decode()
    assert "Please wait 4 seconds and try again." in content


def test_a_throttled_check_during_setup_says_so(staff_client, clinician):
    staff_client.get(MFA)
    device = TOTPDevice.objects.get(user=clinician)
    staff_client.post(MFA, {"token": wrong_code_for(device)})
    response = staff_client.post(MFA, {"token": code_for(device)})
    assert THROTTLED.encode() in response.content
    device.refresh_from_db()
    assert not device.confirmed
