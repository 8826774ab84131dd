"""E-mails to the clinic: urgent flags at once (after commit, once per firing day), caution flags
in a daily digest. Never any health data: who, and a link to the patient page."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction
from django.utils import translation

from diary import alerts
from diary.alerts import (
    flag_digest_send,
    urgent_alerts_on_commit,
    urgent_alerts_pending,
    urgent_alerts_send,
)
from diary.flagging import flag_acknowledge, flags_evaluate
from diary.models import DiaryEntry, Flag, FlagOccurrence
from diary.services import injection_save
from tests.factories import (
    FROZEN_NOW,
    TODAY,
    days_ago,
    make_clinician,
    make_injection,
    make_patient_injected,
    save_entry,
)

pytestmark = pytest.mark.django_db

PRIVACY_LINE = "For privacy this e-mail contains no health data; sign in to see the details."
NOTES = "Knee hot and swollen since lunch, took loxonin"


class BrokenBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def in_language(user, language):
    user.language = language
    user.save(update_fields=["language"])
    return user


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def patient_url(patient) -> str:
    return f"http://testserver/clinic/patients/{patient.public_id}/"


@pytest.fixture
def colleague(clinic, frozen_now):
    return make_clinician("nurse@example.jp", clinic=clinic, name="Nurse Aoki")


@pytest.fixture
def urgent_day(patient, django_capture_on_commit_callbacks):
    """Hanako saves a day with 38.4 °C; the transaction commits and the hooks run."""

    def save(day=TODAY, temperature="38.4", **changes):
        with django_capture_on_commit_callbacks(execute=True):
            return save_entry(patient, day=day, temperature_c=Decimal(temperature), **changes)

    return save


# Who gets the urgent e-mail


def test_a_new_urgent_flag_emails_every_active_clinician_of_the_patients_clinic(
    urgent_day, patient, clinician, colleague, other_clinician, clinic
):
    make_clinician("retired@example.jp", clinic=clinic, is_active=False)
    urgent_day()
    # One e-mail each; not the patient, not another clinic, not a deactivated account.
    assert recipients() == ["doctor@example.jp", "nurse@example.jp"]
    assert all(len(message.to) == 1 for message in mail.outbox)


def test_it_emails_once_even_when_the_rules_run_again(
    urgent_day, patient, clinician, django_capture_on_commit_callbacks
):
    urgent_day()
    assert len(mail.outbox) == 1

    urgent_day(notes="edited the notes")  # the same urgent day saved again
    with django_capture_on_commit_callbacks(execute=True):
        changes = flags_evaluate(patient=patient)
        urgent_alerts_on_commit(changes.newly_urgent)
    alerted = list(FlagOccurrence.objects.values_list("pk", flat=True))

    assert changes.newly_urgent == []
    assert urgent_alerts_send(alerted) == 0  # a retry of the hook sends nothing either
    assert len(mail.outbox) == 1


def test_another_urgent_day_later_emails_again(urgent_day, clinician, time_machine):
    urgent_day()
    time_machine.shift(timedelta(days=1))
    urgent_day(day=TODAY + timedelta(days=1), temperature="38.2")
    assert recipients() == ["doctor@example.jp", "doctor@example.jp"]
    alerted = FlagOccurrence.objects.order_by("day").values_list("day", "notified_at")
    assert list(alerted) == [
        (TODAY, FROZEN_NOW),
        (TODAY + timedelta(days=1), FROZEN_NOW + timedelta(days=1)),
    ]


def test_a_caution_flag_sends_no_immediate_email(urgent_day, clinician):
    urgent_day(temperature="37.6")
    assert Flag.objects.get().severity == "caution"
    assert mail.outbox == []


def test_a_new_injection_that_makes_a_day_urgent_emails_the_clinic(
    other_patient, clinician, django_capture_on_commit_callbacks
):
    # Ichiro logged two days unable to bear weight before his injection was recorded: not
    # judged then. Recorded as given yesterday, they are days 0 and 1, and day 1 is urgent.
    save_entry(other_patient, day=days_ago(1), weight_bearing="cannot")
    save_entry(other_patient, weight_bearing="cannot")
    assert not Flag.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        injection_save(
            patient=other_patient,
            values={"day": days_ago(1), "joint": "knee", "side": "left", "agent": "prp"},
            recorded_by=clinician,
        )
    assert recipients() == ["doctor@example.jp"]


# What the e-mail says


def test_the_email_links_to_the_patient_page_and_holds_no_health_data(
    urgent_day, patient, clinician
):
    in_language(clinician, "en")
    urgent_day(notes=NOTES, unwell=True, swelling=2)
    (message,) = mail.outbox
    assert patient_url(patient) in message.body
    assert "Hanako Sato" in message.body and "P-1" in message.subject
    assert PRIVACY_LINE in message.body
    # Leave the link out: its random public id may hold "38" by chance.
    text = (message.subject + message.body).replace(patient_url(patient), "").lower()
    for health_word in ("38.4", "38", "fever", "temperature", "swell", "unwell", "knee", "loxonin"):
        assert health_word not in text


def test_the_email_is_in_each_recipients_language(urgent_day, patient, clinician, colleague):
    in_language(clinician, "en")
    in_language(colleague, "ja")
    urgent_day(notes=NOTES)
    by_recipient = {message.to[0]: message for message in mail.outbox}
    english, japanese = by_recipient["doctor@example.jp"], by_recipient["nurse@example.jp"]

    assert english.subject == "Urgent: a patient's diary needs attention now (P-1)"
    assert "Please contact the patient now." in english.body
    assert "今日中" not in japanese.body and "すぐに" in japanese.body
    with translation.override("ja"):
        japanese_privacy = translation.gettext(PRIVACY_LINE)
    assert japanese_privacy != PRIVACY_LINE
    assert japanese_privacy in japanese.body
    assert "P-1" in japanese.subject and japanese.subject != english.subject
    assert "Please contact" not in japanese.body
    assert patient_url(patient) in japanese.body
    for health_word in ("38.4", "発熱", "熱", "腫れ", "loxonin"):
        assert health_word not in japanese.subject + japanese.body


# When it is sent


def test_it_is_sent_only_after_the_transaction_commits(
    patient, clinician, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        save_entry(patient, temperature_c=Decimal("38.4"))
        assert mail.outbox == []
    assert mail.outbox == []  # nothing yet: the hook waits for the commit
    assert len(callbacks) == 1

    callbacks[0]()

    assert recipients() == ["doctor@example.jp"]


def test_nothing_is_sent_when_the_transaction_rolls_back(
    patient, clinician, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        save_entry(patient, temperature_c=Decimal("38.4"))
        raise RuntimeError("something after the save failed")
    assert callbacks == []
    assert mail.outbox == []
    assert not Flag.objects.exists()


def test_a_failing_mail_server_does_not_break_saving_the_entry(
    patient, clinician, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.services.test_alerts.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        result = save_entry(patient, temperature_c=Decimal("38.4"), notes=NOTES)
    assert DiaryEntry.objects.get(patient=patient, day=TODAY) == result.entry
    assert Flag.objects.get(patient=patient).code == "fever"
    assert "Could not e-mail the urgent alert" in caplog.text
    assert mail.outbox == []


def test_an_alert_the_mail_server_refused_is_sent_by_the_next_retry(
    patient, clinician, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.services.test_alerts.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        save_entry(patient, temperature_c=Decimal("38.4"))
    (day,) = FlagOccurrence.objects.all()
    assert day.notified_at is None  # nobody was told, so it is still pending
    assert urgent_alerts_pending() == [day.pk]

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    out = io.StringIO()
    call_command("send_urgent_alerts", stdout=out)

    assert recipients() == [clinician.email]
    assert "Urgent days pending: 1, e-mails sent: 1." in out.getvalue()
    day.refresh_from_db()
    assert day.notified_at is not None
    call_command("send_urgent_alerts", stdout=io.StringIO())
    assert len(mail.outbox) == 1  # sent once


def test_the_patients_next_save_also_retries_a_refused_alert(
    patient, clinician, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.services.test_alerts.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        save_entry(patient, temperature_c=Decimal("38.4"))
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        save_entry(patient, day=days_ago(1))  # a quiet day: no new finding
    assert recipients() == [clinician.email]


def test_an_alert_that_reached_one_clinician_is_not_sent_again(
    patient, clinician, colleague, settings, monkeypatch, django_capture_on_commit_callbacks
):
    real_send = alerts._send

    def nurse_unreachable(recipient, template, context):
        if recipient == colleague:
            raise ConnectionRefusedError("mailbox full")
        real_send(recipient, template, context)

    monkeypatch.setattr(alerts, "_send", nurse_unreachable)
    with django_capture_on_commit_callbacks(execute=True):
        save_entry(patient, temperature_c=Decimal("38.4"))
    assert recipients() == [clinician.email]
    assert urgent_alerts_pending() == []


def test_withdrawn_or_acknowledged_days_are_not_pending(
    patient, clinician, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.services.test_alerts.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        save_entry(patient, day=days_ago(1), temperature_c=Decimal("38.4"))
        save_entry(patient, temperature_c=Decimal("38.6"))
    assert len(urgent_alerts_pending()) == 2
    save_entry(patient, day=days_ago(1), temperature_c=Decimal("36.5"))  # a typing error
    assert len(urgent_alerts_pending()) == 1
    flag_acknowledge(flag=Flag.objects.get(patient=patient), by=clinician, action="called")
    assert urgent_alerts_pending() == []


# The daily digest of caution flags


@pytest.fixture
def caution_patients(patient, other_patient, clinic, other_clinic, clinician, other_clinician):
    """Sakura Clinic: Hanako (raised temperature) and Ichiro (unwell) with open caution flags,
    Jiro with only an urgent flag and Saburo with an acknowledged one; Momiji Clinic: Yuki."""
    in_language(clinician, "en")
    in_language(other_clinician, "en")
    ichiro = other_patient
    make_injection(ichiro, day=days_ago(3))
    jiro = make_patient_injected("jiro@example.jp", clinic=clinic, injected_days_ago=4, name="Jiro")
    saburo = make_patient_injected(
        "saburo@example.jp", clinic=clinic, injected_days_ago=4, name="Saburo"
    )
    yuki = make_patient_injected(
        "yuki@example.jp", clinic=other_clinic, injected_days_ago=4, name="Yuki"
    )
    save_entry(patient, temperature_c=Decimal("37.6"))
    save_entry(ichiro, unwell=True)
    save_entry(jiro, redness="spreading")
    save_entry(saburo, weight_bearing="cannot")
    flag_acknowledge(flag=saburo.flags.get(), by=clinician, action="called")
    save_entry(yuki, unwell=True)  # no commit here, so no urgent e-mail about Jiro either
    return {"hanako": patient, "ichiro": ichiro, "jiro": jiro, "saburo": saburo, "yuki": yuki}


def test_the_digest_lists_the_patients_with_new_open_caution_flags(caution_patients):
    sent = flag_digest_send()

    assert sent == 2
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"doctor@example.jp", "doctor@momiji.example.jp"}
    sakura = by_recipient["doctor@example.jp"]
    assert sakura.subject == "Injection diary: 2 patients with new caution signs"
    for name in ("hanako", "ichiro"):
        assert patient_url(caution_patients[name]) in sakura.body
    for name in ("jiro", "saburo", "yuki"):
        assert patient_url(caution_patients[name]) not in sakura.body
    assert "Hanako Sato (P-1)" in sakura.body
    assert "http://testserver/clinic/" in sakura.body
    momiji = by_recipient["doctor@momiji.example.jp"]
    assert momiji.subject == "Injection diary: 1 patient with new caution signs"
    assert patient_url(caution_patients["yuki"]) in momiji.body
    assert patient_url(caution_patients["hanako"]) not in momiji.body


def test_the_digest_holds_no_health_data(caution_patients):
    flag_digest_send()
    for message in mail.outbox:
        text = (message.subject + message.body).lower()
        for health_word in ("37.6", "temperature", "fever", "unwell", "weight"):
            assert health_word not in text


def test_the_digest_marks_what_it_sent_and_a_second_run_sends_nothing(caution_patients):
    flag_digest_send()
    digested = dict(Flag.objects.values_list("patient__name", "digested_at"))
    assert digested == {
        "Hanako Sato": FROZEN_NOW,
        "Ichiro Suzuki": FROZEN_NOW,
        "Yuki": FROZEN_NOW,
        "Jiro": None,  # urgent: e-mailed at once, not in the digest
        "Saburo": None,  # already acknowledged
    }

    assert flag_digest_send() == 0
    assert len(mail.outbox) == 2


def test_the_next_digest_has_only_the_flags_raised_since(caution_patients, clinic, clinician):
    flag_digest_send()
    mail.outbox.clear()
    newcomer = make_patient_injected(
        "goro@example.jp", clinic=clinic, injected_days_ago=4, name="Goro"
    )
    save_entry(newcomer, weight_bearing="cannot")

    assert flag_digest_send() == 1

    (message,) = mail.outbox
    assert patient_url(newcomer) in message.body
    assert patient_url(caution_patients["hanako"]) not in message.body
