"""Text people type is shown as text, never run as markup: in every page, the report, its PDF,
the goals chart and the e-mails.

A clinician registers Mallory with a name that looks like markup and records her injection and
goal; Mallory writes a diary day with a fever and such a note; the clinician acknowledges the flag
with such a note; Mallory asks for erasure and the administrator erases her data with such a
reason. Everything goes through the views, as people would do it. Each free-text field holds the
same hostile text behind its own tag ("name:", "inj:" …), so a test can tell which field a page
showed; the text is cut to the field's own maximum length.

The very long text (2000 characters without a space) only has to leave every page working.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest
from django.core import mail
from django.test import Client
from django.utils.html import escape
from pypdf import PdfReader

from accounts.models import User
from diary.models import Flag
from tests.factories import (
    TODAY,
    days_ago,
    entry_form_data,
    goal_form_data,
    injection_form_data,
    make_injection,
)

pytestmark = pytest.mark.django_db

PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "attribute": '"><img src=x onerror=alert(1)>',
    "template": "{{ 7*7 }}",
    "comment": "--><svg onload=alert(1)>",
    # Matplotlib reads $...$ as mathematics and fails on what it cannot parse.
    "dollars": r"$\frac{$ costs $$",
    "long": ("膝が痛い" + "x" * 16) * 100,  # 2000 characters, not one space
}
# What would be live markup if one of the texts reached a page unescaped.
LIVE_MARKUP = ("<script>alert", "<img src=x", "<svg onload")
# Pages may shorten a long text (truncatechars); its beginning is always shown.
SHOWN_PREFIX = 60

# Field -> (tag, maximum length).
FIELDS = {
    "name": ("name:", 150),
    "patient_number": ("no:", 32),
    "entry_notes": ("note:", 2000),
    "injection_notes": ("inj:", 2000),
    "given_by": ("by:", 150),
    "goal_title": ("goal:", 200),
    "flag_note": ("ack:", 2000),
    "erasure_reason": ("why:", 2000),
}


def hostile(payload: str) -> dict[str, str]:
    return {field: (tag + payload)[:limit] for field, (tag, limit) in FIELDS.items()}


@pytest.fixture(params=list(PAYLOADS))
def payload(request) -> str:
    return PAYLOADS[request.param]


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@dataclass
class Story:
    patient: User
    texts: dict[str, str]
    clinician: Client
    admin: Client
    mallory: Client
    invited_page: str  # the page the clinician sees right after registering her

    @property
    def record(self) -> str:
        return f"/clinic/patients/{self.patient.public_id}"


@pytest.fixture
def story(payload, clinician, other_clinician, clinic_admin, django_capture_on_commit_callbacks):
    texts = hostile(payload)
    staff = signed_in(clinician)
    registered = staff.post(
        "/clinic/patients/new/",
        {
            "name": texts["name"],
            "email": "mallory@example.jp",
            "patient_number": texts["patient_number"],
            "birth_date": "",
            "language": "en",
        },
    )
    patient = User.objects.filter(email="mallory@example.jp").first()
    assert patient is not None, registered.context["form"].errors
    assert registered.status_code == 302  # then the page that says what was sent
    registered = staff.get(registered["Location"])
    assert registered.status_code == 200
    record = f"/clinic/patients/{patient.public_id}"
    response = staff.post(
        f"{record}/injections/new/",
        injection_form_data(
            days_ago(3), notes=texts["injection_notes"], given_by=texts["given_by"]
        ),
    )
    assert response.status_code == 302
    injection = patient.injections.get()
    for goal in (
        goal_form_data(injection, title=texts["goal_title"]),
        # A symptom goal is drawn on the symptom chart too.
        goal_form_data(
            injection,
            title=texts["goal_title"],
            kind="symptom",
            measure="night_pain",
            baseline="6",
            target="3",
        ),
    ):
        assert staff.post(f"{record}/goals/new/", goal).status_code == 302

    mallory = signed_in(patient)
    with django_capture_on_commit_callbacks(execute=True):
        response = mallory.post(
            "/diary/entry/",
            entry_form_data(TODAY, temperature_c="38.6", notes=texts["entry_notes"]),
        )
    assert response.status_code == 302
    flag = patient.flags.get(code="fever", status=Flag.Status.OPEN)
    response = staff.post(
        f"{record}/flags/{flag.pk}/acknowledge/", {"action": "called", "note": texts["flag_note"]}
    )
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.note == texts["flag_note"]
    assert mallory.post("/diary/my-data/erasure/", {"confirm": "yes"}).status_code == 302
    assert staff.get(f"{record}/").status_code == 200  # a line in the access log
    return Story(
        patient, texts, staff, signed_in(clinic_admin), mallory, registered.content.decode()
    )


def assert_no_live_markup(content: str) -> None:
    for fragment in LIVE_MARKUP:
        assert fragment not in content


def assert_shown_escaped(content: str, text: str) -> None:
    assert escape(text[:SHOWN_PREFIX]) in content


# --- Pages --------------------------------------------------------------------------------

# Page -> (who opens it, address; {record} is the clinic's address of the patient, the fields
# the page shows).
PAGES = {
    "patient home": ("mallory", "/diary/", ["name", "goal_title"]),
    "patient ratings": ("mallory", "/diary/ratings/", ["goal_title"]),
    "patient history": ("mallory", "/diary/history/", ["goal_title"]),
    "patient entry form": ("mallory", f"/diary/entry/{TODAY}/", ["entry_notes"]),
    "confirmation page": ("mallory", f"/diary/entry/{TODAY}/saved/", ["entry_notes"]),
    "patient report": (
        "mallory",
        "/diary/report/",
        ["name", "patient_number", "given_by", "goal_title", "flag_note", "entry_notes"],
    ),
    "clinic dashboard": ("clinician", "/clinic/", ["name", "patient_number"]),
    "clinic patient page": (
        "clinician",
        "{record}/",
        [
            "name",
            "patient_number",
            "entry_notes",
            "injection_notes",
            "given_by",
            "goal_title",
            "flag_note",
        ],
    ),
    "injection form": ("clinician", "{record}/injections/{injection}/edit/", ["injection_notes"]),
    "goal form": ("clinician", "{record}/goals/{goal}/edit/", ["goal_title"]),
    "visit report": (
        "clinician",
        "{record}/report/",
        ["name", "patient_number", "given_by", "goal_title", "flag_note", "entry_notes"],
    ),
    "access log": ("admin", "/clinic/access-log/", ["name", "patient_number"]),
    "erasure requests": ("admin", "/clinic/erasure-requests/", ["name", "patient_number"]),
    "erase form": ("admin", "{record}/erase/", ["name", "patient_number"]),
}


def test_every_page_shows_the_text_escaped(story, subtests):
    injection = story.patient.injections.get()
    goal = story.patient.goals.get(kind="ability")
    for page, (who, address, fields) in PAGES.items():
        with subtests.test(page=page):
            url = address.format(record=story.record, injection=injection.pk, goal=goal.pk)
            response = getattr(story, who).get(url)
            assert response.status_code == 200
            content = response.content.decode()
            assert_no_live_markup(content)
            for field in fields:
                assert_shown_escaped(content, story.texts[field])


def test_the_clinicians_confirmation_of_the_invitation_shows_the_name_escaped(story):
    assert_no_live_markup(story.invited_page)
    assert_shown_escaped(story.invited_page, story.texts["name"])


def test_the_erasure_reason_is_shown_escaped(story):
    texts = story.texts
    response = story.admin.post(
        f"{story.record}/erase/",
        {
            "mode": "anonymise",
            "reason": texts["erasure_reason"],
            "confirm_number": texts["patient_number"],
        },
    )
    assert response.status_code == 302
    content = story.admin.get("/clinic/erasure-requests/").content.decode()
    assert_no_live_markup(content)
    assert_shown_escaped(content, texts["erasure_reason"])


def assert_svg_is_only_drawing(content: bytes) -> None:
    svg = content.decode()
    assert "<script" not in svg
    assert "<img" not in svg
    assert "<svg onload" not in svg
    # Matplotlib draws the glyphs as paths and keeps the text in an XML comment before them,
    # escaped ("&lt;", "- -"); outside the comments there is no trace of it.
    drawing = re.sub(r"<!--.*?-->", "", svg, flags=re.DOTALL)
    assert "onerror=" not in drawing
    assert "onload=" not in drawing
    # And as XML: nothing but drawing, no element that runs or embeds, no event handler.
    elements = list(ET.fromstring(content).iter())
    tags = {element.tag.rpartition("}")[2] for element in elements}
    assert not tags & {"script", "foreignObject", "img", "image", "iframe", "a"}
    assert not [name for element in elements for name in element.attrib if name.startswith("on")]


CHARTS = {
    "clinic goals chart": ("clinician", "{record}/charts/goals.svg"),
    "clinic symptom chart": ("clinician", "{record}/charts/symptoms.svg"),
    "patient goals chart": ("mallory", "/diary/charts/goals.svg"),
    "patient symptom chart": ("mallory", "/diary/charts/symptoms.svg"),
}


def test_the_charts_have_no_markup_from_the_goal_title(story, subtests):
    for chart, (who, address) in CHARTS.items():
        with subtests.test(chart=chart):
            response = getattr(story, who).get(address.format(record=story.record))
            assert response.status_code == 200
            assert_svg_is_only_drawing(response.content)


@pytest.mark.parametrize("payload", [PAYLOADS["dollars"]], ids=["dollars"])
def test_a_goal_title_with_dollars_is_drawn_as_typed(story):
    """Not as mathematics: matplotlib keeps the drawn text in a comment before its glyphs."""
    for address in ("charts/goals.svg", "charts/symptoms.svg"):
        svg = story.clinician.get(f"{story.record}/{address}").content.decode()
        assert f"<!-- {story.texts['goal_title']} -->" in svg


def test_the_pdf_renders_the_text_as_text(story, payload):
    response = story.clinician.get(f"{story.record}/report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    if payload == PAYLOADS["long"]:
        return  # wrapped over lines in the PDF; it only has to render
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    flat = re.sub(r"\s+", "", text)
    # Markup would have been read by WeasyPrint and vanished; text is printed as typed.
    for field in ("name", "flag_note", "entry_notes"):
        assert re.sub(r"\s+", "", story.texts[field]) in flat, field


def test_the_patients_downloads_are_files_not_pages(story, subtests):
    for download in ("export.json", "export.csv"):
        with subtests.test(download=download):
            response = story.mallory.get(f"/diary/my-data/{download}")
            assert response.status_code == 200
            assert "html" not in response["Content-Type"]
            assert response["Content-Disposition"].startswith("attachment;")
            assert response["X-Content-Type-Options"] == "nosniff"


# --- E-mails ------------------------------------------------------------------------------


def emails_to(address: str) -> list[mail.EmailMessage]:
    return [message for message in mail.outbox if address in message.to]


def assert_plain_text(message: mail.EmailMessage, text: str) -> None:
    """Plain text only, with the text as typed (escaping would show "&lt;" to the reader)."""
    assert message.content_subtype == "plain"
    assert not getattr(message, "alternatives", None)
    assert text in message.body
    assert "&lt;" not in message.body and "&quot;" not in message.body
    assert "\n" not in message.subject


def test_the_invitation_e_mail_is_plain_text_with_the_name_as_typed(story):
    (invitation,) = emails_to("mallory@example.jp")
    assert_plain_text(invitation, story.texts["name"])


def test_the_urgent_alert_is_plain_text_with_the_name_as_typed(story, clinician, other_clinician):
    (alert,) = emails_to(clinician.email)
    assert story.texts["patient_number"] in alert.subject
    assert_plain_text(alert, story.texts["name"])
    assert emails_to(other_clinician.email) == []


def test_the_erasure_request_e_mail_is_plain_text(story, clinic_admin):
    (notice,) = emails_to(clinic_admin.email)
    assert_plain_text(notice, story.texts["patient_number"])


# --- Too long for the field ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "data"),
    [
        ("/clinic/patients/new/", {"name": "x" * 2000, "email": "long@example.jp"}),
        ("{record}/injections/new/", injection_form_data(given_by="x" * 2000)),
        ("{record}/goals/new/", goal_form_data(title="x" * 2000)),
        ("{record}/injections/new/", injection_form_data(notes="x" * 2001)),
    ],
)
def test_text_longer_than_its_field_is_refused_with_the_form_again(
    clinician_client, patient, address, data
):
    response = clinician_client.post(
        address.format(record=f"/clinic/patients/{patient.public_id}"), data
    )
    assert response.status_code == 200
    assert response.context["form"].errors


def test_a_diary_note_longer_than_allowed_is_refused(patient_client):
    response = patient_client.post("/diary/entry/", entry_form_data(notes="x" * 2001))
    assert response.status_code == 200
    assert "notes" in response.context["form"].errors


# --- Headers ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", [None, "patient", "clinician"])
def test_pages_carry_the_security_headers(client, request, who):
    if who:
        client.force_login(request.getfixturevalue(who))
    url = {None: "/accounts/login/", "patient": "/diary/", "clinician": "/clinic/"}[who]
    response = client.get(url)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_line_break_in_the_patient_number_does_not_stop_the_urgent_alert(
    clinician, clinician_client, django_capture_on_commit_callbacks
):
    """A browser's text box cannot hold one, but a crafted request can; the e-mail library
    refuses a subject with a line break (header injection), which lost the alert."""
    number = "P-7\nBcc: someone@example.com"
    clinician_client.post(
        "/clinic/patients/new/",
        {
            "name": "Nami Ueda",
            "email": "nami@example.jp",
            "patient_number": number,
            "language": "en",
        },
    )
    patient = User.objects.get(email="nami@example.jp")
    assert patient.patient_number == number
    make_injection(patient, day=days_ago(3))
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(patient).post("/diary/entry/", entry_form_data(temperature_c="38.6"))
    assert response.status_code == 302
    (alert,) = emails_to(clinician.email)
    assert "P-7 Bcc: someone@example.com" in alert.subject
    assert alert.to == [clinician.email]
    assert not alert.bcc
