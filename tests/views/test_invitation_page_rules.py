"""The page a patient opens from the invitation says only the patient's password rules, in plain
words, in the patient's language, and has a "show password" button that needs JavaScript only
to appear (tests/browser/test_desk_invitation.py clicks it in Chromium)."""

from __future__ import annotations

import re

import pytest

from accounts.services import invitation_create, patient_register
from accounts.validators import password_rules
from tests.views.html import element_text

pytestmark = pytest.mark.django_db

STAFF_WORDS = {
    "en": ["Clinic staff", "authenticator", "one-time code"],
    "ja": ["スタッフ", "認証アプリ", "ワンタイムコード"],
}
PATIENT_RULE = {"en": "At least 13 characters", "ja": "13 文字以上"}


@pytest.fixture
def link(clinic, frozen_now):
    aiko = patient_register(clinic=clinic, email="aiko@example.jp", name="Aiko Tanaka")
    _invitation, token = invitation_create(user=aiko)
    return f"/accounts/invitation/{token}/"


def opened(client, link, language):
    response = client.get(link, headers={"accept-language": language})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_page_shows_the_patients_rules_not_the_staffs(client, link, language):
    content = opened(client, link, language)
    rules = element_text(content, "id_new_password1_helptext")
    assert rules is not None
    assert PATIENT_RULE[language] in rules
    for word in STAFF_WORDS[language]:
        assert word not in content, word


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_rules_on_the_page_are_the_validators_rules(client, link, language, settings):
    settings.PASSWORD_MIN_LENGTH_PATIENT = 16
    content = opened(client, link, language)
    expected = {"en": "At least 16 characters", "ja": "16 文字以上"}[language]
    assert expected in element_text(content, "id_new_password1_helptext")
    assert PATIENT_RULE[language] not in content


def test_the_first_field_is_described_by_the_rules(client, link):
    content = opened(client, link, "en")
    field = re.search(r'<input[^>]+name="new_password1"[^>]*>', content).group(0)
    assert 'aria-describedby="id_new_password1_helptext"' in field
    assert 'autocomplete="new-password"' in field
    assert 'autocapitalize="none"' in field  # shown as text, nothing is changed as typed


def test_the_staff_rules_are_kept_for_staff(clinician):
    rules = " ".join(password_rules(clinician))
    assert "At least 8 characters" in rules
    assert "authenticator" in rules


@pytest.mark.parametrize(
    ("language", "show"), [("en", "Show password"), ("ja", "パスワードを表示")]
)
def test_the_show_password_button_is_a_real_button_shown_by_a_static_script(
    client, link, language, show
):
    content = opened(client, link, language)
    button = re.search(r"<button[^>]+data-password-toggle=[^>]*>([^<]*)</button>", content)
    assert button is not None
    tag, name = button.group(0), button.group(1)
    assert name == show
    assert 'type="button"' in tag
    assert 'aria-controls="id_new_password1 id_new_password2"' in tag
    assert " hidden" in tag  # until static/js/password-toggle.js shows it
    assert '<script src="/static/js/password-toggle.js" defer></script>' in content
    assert "<script>" not in content


def test_without_javascript_the_form_still_sets_the_password(client, link):
    password = "Aiko knee diary 26"
    response = client.post(link, {"new_password1": password, "new_password2": password})
    assert response.status_code == 302
