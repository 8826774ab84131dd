"""Limits on "Forgot your password?" (accounts/password.py): a few e-mails per account in the
window, past which the answer is the same page as for any address; and a number of requests per
network address, past which a 429 page says when to try again. Counted in the database."""

from __future__ import annotations

import re
import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client

from accounts.models import PasswordResetClaim
from accounts.password import reset_claim_create
from tests.commands.concurrent_runs import postgresql_only, tasks_at_once
from tests.factories import FROZEN_NOW

pytestmark = pytest.mark.django_db

RESET = "/accounts/password/reset/"
SENT = "/accounts/password/reset/sent/"
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
LINK = re.compile(r"http://testserver(/accounts/password/reset/[0-9a-f]{32}/[\w-]+/)")
WINDOW = timedelta(minutes=60)  # the default PASSWORD_RESET_LIMIT_WINDOW_MINUTES
NEW = "a quiet walk by the river"


def browser(address: str = "203.0.113.1", language: str | None = "en", **extra) -> Client:
    headers = {"accept-language": language} if language else {}
    return Client(REMOTE_ADDR=address, headers=headers, **extra)


def answer(email: str, address: str) -> tuple:
    """Everything the visitor sees: the POST's status, headers and body, then the page it
    leads to (the CSRF token, different in every browser, taken out)."""
    client = browser(address)
    response = client.post(RESET, {"email": email})
    page = client.get(response["Location"]) if response.status_code == 302 else None
    headers = sorted((k, v) for k, v in response.headers.items() if k != "Set-Cookie")
    return (
        response.status_code,
        headers,
        response.content,
        page.status_code if page else None,
        CSRF.sub(b"", page.content) if page else None,
    )


# --- per account ----------------------------------------------------------------------------


def test_past_the_account_limit_no_mail_and_the_very_same_answer(patient, settings):
    assert settings.PASSWORD_RESET_ACCOUNT_LIMIT == 3
    first = [answer(patient.email, f"203.0.113.{n}") for n in range(1, 4)]  # 3 addresses
    assert len(mail.outbox) == 3
    under_limit = first[-1]
    past_limit = answer(patient.email.upper(), "203.0.113.4")
    unknown = answer("nobody@example.jp", "203.0.113.5")

    assert len(mail.outbox) == 3, "the fourth request must send nothing"
    assert under_limit[0] == 302 and under_limit[3] == 200
    assert past_limit == under_limit
    assert unknown == under_limit


