"""Django admin for clinic administrators, limited to their own clinic."""

import pytest

from accounts.models import User
from tests.factories import make_clinician, make_patient, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def stranger(other_clinic, other_clinician):
    return make_patient("stranger@example.jp", clinic=other_clinic, name="Momiji Stranger")


def test_a_clinic_administrator_sees_only_the_users_of_their_clinic(
    clinic_admin_client, patient, other_patient, clinician, stranger, other_clinician
):
    response = clinic_admin_client.get("/admin/accounts/user/")
    assert response.status_code == 200
    listed = set(response.context["cl"].result_list)
    assert {patient, other_patient, clinician} <= listed
    assert stranger not in listed
    assert other_clinician not in listed
    content = response.content.decode()
    assert "hanako@example.jp" in content
    assert "stranger@example.jp" not in content
    assert "doctor@momiji.example.jp" not in content


def test_a_clinic_administrator_opens_a_user_of_their_clinic(clinic_admin_client, patient):
    response = clinic_admin_client.get(f"/admin/accounts/user/{patient.pk}/change/")
    assert response.status_code == 200
    assert b"hanako@example.jp" in response.content
    assert b'name="is_superuser"' not in response.content


def test_a_clinic_administrator_cannot_open_another_clinics_user(clinic_admin_client, stranger):
    response = clinic_admin_client.get(f"/admin/accounts/user/{stranger.pk}/change/", follow=True)
    assert response.redirect_chain[-1][0] == "/admin/"
    assert b"stranger@example.jp" not in response.content
    password_page = clinic_admin_client.get(f"/admin/accounts/user/{stranger.pk}/password/")
    assert password_page.status_code == 404


def test_a_clinic_administrator_cannot_change_another_clinics_user(clinic_admin_client, stranger):
    clinic_admin_client.post(
        f"/admin/accounts/user/{stranger.pk}/change/",
        {"email": "hijacked@example.jp", "name": "Hijacked", "role": "patient"},
    )
    stranger.refresh_from_db()
    assert stranger.email == "stranger@example.jp"


def test_a_user_added_by_a_clinic_administrator_joins_their_clinic(
    clinic_admin_client, clinic, other_clinic
):
    response = clinic_admin_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "nurse@example.jp",
            "name": "Nurse Aoi",
            "role": "clinician",
            "clinic": other_clinic.pk,
            "password1": "Nurse-Pass-2026!",
            "password2": "Nurse-Pass-2026!",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    nurse = User.objects.get(email="nurse@example.jp")
    assert nurse.clinic == clinic
    assert not nurse.is_staff
    assert not nurse.is_superuser


def test_a_clinic_administrator_sees_only_their_own_clinic(clinic_admin_client, clinic):
    response = clinic_admin_client.get("/admin/accounts/clinic/")
    assert list(response.context["cl"].result_list) == [clinic]


