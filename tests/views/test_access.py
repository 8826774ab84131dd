"""Every page against every kind of visitor: the right role, the wrong role, someone who must not
see this record (404, so nothing is revealed) and an anonymous visitor (sent to sign in)."""

from urllib.parse import quote

import pytest

from tests.factories import TODAY, days_ago, make_entry, make_injection, make_patient

pytestmark = pytest.mark.django_db

PATIENT_PAGES = ["home", "entry_today", "entry_day", "entry_saved", "history"]
CLINIC_PAGES = [
    "patients",
    "patient_new",
    "patient_detail",
    "patient_invite",
    "injection_new",
    "injection_edit",
]
# Clinic pages about one patient: a clinician of another clinic must get 404 there.
PATIENT_RECORD_PAGES = CLINIC_PAGES[2:]


@pytest.fixture
def pages(patient):
    """name -> (method, url) for Hanako's own pages and the clinic's pages about her."""
    make_entry(patient, day=TODAY, pain=4, notes="stiff in the morning")
    injection = patient.injections.get()
    record = f"/clinic/patients/{patient.public_id}"
    return {
        "home": ("get", "/diary/"),
        "entry_today": ("get", "/diary/entry/"),
        "entry_day": ("get", f"/diary/entry/{days_ago(1)}/"),
        "entry_saved": ("get", f"/diary/entry/{TODAY}/saved/"),
        "history": ("get", "/diary/history/"),
        "patients": ("get", "/clinic/"),
        "patient_new": ("get", "/clinic/patients/new/"),
        "patient_detail": ("get", f"{record}/"),
        "patient_invite": ("post", f"{record}/invite/"),
        "injection_new": ("get", f"{record}/injections/new/"),
        "injection_edit": ("get", f"{record}/injections/{injection.pk}/edit/"),
    }


def request(client, page):
    method, url = page
    return getattr(client, method)(url)


def in_english(user):
    user.language = "en"
    user.save(update_fields=["language"])


@pytest.mark.parametrize("name", PATIENT_PAGES + CLINIC_PAGES)
def test_an_anonymous_visitor_is_sent_to_sign_in_and_back(client, pages, name):
    method, url = pages[name]
    response = request(client, pages[name])
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={quote(url)}"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("home", ["Day 5 after the injection", "Hanako Sato"]),
        ("entry_today", ["Today's diary", 'name="pain"', 'action="/diary/entry/2026-11-26/"']),
        ("entry_day", ["Diary for 2026-11-25", 'action="/diary/entry/2026-11-25/"']),
        ("entry_saved", ["Saved", "4 / 10", "stiff in the morning"]),
        ("history", ["My entries", 'data-day="2026-11-26"', "/diary/entry/2026-11-26/"]),
    ],
)
def test_the_patient_sees_their_own_pages(patient_client, patient, pages, name, expected):
    in_english(patient)
    response = request(patient_client, pages[name])
    assert response.status_code == 200
    content = response.content.decode()
    for text in expected:
        assert text in content


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("patients", ["Hanako Sato", "P-1", "/clinic/patients/new/"]),
        ("patient_new", ["Register a patient", 'name="email"', "Sakura Clinic"]),
        ("patient_detail", ["Hanako Sato", "hanako@example.jp", "2026-11-21", "Knee"]),
        # Hanako has a password: the new link goes to her e-mail only, never on this page.
        ("patient_invite", ["Link sent", "hanako@example.jp", "not shown here"]),
        ("injection_new", ["Record an injection", 'name="agent"', "Hanako Sato"]),
        ("injection_edit", ["Edit injection", 'value="2026-11-21"', "Hanako Sato"]),
    ],
)
@pytest.mark.parametrize("staff", ["clinician", "clinic_admin"])
def test_clinic_staff_see_the_clinic_pages(client, request, pages, staff, name, expected):
    user = request.getfixturevalue(staff)
    in_english(user)
    client.force_login(user)
    response = globals()["request"](client, pages[name])
    if name == "patient_invite":  # POST, then redirect to the page that says what was sent
        assert response.status_code == 302
        response = client.get(response["Location"])
    assert response.status_code == 200
    content = response.content.decode()
    for text in expected:
        assert text in content


