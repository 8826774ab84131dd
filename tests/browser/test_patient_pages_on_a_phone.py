"""Every patient page on a 375 px phone, in Japanese and English (issue 18).

One walk per language, as a patient would go: home after a quieter day, today's form, an
earlier day chosen from the history and its urgent answer, the weekly ratings, settings (where
the text size is set to its largest), my data and the report. On every page, in light and
dark mode and at the largest text size: nothing wider than the screen, every button at least
44 px tall, axe-core clean. The chart's smallest label is read from the SVG the phone gets.
Screenshots of every page are kept in test-artifacts/phone/ (git-ignored) for a reviewer.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from accounts.models import User
from diary.models import DiaryEntry, Goal
from diary.selectors import clinic_today
from tests.browser.conftest import ARTIFACTS, PHONE
from tests.browser.people import PASSWORD, patient_injected, sign_in
from tests.charts.svg_text import svg_size, text_lines
from tests.factories import make_clinician, save_entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = ARTIFACTS / "phone"
DESKTOP = {"width": 1366, "height": 900}
TEXT = {
    "ja": {
        "locale": "ja-JP",
        "sign_in": "ログイン",
        "call_now": "すぐにクリニックへ電話してください",
        "alerted": "クリニックへお知らせのメールを送りました",
        "quieter": "の回答では、このサインは出ていません",
        "earlier": "前の日の記録です。",
        "that_day": "その日は熱っぽかった・寒気がした",
        "today_word": "今日",
        "back_history": "これまでの記録に戻る",
        "save": "保存",
        "earlier_link": "前の日を記録する",
        "open_day": "この日を開く",
        "edit": "修正",
        "settings": "設定",
        "xlarge": "とても大きい",
        "save_size": "文字の大きさを保存",
        "ratings": "評価を保存",
    },
    "en": {
        "locale": "en-GB",
        "sign_in": "Sign in",
        "call_now": "Call your clinic now",
        "alerted": "We sent an e-mail to tell the clinic",
        "quieter": "no longer show this sign",
        "earlier": "You are filling in an earlier day.",
        "that_day": "That day I felt feverish or had chills",
        "today_word": "today",
        "back_history": "Back to my entries",
        "save": "Save",
        "earlier_link": "Fill in an earlier day",
        "open_day": "Open this day",
        "edit": "Edit",
        "settings": "Settings",
        "xlarge": "Extra large",
        "save_size": "Save the text size",
        "ratings": "Save ratings",
    },
}

# What must hold on every page, read in the page: (overflow in px, buttons under 44 px tall).
LAYOUT_JS = """() => {
  const overflow = document.documentElement.scrollWidth - window.innerWidth;
  const small = [];
  const targets = ['header a', 'header button', 'main .btn', 'main button', 'main a.tap-link',
                   '.toolbar a', '.toolbar button', '.toolbar input'];
  for (const el of document.querySelectorAll(targets.join(', '))) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(el).visibility === 'hidden') continue;
    const name = el.textContent.trim().slice(0, 30);
    if (box.height < 44) small.push(`${el.tagName} "${name}" ${box.height}px`);
  }
  // A number on a 0–10 row broken over two lines ("1" above "0") is misread.
  for (const label of document.querySelectorAll('.choice-score .choice-row label')) {
    const range = document.createRange();
    range.selectNodeContents(label);
    if (range.getClientRects().length > 1) small.push(`"${label.textContent}" wraps`);
    if (range.getBoundingClientRect().width > label.clientWidth) {
      small.push(`"${label.textContent}" is wider than its button`);
    }
  }
  return {overflow, small};
}"""
# Table cells broken into one character per line (the report's daily table was).
NARROW_CELLS_JS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll('td, th')) {
    const text = cell.textContent.trim();
    if (text.length < 3 || !cell.getClientRects().length) continue;
    const style = getComputedStyle(cell);
    const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.4;
    const padding = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
    const inner = cell.clientHeight - padding;
    const lines = Math.max(1, Math.round(inner / line));
    if (text.length / lines < 2) broken.push(`${text.slice(0, 20)}: ${lines} lines`);
  }
  return broken;
}"""


def a_patient_who_had_a_fever_yesterday(language: str) -> User:
    """A knee injected 5 days ago, four days logged, 38.6 °C yesterday (urgent, e-mailed to the
    clinic's clinician), an ability goal and the overall rating due this week."""
    injection = patient_injected(f"phone-{language}@example.jp", language=language, days_ago=5)
    patient = injection.patient
    make_clinician(f"doctor-{language}@example.jp", clinic=patient.clinic)
    today = clinic_today(patient.clinic)
    for days_ago in (4, 3, 2):
        save_entry(patient, today - timedelta(days=days_ago), pain=3, temperature_c=Decimal("36.6"))
    save_entry(patient, today - timedelta(days=1), pain=5, temperature_c=Decimal("38.6"))
    Goal.objects.create(
        patient=patient, injection=injection, kind="ability",
        title="駅まで歩く" if language == "ja" else "Walk to the station",
        baseline=Decimal("3"), target=Decimal("7"), review_date=injection.day + timedelta(days=28),
    )  # fmt: skip
    return patient