def test_a_clinician_cannot_use_the_admin(clinician_client):
    response = clinician_client.get("/admin/accounts/user/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_patient_cannot_use_the_admin(patient_client):
    response = patient_client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_staff_clinician_still_sees_no_admin_modules(client, clinic):
    """is_staff alone is not enough: the admin is for the clinic administrator role."""
    doctor = make_clinician("staffdoc@example.jp", clinic=clinic, is_staff=True)
    client.force_login(doctor)
    assert client.get("/admin/accounts/user/").status_code == 403


def test_a_clinic_administrator_without_a_clinic_sees_no_users(client, patient, other_clinic):
    lost = make_user("lost@example.jp", clinic=None, role=User.Role.CLINIC_ADMIN, is_staff=True)
    root = User.objects.create_superuser("root@example.jp", "Root-Pass-2026!", name="Root")
    client.force_login(lost)
    response = client.get("/admin/accounts/user/")
    assert b"root@example.jp" not in response.content
    assert b"hanako@example.jp" not in response.content
    assert client.get(f"/admin/accounts/user/{root.pk}/password/").status_code in (403, 404)


def test_a_superuser_sees_every_clinic(client, patient, stranger):
    root = User.objects.create_superuser("root@example.jp", "Root-Pass-2026!", name="Root")
    client.force_login(root)
    listed = set(client.get("/admin/accounts/user/").context["cl"].result_list)
    assert {patient, stranger, root} <= listed


def test_diary_entries_are_not_in_the_admin(clinic_admin_client, patient):
    """A patient's answers are read on the patient page (access-logged, with their history)."""
    from tests.factories import TODAY, make_entry

    entry = make_entry(patient, day=TODAY)
    for path in (
        "/admin/diary/diaryentry/",
        f"/admin/diary/diaryentry/{entry.pk}/change/",
        "/admin/diary/diaryentry/add/",
        "/admin/diary/diaryentryversion/",
    ):
        assert clinic_admin_client.get(path).status_code == 404, path


def test_a_clinic_administrator_cannot_touch_a_superuser_of_their_clinic(
    clinic_admin_client, clinic
):
    root = User.objects.create_superuser(
        "root@example.jp", "Root-Pass-2026!", name="Root", clinic=clinic
    )
    listed = clinic_admin_client.get("/admin/accounts/user/").context["cl"].result_list
    assert root not in listed
    response = clinic_admin_client.post(
        f"/admin/accounts/user/{root.pk}/password/",
        {"password1": "Taken-Over-2026!", "password2": "Taken-Over-2026!"},
    )
    assert response.status_code == 404
    root.refresh_from_db()
    assert root.check_password("Root-Pass-2026!")


def _injection_change(client, injection, **changes):
    data = {
        "day": injection.day.isoformat(),
        "time": "",
        "joint": injection.joint,
        "side": injection.side,
        "agent": injection.agent,
        "course_number": injection.course_number,
        "course_total": injection.course_total or "",
        "given_by": injection.given_by,
        "baseline_pain": "",
        "notes": injection.notes,
        **changes,
    }
    return client.post(f"/admin/diary/injection/{injection.pk}/change/", data)


def test_an_injection_moved_in_the_admin_runs_the_rules_again(clinic_admin_client, patient):
    """A hot, swollen, very painful joint is urgent on day 5 but a caution on day 1: moving the
    injection in the admin must change the flag, as a change on the patient page does."""
    from diary.models import Flag
    from tests.factories import TODAY, days_ago, save_entry

    save_entry(patient, TODAY, pain=8, swelling=2, warmth=2)
    flag = Flag.objects.get(patient=patient, code="hot_swollen_joint")
    assert flag.severity == "urgent"
    injection = patient.injections.get()

    response = _injection_change(clinic_admin_client, injection, day=days_ago(1).isoformat())

    assert response.status_code == 302
    injection.refresh_from_db()
    assert injection.day == days_ago(1)
    live = Flag.objects.filter(patient=patient, code="hot_swollen_joint").exclude(
        status=Flag.Status.WITHDRAWN
    )
    assert [(f.severity, f.first_day) for f in live] == [("caution", TODAY)]


def test_an_injection_deleted_in_the_admin_runs_the_rules_again(client, patient):
    from diary.models import Flag
    from tests.factories import TODAY, save_entry

    root = User.objects.create_superuser("root@example.jp", "Root-Pass-2026!", name="Root")
    client.force_login(root)
    save_entry(patient, TODAY, pain=8, swelling=2, warmth=2)
    injection = patient.injections.get()

    response = client.post(f"/admin/diary/injection/{injection.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not patient.injections.exists()
    flag = Flag.objects.get(patient=patient, code="hot_swollen_joint")
    assert flag.status == Flag.Status.WITHDRAWN  # without an injection it is not judged


# The escalation of unacknowledged urgent flags and the quality page's targets (issue 19).
ESCALATION_SETTINGS = {
    "escalation_minutes": 30,
    "escalation_max": 3,
    "on_call_email": "",
    "urgent_target_minutes": 60,
    "caution_target_hours": 24,
}


def test_a_clinic_administrator_sets_the_escalation_and_the_targets(clinic_admin_client, clinic):
    url = f"/admin/accounts/clinic/{clinic.pk}/change/"
    form = clinic_admin_client.get(url).content.decode()
    for name in ESCALATION_SETTINGS:
        assert f'name="{name}"' in form, name
    data = {
        "name": clinic.name,
        "phone": clinic.phone,
        "time_zone": clinic.time_zone,
        "fever_caution_c": clinic.fever_caution_c,
        "fever_urgent_c": clinic.fever_urgent_c,
        "reminder_hour": clinic.reminder_hour,
        "escalation_minutes": 20,
        "escalation_max": 5,
        "on_call_email": "oncall@sakura.example.jp",
        "urgent_target_minutes": 45,
        "caution_target_hours": 12,
    }
    response = clinic_admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    clinic.refresh_from_db()
    assert (clinic.escalation_minutes, clinic.escalation_max, clinic.on_call_email) == (
        20,
        5,
        "oncall@sakura.example.jp",
    )
    assert (clinic.urgent_target_minutes, clinic.caution_target_hours) == (45, 12)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("escalation_minutes", "2"),
        ("escalation_max", "11"),
        ("on_call_email", "not an address"),
        ("urgent_target_minutes", "0"),
    ],
)
def test_escalation_settings_out_of_range_get_a_message(clinic_admin_client, clinic, field, value):
    url = f"/admin/accounts/clinic/{clinic.pk}/change/"
    data = {
        "name": clinic.name,
        "phone": clinic.phone,
        "time_zone": clinic.time_zone,
        "fever_caution_c": clinic.fever_caution_c,
        "fever_urgent_c": clinic.fever_urgent_c,
        "reminder_hour": clinic.reminder_hour,
        **ESCALATION_SETTINGS,
        field: value,
    }
    response = clinic_admin_client.post(url, data)
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    clinic.refresh_from_db()
    assert clinic.escalation_minutes == 30 and clinic.on_call_email == ""