def test_the_link_already_sent_still_works_past_the_limit(patient):
    for n in range(4):
        answer(patient.email, f"203.0.113.{n + 1}")
    assert len(mail.outbox) == 3
    link = LINK.search(mail.outbox[0].body).group(1)
    client = browser()
    form = client.get(link)
    assert form.status_code == 302
    done = client.post(form["Location"], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302
    patient.refresh_from_db()
    assert patient.check_password(NEW)


def test_the_account_limit_is_per_account(patient, other_patient):
    for n in range(4):
        answer(patient.email, f"203.0.113.{n + 1}")
    answer(other_patient.email, "203.0.113.9")
    assert [m.to for m in mail.outbox] == [[patient.email]] * 3 + [[other_patient.email]]


def test_the_account_can_ask_again_once_the_window_has_passed(patient, time_machine):
    for n in range(4):
        answer(patient.email, f"203.0.113.{n + 1}")
    assert len(mail.outbox) == 3
    time_machine.move_to(FROZEN_NOW + timedelta(minutes=59), tick=False)
    answer(patient.email, "203.0.113.8")
    assert len(mail.outbox) == 3, "still inside the window"
    time_machine.move_to(FROZEN_NOW + WINDOW + timedelta(seconds=1), tick=False)
    answer(patient.email, "203.0.113.9")
    assert len(mail.outbox) == 4


def test_the_account_limit_reads_the_setting(patient, settings):
    settings.PASSWORD_RESET_ACCOUNT_LIMIT = 1
    answer(patient.email, "203.0.113.1")
    answer(patient.email, "203.0.113.2")
    assert len(mail.outbox) == 1


# --- per network address --------------------------------------------------------------------


def ask_from(address: str, email: str, language: str | None = "en"):
    return browser(address, language).post(RESET, {"email": email})


def fill_address(address: str, patient) -> None:
    """The default ten requests, for several typed addresses, with and without an account."""
    emails = [patient.email, "nobody@example.jp", "someone@example.com"]
    for n in range(10):
        assert ask_from(address, emails[n % 3]).status_code == 302


def test_past_the_address_limit_a_429_in_japanese_and_nothing_sent(patient, settings):
    assert settings.PASSWORD_RESET_ADDRESS_LIMIT == 10
    fill_address("198.51.100.7", patient)
    sent = len(mail.outbox)

    response = ask_from("198.51.100.7", "new@example.jp", language=None)  # Japanese by default
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    page = response.content.decode()
    assert "今回はメールをお送りしていません" in page
    assert "60分ほどたってから、もう一度お試しください。" in page
    assert "通院先のクリニックにお電話ください" in page
    assert len(mail.outbox) == sent


def test_past_the_address_limit_a_429_in_english_and_nothing_sent(patient):
    fill_address("198.51.100.7", patient)
    sent = len(mail.outbox)
    response = ask_from("198.51.100.7", patient.email)  # an account under its own limit
    assert response.status_code == 429
    page = response.content.decode()
    assert "so no e-mail was sent this time" in page
    assert "Please try again in about 60 minutes." in page
    assert "Please call your clinic" in page
    assert len(mail.outbox) == sent


def test_the_429_reads_the_same_whatever_address_is_typed(patient):
    fill_address("198.51.100.7", patient)
    known = ask_from("198.51.100.7", patient.email)
    unknown = ask_from("198.51.100.7", "nobody@example.jp")
    assert known.status_code == unknown.status_code == 429
    assert CSRF.sub(b"", known.content) == CSRF.sub(b"", unknown.content)


def test_the_wait_shown_counts_down_and_the_window_lets_a_request_through(patient, time_machine):
    fill_address("198.51.100.7", patient)
    time_machine.move_to(FROZEN_NOW + timedelta(minutes=45), tick=False)
    response = ask_from("198.51.100.7", "nobody@example.jp")
    assert response.status_code == 429
    assert "Please try again in about 15 minutes." in response.content.decode()

    time_machine.move_to(FROZEN_NOW + WINDOW + timedelta(seconds=1), tick=False)
    assert ask_from("198.51.100.7", patient.email).status_code == 302
    assert mail.outbox[-1].to == [patient.email]


def test_refused_requests_do_not_extend_the_wait(patient, time_machine):
    fill_address("198.51.100.7", patient)
    for minutes in (10, 30, 59):
        time_machine.move_to(FROZEN_NOW + timedelta(minutes=minutes), tick=False)
        assert ask_from("198.51.100.7", "nobody@example.jp").status_code == 429
    time_machine.move_to(FROZEN_NOW + WINDOW + timedelta(seconds=1), tick=False)
    assert ask_from("198.51.100.7", "nobody@example.jp").status_code == 302


def test_another_address_is_not_limited_by_the_first(patient):
    fill_address("198.51.100.7", patient)
    assert ask_from("198.51.100.7", "nobody@example.jp").status_code == 429
    assert ask_from("198.51.100.8", "nobody@example.jp").status_code == 302
    assert ask_from("2001:db8::1", "nobody@example.jp").status_code == 302


def test_ipv6_addresses_of_one_network_count_together(patient):
    """One line or phone gets a whole /64: a new address in it for each request is the same."""
    fill_address("2001:db8:0:1::1", patient)
    assert ask_from("2001:db8:0:1::ffff", "nobody@example.jp").status_code == 429
    assert ask_from("2001:db8:0:2::1", "nobody@example.jp").status_code == 302


def test_behind_the_proxy_the_clients_address_is_counted(patient, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"

    def via_proxy(client_ip: str, spoofed: str = ""):
        forwarded = f"{spoofed}, {client_ip}" if spoofed else client_ip
        client = browser(proxy, HTTP_X_FORWARDED_FOR=forwarded)
        return client.post(RESET, {"email": "nobody@example.jp"})

    for n in range(10):
        assert via_proxy("198.51.100.7", spoofed=f"192.0.2.{n}").status_code == 302
    assert via_proxy("198.51.100.7", spoofed="192.0.2.99").status_code == 429
    assert via_proxy("198.51.100.8").status_code == 302, "one proxy, many clients"


def test_the_address_limit_reads_the_setting(settings):
    settings.PASSWORD_RESET_ADDRESS_LIMIT = 2
    assert ask_from("198.51.100.7", "a@example.jp").status_code == 302
    assert ask_from("198.51.100.7", "b@example.jp").status_code == 302
    assert ask_from("198.51.100.7", "c@example.jp").status_code == 429


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "email, message",
    [
        ("not an address", "Enter a valid email address"),
        ("a" * 100_000 + "@example.jp", "Ensure this value has at most 254 characters"),
        ("", "This field is required"),
    ],
)
def test_bad_input_keeps_the_form_errors_and_is_not_counted(email, message, settings):
    settings.PASSWORD_RESET_ADDRESS_LIMIT = 1
    for _try in range(3):
        response = ask_from("198.51.100.7", email)
        assert response.status_code == 200
        assert message in response.content.decode()
    assert PasswordResetClaim.objects.count() == 0
    assert ask_from("198.51.100.7", "nobody@example.jp").status_code == 302


def test_a_body_too_big_is_refused_without_a_500(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = ask_from("198.51.100.7", "a" * 20_000 + "@example.jp")
    assert 400 <= response.status_code < 500
    assert PasswordResetClaim.objects.count() == 0


# --- the rows -------------------------------------------------------------------------------


def test_rows_older_than_the_window_are_removed_on_the_next_write(patient, time_machine):
    answer(patient.email, "198.51.100.7")
    old = set(PasswordResetClaim.objects.values_list("pk", flat=True))
    assert len(old) == 2  # one for the address, one for the e-mail sent
    time_machine.move_to(FROZEN_NOW + timedelta(minutes=30), tick=False)
    ask_from("198.51.100.8", "nobody@example.jp")
    assert old <= set(PasswordResetClaim.objects.values_list("pk", flat=True)), "still counted"

    time_machine.move_to(FROZEN_NOW + WINDOW + timedelta(minutes=1), tick=False)
    ask_from("198.51.100.9", "nobody@example.jp")
    left = PasswordResetClaim.objects.order_by("created_at")
    assert not old & set(left.values_list("pk", flat=True))
    assert [row.client_address for row in left] == ["198.51.100.8", "198.51.100.9"]


def test_an_address_row_names_no_account_and_an_account_row_no_address(patient):
    answer(patient.email, "198.51.100.7")
    rows = {(row.client_address, row.user_id) for row in PasswordResetClaim.objects.all()}
    assert rows == {("198.51.100.7", None), (None, patient.pk)}


# --- two servers at the same moment --------------------------------------------------------


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_requests_at_the_same_moment_never_pass_the_limit(frozen_now, monkeypatch):
    def claim():
        return reset_claim_create(address="198.51.100.7", limit=3)

    results = tasks_at_once([claim] * 8, monkeypatch=monkeypatch)
    passed = [claim for claim in results if claim is not None]  # the row of each let through
    assert 1 <= len(passed) <= 3
    assert set(PasswordResetClaim.objects.values_list("pk", flat=True)) == {c.pk for c in passed}


def test_an_e_mail_the_mail_server_did_not_take_is_not_counted(patient, settings, caplog):
    """During a mail outage the patient asks again and again; once the server is back, the
    next request still sends the link."""
    settings.EMAIL_BACKEND = "tests.views.test_password_reset.MailServerDown"
    for _ in range(settings.PASSWORD_RESET_ACCOUNT_LIMIT + 1):
        assert browser().post(RESET, {"email": patient.email}).status_code == 302
    assert "Failed to send password reset email" in caplog.text
    assert not PasswordResetClaim.objects.filter(user=patient).exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert browser().post(RESET, {"email": patient.email}).status_code == 302
    assert [message.to for message in mail.outbox] == [[patient.email]]
    assert PasswordResetClaim.objects.filter(user=patient).count() == 1


class RecipientRefused(BaseEmailBackend):
    def send_messages(self, messages):
        to = messages[0].to[0]
        raise smtplib.SMTPRecipientsRefused({to: (550, b"no such mailbox " + to.encode())})


def test_a_refused_recipient_is_logged_without_the_address(patient, settings, caplog):
    settings.EMAIL_BACKEND = "tests.security.test_password_reset_limits.RecipientRefused"
    assert browser().post(RESET, {"email": patient.email}).status_code == 302
    assert "Failed to send password reset email" in caplog.text
    assert "SMTPRecipientsRefused" in caplog.text
    assert patient.email not in caplog.text