class PageChecks:
    """Checks each page in light and dark mode, keeps screenshots, counts what it checked."""

    def __init__(self, page, assert_accessible, language: str):
        self.page, self.assert_accessible, self.language = page, assert_accessible, language
        self.checked: list[str] = []
        SHOTS.mkdir(parents=True, exist_ok=True)

    def __call__(self, name: str, *, modes=("light", "dark")) -> None:
        page = self.page
        for mode in modes:
            page.wait_for_load_state()
            page.emulate_media(color_scheme=mode)
            # static/js/theme.js follows the system setting, also when it changes (the report
            # is a printed page and stays light).
            if page.locator("script[src$='js/theme.js']").count():
                page.wait_for_function(
                    "mode => document.documentElement.dataset.bsTheme === mode", arg=mode
                )
            layout = page.evaluate(LAYOUT_JS)
            width = page.viewport_size["width"]
            assert layout["overflow"] <= 0, f"{name} ({mode}) is {layout['overflow']} px too wide"
            assert layout["small"] == [], f"{name} ({mode}): {layout['small']}"
            self.assert_accessible(page)
            size = page.evaluate("document.documentElement.dataset.textSize || 'normal'")
            page.screenshot(
                path=str(SHOTS / f"{self.language}-{name}-{width}-{mode}-{size}.png"),
                full_page=True,
            )
            self.checked.append(f"{name}/{mode}/{size}")
        page.emulate_media(color_scheme="light")


def one_row(page) -> bool:
    """Whether the header's visible links and buttons all stand in one row."""
    boxes = page.locator("header nav > a, header nav > form").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect()).filter(b => b.width > 0)"
        ".map(b => [b.top, b.bottom])"
    )
    return len(boxes) >= 4 and max(top for top, _ in boxes) < min(bottom for _, bottom in boxes)


