"""The Django admin shows a patient's data only where an administrator needs it — the patient's
account, an injection to correct — and every such page writes the access log, as the patient
page does. Diary entries, their versions and goals are not in the admin at all.

Every registered admin is listed here: a new one must say whether it shows patient data.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.models import AccessLog, User
from diary.models import DiaryEntry, DiaryEntryVersion, Goal, GoalRating, Injection
from tests.factories import days_ago, make_entry, make_goal, make_injection, make_patient

pytestmark = pytest.mark.django_db

# Admins that show a patient's data, and whose rows belong to a patient.
PATIENT_DATA = {"accounts.User", "diary.Injection"}
# Admins of accounts, settings and sign-in records: no diary, injection or goal data.
NO_HEALTH_DATA = {
    "auth.Group",
    "accounts.Clinic",
    "accounts.Invitation",
    "accounts.AccessLog",
    "otp_totp.TOTPDevice",
    "otp_static.StaticDevice",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
    "registry.TreatmentPlan",  # the clinic's regenerative treatment plans; no patient in them
}
ENTRY_NOTE = "Hanako-entry-note-knee-hot-at-night"
INJECTION_NOTE = "Hanako-injection-lateral-approach"


@pytest.fixture
def hanako(patient):
    """Hanako with a diary day, an injection with notes and a goal."""
    make_entry(patient, day=days_ago(1), notes=ENTRY_NOTE)
    injection = patient.injections.get()
    injection.notes = INJECTION_NOTE
    injection.save(update_fields=["notes"])
    make_goal(patient, injection=injection)
    return patient


@pytest.fixture
def ichiro(other_patient):
    make_injection(other_patient, day=days_ago(3))
    return other_patient


@pytest.fixture
def root(db):
    """A superuser of no clinic: the deployment's IT person."""
    return User.objects.create_superuser("root@example.jp", "Root-Pass-2026!", name="Root")


def rows_written(client, path, method="get", data=None):
    before = AccessLog.objects.count()
    response = getattr(client, method)(path, data or {})
    assert response.status_code == 200, (path, response.status_code)
    return list(AccessLog.objects.order_by("id")[before:])


def changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def object_page(model, pk, page: str) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=[pk])


def test_every_registered_admin_is_classified():
    registered = {model._meta.label for model in admin.site._registry}
    assert registered == PATIENT_DATA | NO_HEALTH_DATA


@pytest.mark.parametrize("model", [DiaryEntry, DiaryEntryVersion, Goal, GoalRating])
def test_diary_entries_versions_and_goals_are_not_in_the_admin(client, root, hanako, model):
    assert model not in admin.site._registry
    client.force_login(root)
    path = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    assert client.get(path).status_code == 404


# --- Patients' accounts -------------------------------------------------------------------


def test_the_user_list_logs_each_patient_on_the_page_and_no_staff(
    clinic_admin_client, clinic_admin, hanako, ichiro, clinician
):
    rows = rows_written(clinic_admin_client, changelist(User))

    assert sorted(row.patient.name for row in rows) == ["Hanako Sato", "Ichiro Suzuki"]
    for row in rows:
        assert (row.user, row.action, row.clinic_id) == (clinic_admin, "admin", hanako.clinic_id)
        assert row.path == changelist(User)


@pytest.mark.parametrize("page", ["change", "history"])
def test_a_patients_account_page_writes_one_row(clinic_admin_client, clinic_admin, hanako, page):
    (row,) = rows_written(clinic_admin_client, object_page(User, hanako.pk, page))
    assert (row.user, row.patient, row.action) == (clinic_admin, hanako, "admin")


def test_a_clinicians_account_page_writes_none(clinic_admin_client, clinician):
    assert rows_written(clinic_admin_client, object_page(User, clinician.pk, "change")) == []


def test_a_search_that_finds_no_patient_writes_none(clinic_admin_client, hanako):
    assert rows_written(clinic_admin_client, changelist(User) + "?q=nobody-at-all") == []


def test_another_clinics_patient_is_neither_shown_nor_logged(
    clinic_admin_client, other_clinic, hanako
):
    stranger = make_patient("stranger@example.jp", clinic=other_clinic, name="Momiji Stranger")
    before = AccessLog.objects.count()
    response = clinic_admin_client.get(object_page(User, stranger.pk, "change"))
    assert response.status_code == 302  # the admin's "does not exist" redirect
    assert AccessLog.objects.count() == before


# --- Injections -----------------------------------------------------------------------------


def test_the_injection_list_logs_each_patient_once(
    clinic_admin_client, clinic_admin, hanako, ichiro
):
    make_injection(hanako, day=days_ago(20))  # two of Hanako's rows: still one log row for her
    rows = rows_written(clinic_admin_client, changelist(Injection))
    assert sorted(row.patient.name for row in rows) == ["Hanako Sato", "Ichiro Suzuki"]
    assert {row.action for row in rows} == {"admin"}


@pytest.mark.parametrize("page", ["change", "history", "delete"])
def test_an_injection_page_writes_one_row(client, root, hanako, page):
    """As the superuser, who may also delete; each page shows the injection's data."""
    client.force_login(root)
    injection = hanako.injections.get()

    (row,) = rows_written(client, object_page(Injection, injection.pk, page))

    assert (row.user, row.patient, row.action) == (root, hanako, "admin")
    # A superuser has no clinic: the row is in the log of the patient's clinic.
    assert row.clinic_id == hanako.clinic_id
    assert Injection.objects.filter(pk=injection.pk).exists()  # GET only asks to confirm


def test_the_delete_selected_confirmation_logs_the_patients_it_lists(client, root, hanako, ichiro):
    client.force_login(root)
    chosen = [hanako.injections.get().pk, ichiro.injections.get().pk]

    rows = rows_written(
        client,
        changelist(Injection),
        method="post",
        data={"action": "delete_selected", "_selected_action": chosen},
    )

    assert sorted(row.patient.name for row in rows) == ["Hanako Sato", "Ichiro Suzuki"]
    assert Injection.objects.filter(pk__in=chosen).count() == 2


def test_the_clinic_administrator_sees_what_the_superuser_looked_at(
    client, root, clinic_admin, hanako
):
    client.force_login(root)
    rows_written(client, object_page(Injection, hanako.injections.get().pk, "change"))

    client.force_login(clinic_admin)
    page = client.get(reverse("clinic:access_log"))
    assert page.status_code == 200
    assert "Root" in page.content.decode()
    assert [row.user for row in page.context["page"].object_list] == [root]


# --- Everything else in the admin -----------------------------------------------------------


@pytest.mark.parametrize("label", sorted(NO_HEALTH_DATA))
def test_the_other_admins_show_no_diary_data_and_write_no_rows(client, root, hanako, label):
    model = next(m for m in admin.site._registry if m._meta.label == label)
    client.force_login(root)

    before = AccessLog.objects.count()
    response = client.get(changelist(model))

    assert response.status_code == 200
    assert AccessLog.objects.count() == before
    content = response.content.decode()
    assert ENTRY_NOTE not in content
    assert INJECTION_NOTE not in content
