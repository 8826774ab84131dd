"""Patient text in the report is text, never markup; and WeasyPrint reads nothing but the project's
own stylesheet, the Japanese font and the chart it was handed (no file://, no network)."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.utils.html import escape
from weasyprint.urls import URLFetcher

from diary.charts import japanese_font_path
from diary.report import FONT_PATH, REPORT_BASE_URL, ProjectFilesFetcher
from tests.factories import days_ago, make_entry, make_flag, make_goal
from tests.report import marked, pdf_pages_text

pytestmark = pytest.mark.django_db

IMG = '<img src="file:///etc/passwd">'
SCRIPT = "<script>alert(1)</script>"
STYLE = "<style>@import url(https://evil.example/x.css);</style>"
LINK = '<link rel="stylesheet" href="http://evil.example/y.css">'
LONG = "A" * 2000  # one unbroken word, as long as a note may be
CSS_URL = REPORT_BASE_URL + "static/css/report.css"
FONT_URL = REPORT_BASE_URL + FONT_PATH.lstrip("/")
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'
SVG_URI = "data:image/svg+xml;base64," + base64.b64encode(SVG).decode()


@pytest.fixture
def hostile(patient, clinician):
    """Hanako's notes, goal and a clinician's flag note, all written to look like markup."""
    for n, text in enumerate((IMG, SCRIPT, LONG, LINK)):
        make_entry(patient, day=days_ago(4 - n), notes=text)
    injection = patient.injections.get()
    make_goal(patient, injection=injection, title=STYLE)
    make_flag(
        patient,
        code="fever",
        severity="urgent",
        first_day=days_ago(2),
        acknowledged_by=clinician,
        action="called",
        note=SCRIPT + IMG,
    )


# --- Escaped in the HTML -------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/diary/report/", "clinic"])
def test_patient_text_is_escaped_in_the_print_view(client, patient, clinician, hostile, url):
    viewer = patient if url.startswith("/diary/") else clinician
    client.force_login(viewer)
    if url == "clinic":
        url = f"/clinic/patients/{patient.public_id}/report/"
    content = client.get(url).content.decode()

    for text in (IMG, SCRIPT, STYLE, LINK):
        assert text not in content
        assert escape(text) in content
    assert "<script" not in content and "<style" not in content
    assert "file:///etc/passwd" not in re.findall(r'src="([^"]*)"', content)
    # The only stylesheet and the only image are the report's own (and the product's icon).
    assert re.findall(r"<link [^>]*>", content) == [
        '<link rel="icon" href="/static/icons/favicon.svg" type="image/svg+xml">',
        '<link rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png">',
        '<link rel="stylesheet" href="/static/css/report.css">',
    ]
    assert [src[:26] for src in re.findall(r'<img src="([^"]*)"', content)] == [
        "data:image/svg+xml;base64,"
    ]
    notes = marked(content, "class", "notes-list")[0].text
    assert LONG in notes


# --- Nothing fetched while rendering the PDF -----------------------------------------------


def _allowed(url: str) -> bool:
    return (
        url.startswith("data:image/svg+xml;base64,")
        or url == FONT_URL
        or url.startswith(REPORT_BASE_URL + "static/")
    )


def test_the_pdf_renders_the_text_and_fetches_only_the_projects_files(
    patient_client, hostile, monkeypatch
):
    asked: list[str] = []
    network: list[str] = []
    project_fetch = ProjectFilesFetcher.fetch

    def recording_fetch(self, url, headers=None):
        asked.append(url)
        return project_fetch(self, url, headers)

    def no_network(self, url, headers=None):
        network.append(url)
        raise AssertionError(f"WeasyPrint's own fetcher was asked for {url}")

    monkeypatch.setattr(ProjectFilesFetcher, "fetch", recording_fetch)
    monkeypatch.setattr(URLFetcher, "fetch", no_network)

    response = patient_client.get("/diary/report.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert network == []
    assert asked, "the recording fetcher was never used"
    assert [url for url in asked if not _allowed(url)] == []
    assert CSS_URL in asked and FONT_URL in asked
    assert any(url.startswith("data:image/svg+xml") for url in asked)  # the chart
    assert not any("passwd" in url or "evil.example" in url for url in asked)

    pages = pdf_pages_text(response.content)
    text = "\n".join(pages)
    for visible in ("<img src=", "file:///etc/passwd", "<script>alert(1)</script>", "@import"):
        assert visible in text  # printed as the text the patient typed
    # The long word wraps inside the page instead of running off it in one line.
    assert LONG in re.sub(r"\s+", "", text)
    assert max(len(run) for run in re.findall(r"A+", text)) < 200


# --- The fetcher on its own ----------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/report.css",
        "https://example.com/",
        "https://example.com/static/css/report.css",
        "ftp://example.com/x.css",
        "//example.com/x.css",
        "/static/css/report.css",  # not resolved against the report's base: not ours
        "https://report.invalid.evil.example/static/css/report.css",
        REPORT_BASE_URL.rstrip("/") + "@evil.example/static/css/report.css",
        REPORT_BASE_URL + "etc/passwd",
        REPORT_BASE_URL + "accounts/login/",
        REPORT_BASE_URL + "media/photo.png",
        REPORT_BASE_URL + "fonts/other.ttf",
        REPORT_BASE_URL + "static/css/missing.css",
        REPORT_BASE_URL + "static/%2e%2e/config/settings.py",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "data:image/png;base64,iVBORw0KGgo=",
        "data:image/svg+xml,<svg/>",  # only the base64 form the chart uses
    ],
)
def test_the_fetcher_refuses_anything_but_the_projects_files(url):
    with pytest.raises(ValueError):
        ProjectFilesFetcher().fetch(url)


@pytest.mark.parametrize(
    "path",
    ["static/../../config/settings.py", "static/css/../../../etc/passwd", "static//etc/passwd"],
)
def test_the_fetcher_refuses_to_climb_out_of_the_static_files(path):
    with pytest.raises((ValueError, SuspiciousFileOperation)):
        ProjectFilesFetcher().fetch(REPORT_BASE_URL + path)


def test_the_fetcher_serves_the_reports_stylesheet():
    response = ProjectFilesFetcher().fetch(CSS_URL + "?v=1")
    assert response.content_type == "text/css"
    assert response.read() == Path(finders.find("css/report.css")).read_bytes()


def test_the_fetcher_serves_the_japanese_font():
    response = ProjectFilesFetcher().fetch(FONT_URL)
    assert response.content_type == "font/ttf"
    assert response.read() == japanese_font_path().read_bytes()


def test_the_fetcher_serves_an_svg_data_uri():
    response = ProjectFilesFetcher().fetch(SVG_URI)
    assert response.content_type == "image/svg+xml"
    assert response.read() == SVG
