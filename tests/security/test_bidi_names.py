"""Bidirectional-override characters in names (issue 16): removed when a name is typed, and a
name is isolated where it is shown — in pages (`<bdi>`), in `<title>`s (FSI … PDI) and in the
PDF (where WeasyPrint has no bidi isolation, so the controls are removed on output too).

"Sato\u202e1-P" shows in a browser as "Sato" followed by the reversed rest of the line: a name
can make a patient number, a date or a whole row read as something else.
"""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.urls import reverse

from accounts.bidi import BIDI_CONTROLS, isolated, without_bidi_controls
from accounts.models import Clinic, User
from diary.models import Injection
from tests.factories import injection_form_data
from tests.report import pdf_pages_text

pytestmark = pytest.mark.django_db

RLO, LRO, PDF_, RLI, PDI, LRM, RLM = (
    "\u202e",
    "\u202d",
    "\u202c",
    "\u2067",
    "\u2069",
    "\u200e",
    "\u200f",
)
SPOOF = f"Sato{RLO}1-P{PDF_} Hanako{RLI}x{PDI}{LRM}{RLM}"
CLEAN = "Sato1-P Hanakox"
FSI = "\u2068"


def no_controls(text: str) -> bool:
    return not set(text) & BIDI_CONTROLS


# --- The helpers --------------------------------------------------------------------------


def test_every_listed_control_is_removed():
    controls = "".join(chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
    assert without_bidi_controls(f"a{controls}\u200e\u200f\u061cb") == "ab"
    assert without_bidi_controls("佐藤 花子 سارة") == "佐藤 花子 سارة"  # letters stay


def test_isolated_text_cannot_leak_its_direction():
    assert isolated(SPOOF) == f"{FSI}{CLEAN}{PDI}"


def test_the_filters():
    html = Template("{% load names %}{{ name|bdi }}|{{ name|isolate }}|{{ none|bdi }}").render(
        Context({"name": f"<b>{SPOOF}</b>", "none": None})
    )
    assert html == f"<bdi>&lt;b&gt;{CLEAN}&lt;/b&gt;</bdi>|{FSI}&lt;b&gt;{CLEAN}&lt;/b&gt;{PDI}|"


# --- Removed on input ---------------------------------------------------------------------


def test_a_patient_registered_with_controls_in_the_name_is_stored_without_them(clinician_client):
    response = clinician_client.post(
        reverse("clinic:patient_new"),
        {"name": SPOOF, "email": "spoof@example.jp", "patient_number": "P-50", "language": "ja"},
    )
    assert response.status_code == 302
    assert User.objects.get(email="spoof@example.jp").name == CLEAN


def test_a_name_of_nothing_but_controls_is_refused(clinician_client):
    response = clinician_client.post(
        reverse("clinic:patient_new"),
        {"name": RLO + LRO, "email": "empty@example.jp", "patient_number": "P-51"},
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="empty@example.jp").exists()
    assert "name" in response.context["form"].errors


def test_the_admin_stores_names_without_controls(client, clinic):
    root = User.objects.create_superuser("root@example.jp", "Root-Pass-2026!", name="Root")
    client.force_login(root)
    response = client.post(
        reverse("admin:accounts_clinic_change", args=[clinic.pk]),
        {
            "name": f"Sakura{RLO} Clinic",
            "phone": clinic.phone,
            "after_hours_phone": "",
            "time_zone": clinic.time_zone,
            "fever_caution_c": "37.5",
            "fever_urgent_c": "38.0",
            "reminder_hour": "19",
            "escalation_minutes": "30",
            "escalation_max": "3",
            "urgent_target_minutes": "60",
            "caution_target_hours": "24",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Clinic.objects.get(pk=clinic.pk).name == "Sakura Clinic"


def test_the_person_who_gave_an_injection_is_stored_without_controls(clinician_client, patient):
    url = reverse("clinic:injection_new", args=[patient.public_id])
    response = clinician_client.post(url, injection_form_data(given_by=f"Dr.{RLO} Yamada"))
    assert response.status_code == 302
    assert Injection.objects.filter(patient=patient).order_by("-id")[0].given_by == "Dr. Yamada"


# --- Isolated on output (also for a name stored before this) ---------------------------------


@pytest.fixture
def spoofed(patient):
    """A name written straight to the database, as data from before the input rule would be."""
    User.objects.filter(pk=patient.pk).update(name=SPOOF)
    patient.refresh_from_db()
    return patient


def title(content: str) -> str:
    return re.search(r"<title>(.*?)</title>", content, re.S).group(1)


def test_the_patient_page_isolates_the_name_in_its_title_and_heading(clinician_client, spoofed):
    content = clinician_client.get(reverse("clinic:patient", args=[spoofed.public_id])).content
    page = content.decode()
    assert title(page).startswith(f"{FSI}{CLEAN}{PDI}")
    assert f'<h1 class="h3 mb-1"><bdi>{CLEAN}</bdi></h1>' in page
    assert no_controls(page.replace(FSI, "").replace(PDI, ""))


def test_the_dashboard_isolates_each_name(clinician_client, spoofed):
    page = clinician_client.get(reverse("clinic:patients")).content.decode()
    assert f"<bdi>{CLEAN}</bdi></a>" in page
    assert no_controls(page)


@pytest.mark.parametrize("name", ["clinic:injection_new", "clinic:goal_new"])
def test_the_forms_under_a_patient_isolate_the_name(clinician_client, spoofed, name):
    page = clinician_client.get(reverse(name, args=[spoofed.public_id])).content.decode()
    assert f"<bdi>{CLEAN}</bdi> · P-1" in page
    assert no_controls(page)


def test_the_access_log_isolates_names(client, clinician, clinic_admin, spoofed):
    client.force_login(clinician)
    client.get(reverse("clinic:patient", args=[spoofed.public_id]))
    client.force_login(clinic_admin)
    page = client.get(reverse("clinic:access_log")).content.decode()
    assert f"<bdi>{CLEAN}</bdi> (P-1)" in page
    assert no_controls(page)


def test_the_patient_is_greeted_by_an_isolated_name(patient_client, spoofed):
    page = patient_client.get(reverse("diary:home")).content.decode()
    assert f"<bdi>{CLEAN}</bdi>" in page
    assert no_controls(page)


def test_the_report_and_its_pdf(clinician_client, spoofed):
    html = clinician_client.get(reverse("clinic:report", args=[spoofed.public_id])).content
    page = html.decode()
    assert f"{FSI}{CLEAN}{PDI}" in title(page)
    assert f"<strong><bdi>{CLEAN}</bdi></strong>" in page
    assert no_controls(page.replace(FSI, "").replace(PDI, ""))

    pdf = clinician_client.get(reverse("clinic:report_pdf", args=[spoofed.public_id]))
    assert pdf.status_code == 200
    text = "".join(
        pdf_pages_text(b"".join(pdf.streaming_content) if pdf.streaming else pdf.content)
    )
    assert "Sato1-P" in text
    assert no_controls(text)
