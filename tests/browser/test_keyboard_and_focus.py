"""The diary can be filled in with a keyboard alone, focus is always visible, and severity is
written in words, not shown by colour alone."""

from __future__ import annotations

import pytest

from accounts.models import Clinic, User
from diary.models import DiaryEntry
from diary.selectors import clinic_today
from tests.browser.people import PASSWORD, patient_injected, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACTIVE = "document.activeElement"
# A focus indicator is an outline or a box-shadow on the element or, for the visually hidden
# radio buttons, on the label that is drawn as the button.
FOCUS_STYLE = """() => {
  const element = document.activeElement;
  const drawn = element.matches('.btn-check') ? element.labels[0] : element;
  const style = getComputedStyle(drawn);
  return {outline: style.outlineStyle, width: style.outlineWidth, shadow: style.boxShadow};
}"""


def focus_is_visible(page) -> bool:
    style = page.evaluate(FOCUS_STYLE)
    outlined = style["outline"] != "none" and style["width"] != "0px"
    if outlined or style["shadow"] != "none":
        return True
    # Focus inside a native control (the date field's calendar button) has no computed style
    # to read: compare how the control looks with the focus and after Tab has moved it on.
    box = page.evaluate(
        f"(() => {{ const r = {ACTIVE}.getBoundingClientRect();"
        " return {x: r.x - 4, y: r.y - 4, width: r.width + 8, height: r.height + 8}; })()"
    )
    focused = page.screenshot(clip=box)
    page.keyboard.press("Tab")
    unfocused = page.screenshot(clip=box)
    page.keyboard.press("Shift+Tab")
    return unfocused != focused


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the focused element matches `selector`; every stop shows its focus."""
    for _ in range(limit):
        if page.evaluate(f"{ACTIVE}.matches({selector!r})"):
            return
        page.keyboard.press("Tab")
        if page.evaluate(f"{ACTIVE} !== document.body"):  # not between the page and the toolbar
            assert focus_is_visible(page), page.evaluate(f"{ACTIVE}.outerHTML")
    raise AssertionError(f"Tab never reached {selector}")


def sign_in_with_keyboard(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    tab_to(page, "#id_username")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base_url}/diary/")


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_patient_fills_in_the_diary_with_the_keyboard_alone(live_server, new_page, language):
    injection = patient_injected(
        f"keys-{language}@example.jp", language=language, days_ago=3, side="right", agent="steroid"
    )
    patient = injection.patient
    today = clinic_today(patient.clinic)
    page = new_page(locale="ja-JP" if language == "ja" else "en-GB")
    sign_in_with_keyboard(page, live_server.url, patient.email)

    page.goto(f"{live_server.url}/diary/entry/")
    # Pain is a radio group: Tab enters it, the arrow keys move the choice, Space picks it.
    tab_to(page, "input[name=pain]")
    page.keyboard.press("Space")
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    assert page.locator("#id_pain_4").is_checked()
    assert focus_is_visible(page)
    page.keyboard.press("ArrowLeft")
    assert page.locator("#id_pain_3").is_checked()

    # One Tab leaves the group for the next one; Space answers with the first choice.
    for name in ("swelling", "warmth", "redness", "weight_bearing"):
        page.keyboard.press("Tab")
        assert page.evaluate(f"{ACTIVE}.name") == name
        page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")  # weight bearing: the second choice
    tab_to(page, "#id_temperature_c")
    page.keyboard.type("36.9")
    page.keyboard.press("Enter")  # submits the form
    page.wait_for_url(f"{live_server.url}/diary/entry/{today.isoformat()}/saved/")

    entry = DiaryEntry.objects.get(patient=patient, day=today)
    assert (entry.pain, entry.swelling, entry.warmth, entry.redness) == (3, 0, 0, "none")
    assert entry.weight_bearing != "full"
    assert str(entry.temperature_c) == "36.9"


def test_missing_answers_are_announced_next_to_each_question(
    live_server, new_page, assert_accessible
):
    clinic = Clinic.objects.create(name="Keyboard Clinic", phone="03-0000-0000")
    patient = User.objects.create_user(
        "errors@example.jp", PASSWORD, name="P", role="patient", clinic=clinic, language="ja"
    )
    page = new_page()
    sign_in_with_keyboard(page, live_server.url, patient.email)
    page.goto(f"{live_server.url}/diary/entry/")
    page.locator("form.entry-form button[type=submit]").click()

    pain = page.locator("#div_id_pain")
    error = page.locator("#id_pain_error")
    assert "いずれかを選んでください" in error.inner_text()
    # The error first, then what the ends of the 0–10 scale mean.
    assert pain.get_attribute("aria-describedby") == "id_pain_error id_pain_help"
    assert_accessible(page)
    assert not DiaryEntry.objects.filter(patient=patient).exists()


def test_severity_is_written_in_words_wherever_it_is_shown(live_server, new_page):
    from diary.demo import PASSWORD as DEMO_PASSWORD
    from diary.demo import demo_load

    demo_load()
    User.objects.filter(email="doctor@example.jp").update(language="en")
    page = new_page(locale="en-GB", viewport={"width": 1280, "height": 900})
    sign_in(page, live_server.url, "doctor@example.jp", DEMO_PASSWORD)
    assert page.locator("html").get_attribute("lang") == "en"

    words = {"urgent": "Urgent", "caution": "Caution", "info": "Info"}
    badges = page.locator(".severity-badge")
    assert badges.count() > 0
    for badge in badges.all():
        label = badge.inner_text()
        assert any(word in label for word in words.values()), label
    # In each patient's row the flag's badge says its severity too (to screen readers).
    row_badges = page.locator("tr.dashboard-row [data-severity]")
    assert row_badges.count() > 0
    for badge in row_badges.all():
        severity = badge.get_attribute("data-severity")
        assert words[severity] in badge.text_content(), badge.text_content()

    page.locator("tr.dashboard-row[data-group=urgent] a").first.click()
    cards = page.locator("[data-severity][data-flag]")
    assert cards.count() > 0
    for card in cards.all():
        severity = card.get_attribute("data-severity")
        assert words.get(severity, "") in card.inner_text(), card.inner_text()
