"""Forgot your password? (issue 17, item 3): Django's reset views, answering the same whether
or not the address has an account, with a link that names the public id, works once and for
an hour, follows the account's own password rules and signs out everywhere else."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client

from accounts.models import Invitation, User
from accounts.services import new_link_create
from tests.factories import FROZEN_NOW, PASSWORD, make_patient

pytestmark = pytest.mark.django_db

RESET = "/accounts/password/reset/"
SENT = "/accounts/password/reset/sent/"
DONE = "/accounts/password/reset/done/"
LINK = re.compile(r"http://testserver(/accounts/password/reset/([0-9a-f]{32})/([\w-]+)/)")
NEW = "a quiet walk by the river"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


class MailServerDown(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def browser() -> Client:
    return Client(headers={"accept-language": "en"})


def ask(email: str, client: Client | None = None):
    client = client or browser()
    return client.post(RESET, {"email": email}), client


def link_in_outbox(index: int = -1) -> str:
    found = LINK.search(mail.outbox[index].body)
    assert found, mail.outbox[index].body
    return found.group(1)


def choose(link: str, password: str = NEW, client: Client | None = None):
    client = client or browser()
    form = client.get(link)
    assert form.status_code == 302, "a valid link moves the token out of the address"
    return client.post(form["Location"], {"new_password1": password, "new_password2": password})


def page_text(response) -> str:
    return CSRF.sub("", response.content.decode())


# --- the request ----------------------------------------------------------------------------------


def test_the_sign_in_page_links_to_it(client):
    assert f'href="{RESET}"' in client.get("/accounts/login/").content.decode()


def test_a_known_address_gets_a_link_in_the_patients_language(patient):
    User.objects.filter(pk=patient.pk).update(language="ja")
    response, _client = ask(patient.email.upper())
    assert response.status_code == 302
    assert response["Location"] == SENT
    (message,) = mail.outbox
    assert message.to == [patient.email]
    assert "パスワード" in message.subject
    assert patient.clinic.phone in message.body
    # No health data, and the account is named by its public id, never by its database id.
    uid = LINK.search(message.body).group(2)
    assert uid == patient.public_id.hex
    assert f"/reset/{patient.pk}/" not in message.body


def test_an_unknown_address_gets_the_same_answer_and_no_mail(patient):
    known, known_client = ask(patient.email)
    unknown, unknown_client = ask("nobody@example.jp")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    known_page = known_client.get(SENT)
    unknown_page = unknown_client.get(SENT)
    assert known_page.status_code == unknown_page.status_code == 200
    assert page_text(known_page) == page_text(unknown_page)
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("case", ["inactive", "no_password", "staff_other_clinic"])
def test_other_addresses_read_the_same_too(patient, other_clinician, case):
    if case == "inactive":
        User.objects.filter(pk=patient.pk).update(is_active=False)
        email = patient.email
    elif case == "no_password":
        patient.set_unusable_password()
        patient.save()
        email = patient.email
    else:
        email = other_clinician.email
    response, client = ask(email)
    reference, reference_client = ask("nobody@example.jp")
    assert response["Location"] == reference["Location"] == SENT
    assert page_text(client.get(SENT)) == page_text(reference_client.get(SENT))
    assert len(mail.outbox) == (1 if case == "staff_other_clinic" else 0)


def test_a_malformed_address_gets_a_message_not_a_500(client):
    response = client.post(RESET, {"email": "not an address"}, headers={"accept-language": "en"})
    assert response.status_code == 200
    assert "Enter a valid email address" in response.content.decode()


def test_a_mail_outage_reads_the_same_and_is_no_error(patient, settings, caplog):
    settings.EMAIL_BACKEND = "tests.views.test_password_reset.MailServerDown"
    broken, broken_client = ask(patient.email)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    fine, fine_client = ask("nobody@example.jp")
    assert broken.status_code == 302
    assert broken["Location"] == fine["Location"] == SENT
    assert page_text(broken_client.get(SENT)) == page_text(fine_client.get(SENT))
    assert "Failed to send password reset email" in caplog.text
    assert patient.email not in caplog.text


def test_the_pages_say_to_call_the_clinic(client):
    content = client.get(SENT, headers={"accept-language": "en"}).content.decode()
    assert "Please call your clinic" in content


# --- the link -------------------------------------------------------------------------------------


def test_the_link_sets_a_new_password(patient):
    ask(patient.email)
    response = choose(link_in_outbox())
    assert response["Location"] == DONE
    patient.refresh_from_db()
    assert patient.check_password(NEW)
    assert browser().get(DONE).status_code == 200


def test_the_link_works_once(patient):
    ask(patient.email)
    link = link_in_outbox()
    choose(link)
    again = browser().get(link)
    assert again.status_code == 200
    assert 'data-reset="invalid"' in again.content.decode()


def test_the_link_works_for_an_hour(patient, time_machine):
    ask(patient.email)
    link = link_in_outbox()
    time_machine.move_to(FROZEN_NOW + timedelta(minutes=59), tick=False)
    assert browser().get(link).status_code == 302
    time_machine.move_to(FROZEN_NOW + timedelta(minutes=61), tick=False)
    response = browser().get(link)
    assert response.status_code == 200
    assert 'data-reset="invalid"' in response.content.decode()


def test_a_link_for_another_public_id_does_not_work(patient, other_patient):
    ask(patient.email)
    link = link_in_outbox().replace(patient.public_id.hex, other_patient.public_id.hex)
    assert 'data-reset="invalid"' in browser().get(link).content.decode()
    garbled = link_in_outbox().replace(patient.public_id.hex, "zz")
    assert 'data-reset="invalid"' in browser().get(garbled).content.decode()


def test_a_patients_rules_apply(patient):
    ask(patient.email)
    response = choose(link_in_outbox(), password="Kx7-Ql2-Wm9z")  # 12 characters
    assert response.status_code == 200
    assert "at least 13 characters" in response.content.decode()
    assert "authenticator" not in response.content.decode()  # not the staff's rules
    patient.refresh_from_db()
    assert patient.check_password(PASSWORD)


def test_a_clinicians_rules_apply_to_a_clinician(clinician):
    ask(clinician.email)
    response = choose(link_in_outbox(), password="Kx7-Ql2W")  # 8 characters: enough for staff
    assert response["Location"] == DONE


def test_the_reset_ends_open_links_from_the_clinic(patient, clinician):
    link = new_link_create(patient=patient, created_by=clinician)
    ask(patient.email)
    choose(link_in_outbox())
    link.invitation.refresh_from_db()
    assert not link.invitation.is_usable()
    assert browser().get(f"/accounts/invitation/{link.token}/").status_code == 410


def test_the_reset_lifts_the_accounts_lockout(patient):
    for _ in range(5):
        browser().post("/accounts/login/", {"username": patient.email, "password": "wrong"})
    assert AccessAttempt.objects.filter(username=patient.email).exists()
    ask(patient.email)
    choose(link_in_outbox())
    response = browser().post("/accounts/login/", {"username": patient.email, "password": NEW})
    assert response.status_code == 302


def test_every_session_ends_after_the_reset(patient):
    phone = browser()
    phone.post("/accounts/login/", {"username": patient.email, "password": PASSWORD})
    assert phone.get("/diary/").status_code == 200
    ask(patient.email)
    choose(link_in_outbox())
    assert phone.get("/diary/")["Location"].startswith("/accounts/login/")


def test_an_older_reset_link_stops_working_after_a_newer_one_is_used(patient):
    ask(patient.email)
    first = link_in_outbox()
    ask(patient.email)
    second = link_in_outbox()
    choose(second)
    assert 'data-reset="invalid"' in browser().get(first).content.decode()


def test_a_clinic_link_after_a_reset_still_works(patient, clinician):
    """The order matters: a link the clinic sends later is the newest and is not ended."""
    ask(patient.email)
    choose(link_in_outbox())
    link = new_link_create(patient=patient, created_by=clinician)
    assert Invitation.objects.get(pk=link.invitation.pk).is_usable()


def test_another_patient_is_not_touched(patient, clinic):
    other = make_patient("aiko@example.jp", clinic=clinic, name="Aiko")
    other_phone = browser()
    other_phone.force_login(other)
    ask(patient.email)
    choose(link_in_outbox())
    assert other_phone.get("/diary/").status_code == 200