def test_a_clinic_administrator_sets_the_after_hours_number_beside_the_phone(
    clinic_admin_client, clinic
):
    url = f"/admin/accounts/clinic/{clinic.pk}/change/"
    form = clinic_admin_client.get(url).content.decode()
    assert 'name="phone"' in form and 'name="after_hours_phone"' in form
    data = {
        "name": clinic.name,
        "phone": clinic.phone,
        "after_hours_phone": "03-9999-0000",
        "time_zone": clinic.time_zone,
        "fever_caution_c": clinic.fever_caution_c,
        "fever_urgent_c": clinic.fever_urgent_c,
        "reminder_hour": clinic.reminder_hour,
        **ESCALATION_SETTINGS,
    }
    response = clinic_admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    clinic.refresh_from_db()
    assert clinic.after_hours_phone == "03-9999-0000"
    listing = clinic_admin_client.get("/admin/accounts/clinic/").content.decode()
    assert "03-9999-0000" in listing


def test_a_clinic_administrator_cannot_set_a_patients_password(clinic_admin_client, patient):
    url = f"/admin/accounts/user/{patient.pk}/password/"
    assert clinic_admin_client.get(url).status_code == 403
    response = clinic_admin_client.post(
        url, {"password1": "Taken-Over-2026!", "password2": "Taken-Over-2026!"}
    )
    assert response.status_code == 403
    patient.refresh_from_db()
    assert not patient.check_password("Taken-Over-2026!")


def test_a_clinic_administrator_cannot_change_a_patients_e_mail_or_role(
    clinic_admin_client, patient
):
    page = clinic_admin_client.get(f"/admin/accounts/user/{patient.pk}/change/")
    assert b'name="email"' not in page.content and b'name="role"' not in page.content
    data = {
        "email": "attacker@example.jp",
        "role": User.Role.CLINICIAN,
        "name": patient.name,
        "patient_number": patient.patient_number,
        "language": patient.language,
        "is_active": "on",
    }
    clinic_admin_client.post(f"/admin/accounts/user/{patient.pk}/change/", data)
    patient.refresh_from_db()
    assert (patient.email, patient.role) == ("hanako@example.jp", User.Role.PATIENT)


def test_a_clinic_administrator_still_sets_a_colleagues_password(clinic_admin_client, clinician):
    url = f"/admin/accounts/user/{clinician.pk}/password/"
    assert clinic_admin_client.get(url).status_code == 200
