"""The visit report as a PDF, read back with pypdf: the Japanese text and headings, the numbers of
the summary, the embedded IPAexGothic font, page numbers "n / N", the header on every page, the
chart drawn as vectors, and a 90-day report whose daily table runs over pages with its header.

Rendering takes a second or two, so the module renders two PDFs once (through the clinician's
URL, in a transaction rolled back afterwards) and every test reads them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client
from fontTools.ttLib import TTFont
from pypdf.generic import ContentStream

from diary.charts import japanese_font_path
from tests.factories import (
    FROZEN_NOW,
    TODAY,
    days_ago,
    make_clinic,
    make_clinician,
    make_daily_pain,
    make_entry,
    make_flag,
    make_goal,
    make_injection,
    make_patient,
    rate_goal,
)
from tests.report import pdf_fonts, pdf_pages_text, pdf_raster_images, pdf_reader

# Marking the tests makes pytest-django create the test database, which the module's fixture
# below writes to (and rolls back).
pytestmark = pytest.mark.django_db

CLINIC_NAME = "さくら整形外科クリニック"
PATIENT_NAME = "佐藤 花子"
LONG_PATIENT_NAME = "鈴木 一郎"
INJECTED = days_ago(35)  # 2026-10-22
REVIEW = INJECTED + timedelta(days=28)  # 2026-11-19
BASELINE_PAIN = (6, 6, 7, 7, 6, 6, 7)  # mean 6.43 -> "6.4"
FOLLOW_UP_PAIN = (5, 6, 5, 5, 6, 5, 5)  # mean 5.29 -> "5.3"
LONG_DAYS = 90
LONG_START = TODAY - timedelta(days=LONG_DAYS - 1)  # 2026-08-29

HEADINGS = [
    "診察用レポート",
    "注射",
    "概要",
    "症状のグラフ",
    "警告サインと対応",
    "検討する選択肢",
    "日ごとの記録",
    "患者さんのメモ",
]
# The daily table's header, as one line of text.
DAILY_HEADER = re.compile(r"日付\s+痛み\s+腫れ\s+関節の熱感\s+赤み\s+荷重\s+体温\s+警告サイン")
# A row of the daily table: "10/22 (注射当日) 4 1 0 ..." (a note reads "10/22 <text>").
DAILY_ROW = re.compile(r"^(\d\d/\d\d)(?: \((?:注射当日|注射後\d+日目)\))? \d+ \d \d ", re.MULTILINE)


def long_note(n: int) -> str:
    return f"{n + 1}日分のメモ：階段は手すりを使った"


@dataclass(frozen=True)
class Rendered:
    response: object  # the main report: the default period of a course that did not work
    long_response: object  # 90 days, a note every day
    patient_number: str
    public_id: str

    @property
    def content(self) -> bytes:
        return self.response.content

    @property
    def long_content(self) -> bytes:
        return self.long_response.content


def _build_and_render() -> Rendered:
    clinic = make_clinic(CLINIC_NAME, phone="03-1111-2222")
    doctor = make_clinician("doctor@sakura.example.jp", clinic=clinic, name="山田 太郎")

    hanako = make_patient(
        "hanako@example.jp", clinic=clinic, name=PATIENT_NAME, patient_number="P-7"
    )
    injection = make_injection(hanako, day=INJECTED, course_number=1, course_total=3)
    make_daily_pain(hanako, first=INJECTED - timedelta(days=7), pains=BASELINE_PAIN, night_pain=6)
    make_daily_pain(hanako, first=INJECTED, pains=[5] * 22, night_pain=5, notes="膝が重い感じ")
    make_daily_pain(hanako, first=REVIEW - timedelta(days=6), pains=FOLLOW_UP_PAIN, night_pain=4)
    make_daily_pain(hanako, first=REVIEW + timedelta(days=1), pains=[5] * 7, night_pain=4)
    walk = make_goal(hanako, injection=injection, title="買い物に最後まで歩いて行く")
    rate_goal(walk, day=REVIEW - timedelta(days=2), value=3)
    make_goal(hanako, injection=injection, kind="symptom", title="夜間痛を3以下に")
    make_flag(
        hanako,
        code="fever",
        severity="urgent",
        first_day=INJECTED + timedelta(days=5),
        acknowledged_by=doctor,
        action="called",
        note="CRP 正常、経過観察",
    )

    ichiro = make_patient("ichiro@example.jp", clinic=clinic, name=LONG_PATIENT_NAME)
    make_injection(ichiro, day=INJECTED)
    for n in range(LONG_DAYS):
        make_entry(ichiro, day=LONG_START + timedelta(days=n), pain=n % 11, notes=long_note(n))

    client = Client()
    client.force_login(doctor)
    base = "/clinic/patients/{}/report.pdf"
    response = client.get(base.format(hanako.public_id))
    long_response = client.get(
        base.format(ichiro.public_id) + f"?from={LONG_START.isoformat()}&to={TODAY.isoformat()}"
    )
    return Rendered(response, long_response, hanako.patient_number, str(hanako.public_id))


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker) -> Rendered:
    with (
        django_db_blocker.unblock(),
        time_machine.travel(FROZEN_NOW, tick=False),
        transaction.atomic(),
    ):
        name = str(connection.settings_dict["NAME"])
        assert "memory" in name or "test" in name, f"not a test database: {name}"
        result = _build_and_render()
        transaction.set_rollback(True)
    return result


@pytest.fixture(scope="module")
def pages(rendered) -> list[str]:
    return pdf_pages_text(rendered.content)


@pytest.fixture(scope="module")
def long_pages(rendered) -> list[str]:
    return pdf_pages_text(rendered.long_content)


@cache
def font_characters() -> frozenset[int]:
    return frozenset(TTFont(japanese_font_path()).getBestCmap())


# --- The file ---------------------------------------------------------------------------------


def test_it_is_a_pdf_download_named_without_the_patient(rendered):
    response = rendered.response
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert rendered.content.startswith(b"%PDF-")
    disposition = response["Content-Disposition"]
    assert re.fullmatch(r'attachment; filename="visit-report-20261015-20261126\.pdf"', disposition)
    for identifying in (
        PATIENT_NAME,
        "佐藤",
        "hanako",
        rendered.patient_number,
        rendered.public_id,
    ):
        assert identifying not in disposition
    assert "no-store" in response["Cache-Control"]


def test_the_pages_are_a4(rendered):
    for page in pdf_reader(rendered.content).pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)  # 210 × 297 mm in points


# --- The text ---------------------------------------------------------------------------------


def test_the_text_is_japanese_with_the_patient_the_clinic_and_every_heading(pages):
    assert len(pages) >= 1
    text = "\n".join(pages)
    assert PATIENT_NAME in pages[0] and CLINIC_NAME in pages[0]
    assert "期間：2026-10-15 〜 2026-11-26" in pages[0]
    for heading in HEADINGS:
        assert re.search(rf"^{heading}$", text, re.MULTILINE), heading
    assert "PDF をダウンロード" not in text  # the browser's toolbar is not printed


def test_the_summary_numbers_and_verdicts_are_in_the_pdf(pages):
    text = "\n".join(pages)
    assert "注射前の痛み 6.4 / 10" in text
    assert "評価時の痛み 5.3 / 10" in text
    assert re.search(r"^いいえ\s*$", text, re.MULTILINE)  # not a responder
    assert "買い物に最後まで歩いて行く: × 未達成 (3 → 7; 現在 3.0)" in text
    assert "夜間痛を3以下に: ↗ 改善 (6 → 3; 現在 4.0)" in text


def test_the_flag_its_action_and_the_notes_are_in_the_pdf(pages):
    text = "\n".join(pages)
    assert re.search(r"▲ 至急 発熱 対応済み 患者に電話した · 山田 太郎", text)
    assert "CRP 正常、経過観察" in text
    assert text.count("膝が重い感じ") == 22


def test_every_page_has_the_clinic_the_patient_and_its_number(pages):
    total = len(pages)
    for number, text in enumerate(pages, start=1):
        assert CLINIC_NAME in text
        assert PATIENT_NAME in text
        assert re.search(rf"^{number} / {total}$", text, re.MULTILINE)


# --- Fonts and drawing ------------------------------------------------------------------------


def test_the_japanese_font_is_embedded_and_the_only_one(rendered):
    for content in (rendered.content, rendered.long_content):
        fonts = pdf_fonts(content)
        assert any(name.startswith("IPAexGothic") for name in fonts)
        assert all(fonts.values()), fonts  # every font's file is in the PDF
        # Nothing fell back to a system font, which a server may not even have.
        assert {name.split("-")[0] for name in fonts} == {"IPAexGothic"}, fonts


def test_every_character_is_in_the_japanese_font(pages, long_pages):
    text = "".join(pages + long_pages)
    missing = {char for char in text if not char.isspace() and ord(char) not in font_characters()}
    assert not missing


def test_the_chart_is_drawn_as_vectors(rendered, pages):
    assert pdf_raster_images(rendered.content) == 0
    reader = pdf_reader(rendered.content)
    [chart_page] = [n for n, text in enumerate(pages) if "症状のグラフ" in text]
    operators = Counter(
        operator
        for _, operator in ContentStream(reader.pages[chart_page].get_contents(), reader).operations
    )
    # Markers and lines of the chart: Bézier curves and line segments, not a picture.
    assert operators[b"c"] > 100
    assert operators[b"l"] > 100


# --- Ninety days ------------------------------------------------------------------------------


def test_ninety_days_render_over_several_pages_with_page_numbers(rendered, long_pages):
    assert rendered.long_response.status_code == 200
    total = len(long_pages)
    assert total >= 2
    for number, text in enumerate(long_pages, start=1):
        assert LONG_PATIENT_NAME in text
        assert re.search(rf"^{number} / {total}$", text, re.MULTILINE)
    assert "期間：2026-08-29 〜 2026-11-26" in long_pages[0]


def test_the_daily_table_continues_over_pages_with_its_header_repeated(long_pages):
    rows_by_page = [DAILY_ROW.findall(text) for text in long_pages]
    table_pages = [n for n, rows in enumerate(rows_by_page) if rows]
    assert len(table_pages) >= 2
    for n in table_pages:
        assert DAILY_HEADER.search(long_pages[n]), f"no table header on page {n + 1}"
    days = [day for rows in rows_by_page for day in rows]
    expected = [f"{LONG_START + timedelta(days=n):%m/%d}" for n in range(LONG_DAYS)]
    assert days == expected  # every day once, in order: nothing lost at a page break


def test_all_ninety_notes_are_printed(long_pages):
    text = "\n".join(long_pages)
    for n in range(LONG_DAYS):
        assert long_note(n) in text