def smallest_chart_label_px(page, selector: str) -> float:
    """The smallest text of the chart image as shown: its font size in the SVG the browser
    chose (<picture>), scaled to the width the image is drawn at."""
    image = page.locator(selector).first
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    source = image.evaluate("img => img.currentSrc")
    assert "layout=narrow" in source, source
    svg = page.evaluate("url => fetch(url).then(r => r.text())", source).encode()
    shown = image.evaluate("img => img.getBoundingClientRect().width")
    width_pt, _ = svg_size(svg)
    return min(line.font_size for line in text_lines(svg)) * shown / width_pt


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_patient_page_on_a_phone(live_server, new_page, assert_accessible, language):
    text = TEXT[language]
    patient = a_patient_who_had_a_fever_yesterday(language)
    today = clinic_today(patient.clinic)
    yesterday = today - timedelta(days=1)
    page = new_page(locale=text["locale"], viewport=PHONE)
    check = PageChecks(page, assert_accessible, language)
    sign_in(page, live_server.url, patient.email, PASSWORD, button=text["sign_in"])

    # Home: one row of header links; today's card before the warnings.
    assert one_row(page), "the header wraps"
    assert page.locator("header").bounding_box()["height"] < 80
    order = page.locator("#today-heading, #warnings-heading").evaluate_all(
        "els => els.map(e => e.id)"
    )
    assert order == ["today-heading", "warnings-heading"]
    check("home-before")

    # Today, a quieter day, through the form (no date on it).
    page.locator(".today-card a.btn").click()
    assert page.locator("form.entry-form input[name=day]").count() == 0
    assert page.locator("#div_id_pain .scale-low").is_visible()
    assert page.locator("#div_id_pain .scale-high").is_visible()
    check("entry-today")
    form = page.locator("form.entry-form")
    for label in (
        "id_pain_2",
        "id_swelling_0",
        "id_warmth_0",
        "id_redness_0",
        "id_weight_bearing_0",
    ):
        form.locator(f"label[for={label}]").click()
    form.locator("#id_temperature_c").fill("36.7")
    form.get_by_role("button", name=text["save"], exact=True).click()
    page.locator("[data-flag=none]").wait_for()
    check("saved-quiet")

    # Home after the quieter day: the warning stays, with a line that today no longer shows it.
    page.goto(f"{live_server.url}/diary/")
    fever = page.locator(".warning[data-flag=fever]")
    assert text["quieter"] in fever.locator("[data-fact=quieter]").inner_text()
    assert fever.locator("[data-fact=told]").get_attribute("data-told") == "sent"
    assert page.locator("[data-call=today]").count() == 1
    assert page.locator("[data-call=now]").count() == 0
    assert smallest_chart_label_px(page, "figure.chart img[src*='symptoms.svg']") >= 12
    assert smallest_chart_label_px(page, "figure.chart img[src*='goals.svg']") >= 12
    check("home-after-a-quieter-day")

    # This week's ratings: two scales of opposite direction, each with its words at both ends.
    page.goto(f"{live_server.url}/diary/ratings/")
    scales = page.locator("form.ratings-form fieldset.scale")
    assert scales.count() == 2
    directions = [s.get_attribute("data-direction") for s in
                  page.locator("form.ratings-form .scale-direction").all()]  # fmt: skip
    assert directions == ["up-better", "up-worse"]
    borders = scales.evaluate_all("els => els.map(e => getComputedStyle(e).borderTopColor)")
    assert borders[0] != borders[1]  # told apart at a glance, not only by the words
    check("ratings")

    # History: the fever day is marked; an earlier day chosen on its own page.
    page.goto(f"{live_server.url}/diary/history/")
    marked = page.locator(f"li[data-day='{yesterday}']")
    assert marked.get_attribute("data-severity") == "urgent"
    check("history")
    page.get_by_role("link", name=text["earlier_link"]).click()
    check("choose-a-day")
    page.locator("#id_day").fill(yesterday.isoformat())
    page.get_by_role("button", name=text["open_day"]).click()

    # The earlier day's form speaks of that day; saving it again leads with the call.
    assert text["earlier"] in page.locator("main").inner_text()
    entry_form = page.locator("form.entry-form")
    assert text["that_day"] in entry_form.inner_text()
    assert text["today_word"] not in entry_form.inner_text().lower()
    check("entry-earlier-day")
    entry_form.locator("label[for=id_pain_6]").click()
    entry_form.get_by_role("button", name=text["save"], exact=True).click()
    headline = page.locator("h1[data-headline=call-now]")
    headline.wait_for()
    assert headline.inner_text() == text["call_now"]
    # The alert about yesterday went out when it was saved (today, in the set-up).
    alert_line = page.locator("[data-alert=sent]").inner_text()
    assert text["alerted"] in alert_line
    assert (f"{today.month}月{today.day}日" if language == "ja" else today.strftime("%B %-d")) in (
        alert_line
    )
    first_phone = page.locator("main a.tel-link").first
    assert first_phone.get_attribute("data-phone") == "clinic"
    check("saved-urgent-earlier-day")
    page.get_by_role("link", name=text["back_history"]).click()
    assert page.url.endswith(f"/diary/history/#day-{yesterday}")
    assert DiaryEntry.objects.get(patient=patient, day=yesterday).pain == 6

    # Settings, my data and the report.
    page.get_by_role("link", name=text["settings"], exact=True).click()
    check("settings")
    page.goto(f"{live_server.url}/diary/my-data/")
    check("my-data")
    page.goto(f"{live_server.url}/diary/report/")
    assert page.evaluate(NARROW_CELLS_JS) == []
    check("report")

    # The largest text size, chosen on the settings page: every page again.
    page.goto(f"{live_server.url}/diary/settings/")
    page.locator("label[for=id_text_size_2]").click()
    page.get_by_role("button", name=text["save_size"]).click()
    assert page.locator("html").get_attribute("data-text-size") == "xlarge"
    assert User.objects.get(pk=patient.pk).text_size == "xlarge"
    for name, path in (
        ("home", "/diary/"),
        ("entry-today", "/diary/entry/"),
        ("entry-earlier-day", f"/diary/entry/{yesterday}/?from=history"),
        ("saved-urgent-earlier-day", f"/diary/entry/{yesterday}/saved/?from=history"),
        ("ratings", "/diary/ratings/"),
        ("history", "/diary/history/"),
        ("choose-a-day", "/diary/entry/earlier/"),
        ("settings", "/diary/settings/"),
        ("my-data", "/diary/my-data/"),
        ("report", "/diary/report/"),
    ):
        page.goto(f"{live_server.url}{path}")
        check(name)
        if name == "report":
            assert page.evaluate(NARROW_CELLS_JS) == []
        if name == "home":
            assert one_row(page), "the header wraps at the largest text size"
            assert smallest_chart_label_px(page, "figure.chart img[src*='symptoms.svg']") >= 12

    # The same pages on a desktop screen at the usual text size, for the reviewer.
    User.objects.filter(pk=patient.pk).update(text_size="normal")
    page.set_viewport_size(DESKTOP)
    desktop_pages = (
        ("/diary/", "home"),
        ("/diary/history/", "history"),
        (f"/diary/entry/{yesterday}/saved/", "saved-urgent-earlier-day"),
    )
    for path, name in desktop_pages:
        page.goto(f"{live_server.url}{path}")
        check(name)

    assert len(check.checked) == 2 * (12 + 10 + 3)  # light and dark, every page