@pytest.mark.parametrize("name", PATIENT_PAGES)
@pytest.mark.parametrize("staff", ["clinician", "clinic_admin"])
def test_patient_pages_are_not_found_for_clinic_staff(client, request, pages, staff, name):
    client.force_login(request.getfixturevalue(staff))
    response = globals()["request"](client, pages[name])
    assert response.status_code == 404
    assert b"stiff in the morning" not in response.content


@pytest.mark.parametrize("name", CLINIC_PAGES)
def test_clinic_pages_are_not_found_for_a_patient(patient_client, pages, name):
    response = request(patient_client, pages[name])
    assert response.status_code == 404
    assert b"Hanako Sato" not in response.content


@pytest.mark.parametrize("name", PATIENT_RECORD_PAGES)
def test_a_clinician_of_another_clinic_gets_not_found_for_our_patient(
    other_clinician_client, pages, name
):
    response = request(other_clinician_client, pages[name])
    assert response.status_code == 404
    assert b"Hanako Sato" not in response.content


def test_a_clinician_of_another_clinic_does_not_see_our_patients_in_the_list(
    other_clinician_client, other_clinic, pages
):
    make_patient("momiji@example.jp", clinic=other_clinic, name="Momiji Patient")
    response = request(other_clinician_client, pages["patients"])
    assert response.status_code == 200
    assert b"Momiji Patient" in response.content
    assert b"Hanako Sato" not in response.content


def test_another_patient_cannot_open_the_patients_saved_day(other_patient_client, pages):
    response = request(other_patient_client, pages["entry_saved"])
    assert response.status_code == 404
    assert b"stiff in the morning" not in response.content


@pytest.mark.parametrize("name", ["home", "entry_today", "history"])
def test_another_patient_sees_only_their_own_diary(other_patient_client, pages, name):
    response = request(other_patient_client, pages[name])
    assert response.status_code == 200
    assert b"stiff in the morning" not in response.content
    assert b"Hanako" not in response.content
    assert b'data-day="2026-11-26"' not in response.content


def test_an_injection_of_another_patient_is_not_found_under_this_patient(
    clinician_client, patient, other_patient
):
    foreign = make_injection(other_patient, day=days_ago(3), notes="Ichiro's injection")
    url = f"/clinic/patients/{patient.public_id}/injections/{foreign.pk}/edit/"
    response = clinician_client.get(url)
    assert response.status_code == 404
    response = clinician_client.post(url, {"day": str(days_ago(2)), "joint": "hip"})
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.day == days_ago(3)


def test_an_injection_of_another_clinics_patient_is_not_found(clinician_client, other_clinic):
    stranger = make_patient("stranger@example.jp", clinic=other_clinic)
    foreign = make_injection(stranger, day=days_ago(3))
    url = f"/clinic/patients/{stranger.public_id}/injections/{foreign.pk}/edit/"
    assert clinician_client.get(url).status_code == 404


def test_a_clinician_is_not_a_patient_record(clinician_client, clinician, other_clinician):
    """A public id of staff, even of one's own clinic, is not a patient page."""
    for user in (clinician, other_clinician):
        response = clinician_client.get(f"/clinic/patients/{user.public_id}/")
        assert response.status_code == 404


def test_an_unknown_patient_id_is_not_found(clinician_client):
    response = clinician_client.get("/clinic/patients/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404


@pytest.mark.parametrize("day", ["2026-02-30", "yesterday", "26-11-2026"])
def test_a_day_that_is_not_a_date_is_not_found(patient_client, day):
    assert patient_client.get(f"/diary/entry/{day}/").status_code == 404
    assert patient_client.get(f"/diary/entry/{day}/saved/").status_code == 404


def test_a_clinic_administrator_without_a_clinic_gets_no_clinic_pages(client, pages):
    from accounts.models import User
    from tests.factories import make_user

    lost = make_user("lost@example.jp", clinic=None, role=User.Role.CLINIC_ADMIN)
    client.force_login(lost)
    for name in CLINIC_PAGES:
        assert request(client, pages[name]).status_code == 404
