"""Every URL of the project against every kind of visitor, read from the URL configuration.

The list of URLs comes from `get_resolver()`, not from this file: a new view that has no row in
MATRIX fails here, so it cannot skip the check. Each URL is built with Hanako's (patient A's)
arguments — her public id, her injection, flag and goal, a day she wrote in — and opened by an
anonymous visitor, Hanako, Ichiro (patient B, same clinic), a clinician of her clinic, a
clinician of another clinic and her clinic's administrator.

Anything a visitor must not see answers 404 (diary.access), so the answer does not even reveal
that the record exists; and whoever must not see Hanako's record never gets a byte of it.

The Django admin (/admin/) is left out: its own tests cover it (tests/views/test_admin.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter, UUIDConverter

from accounts.models import AccessLog
from accounts.services import invitation_create, patient_register
from tests.factories import days_ago, make_entry, make_flag, make_goal, make_injection
from tests.registry.helpers import make_event, registry_url_args

pytestmark = pytest.mark.django_db

SKIPPED_NAMESPACES = {"admin"}


# --- The URL configuration, walked -------------------------------------------------------


@dataclass(frozen=True)
class Url:
    name: str  # with its namespaces, as reverse() takes it: "clinic:patient"
    route: str  # the whole route, for messages: "clinic/patients/<uuid:public_id>/"
    converters: dict  # argument name -> converter

    @property
    def arguments(self) -> list[str]:
        return list(self.converters)


def _walk(patterns, namespace: str = "", route: str = "", converters=None):
    converters = converters or {}
    for pattern in patterns:
        found = {**converters, **pattern.pattern.converters}
        here = route + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner, here, found)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield Url(name, here, found)


def project_urls() -> list[Url]:
    return list(_walk(get_resolver().url_patterns))


URLS = {url.name: url for url in project_urls() if url.name}


# --- What each visitor gets ---------------------------------------------------------------


@dataclass(frozen=True)
class Expect:
    status: int
    location: str | None = None  # for a redirect; "{public_id}" is Hanako's

    def __repr__(self) -> str:
        return f"{self.status} {self.location or ''}".strip()


OK = Expect(200)
HIDDEN = Expect(404)  # not for this visitor, or not theirs: nothing is revealed
NO_GET = Expect(405)  # a POST-only view opened with GET; its POST row says who may use it
LOGIN = Expect(302, "sign in")  # to /accounts/login/?next=<this page>


def to(location: str) -> Expect:
    return Expect(302, location)


ROOT = to("/")
DIARY = to("/diary/")  # the patient's own home: whoever asks gets their own
CLINIC = to("/clinic/")
SIGNOUT = to("/accounts/login/")  # signed out, back on the sign-in page
MY_DATA = to("/diary/my-data/")  # the erasure request without its confirmation box ticked
SETTINGS = to("/diary/settings/")  # the text size, saved or not, back on the settings page
FLAGS = to("/clinic/patients/{public_id}/#flags")  # acknowledging without an action chosen
INVITED = to("/clinic/patients/{public_id}/invited/")  # what was sent (POST, then redirect)
SESSIONS = to("/accounts/sessions/")  # the list of one's own signed-in browsers
PATIENT_PAGE = to("/clinic/patients/{public_id}/")
CALL_ROW = to("/clinic/calls/#call-{public_id}")  # a call recorded without saying how it went
# A JSON step of a passkey ceremony, refused: the test client's address (testserver) is not one
# where passkeys work (tests/views/test_passkey_ceremonies.py runs them at localhost).
REFUSED = Expect(403)

ROLES = ("anonymous", "patient", "other_patient", "clinician", "other_clinician", "clinic_admin")

# One row per URL name (GET), plus "POST <name>" for views that only take POST (sent empty).
# Columns are ROLES: anonymous, Hanako (patient A), Ichiro (patient B), a clinician of Hanako's
# clinic, a clinician of another clinic, Hanako's clinic administrator. A POST-only view checks
# the method before the record, so GET answers 405 whoever asks, without revealing anything.
# fmt: off
MATRIX: dict[str, tuple[Expect, ...]] = {
    #                                   anonymous patient A patient B clinician clinic 2  admin
    "home":                            (LOGIN,    DIARY,    DIARY,    CLINIC,   CLINIC,   CLINIC),
    "font":                            (OK,       OK,       OK,       OK,       OK,       OK),
    "web_manifest":                    (OK,       OK,       OK,       OK,       OK,       OK),
    # Signing in and out, the language switch and the invitation link are public.
    "accounts:login":                  (OK,       ROOT,     ROOT,     ROOT,     ROOT,     ROOT),
    "accounts:logout":                 (NO_GET,   NO_GET,   NO_GET,   NO_GET,   NO_GET,   NO_GET),
    "POST accounts:logout":            (SIGNOUT,  SIGNOUT,  SIGNOUT,  SIGNOUT,  SIGNOUT,  SIGNOUT),
    "accounts:set_language":           (NO_GET,   NO_GET,   NO_GET,   NO_GET,   NO_GET,   NO_GET),
    "POST accounts:set_language":      (ROOT,     ROOT,     ROOT,     ROOT,     ROOT,     ROOT),
    "accounts:invitation":             (OK,       OK,       OK,       OK,       OK,       OK),
    "accounts:password_change":        (LOGIN,    OK,       OK,       OK,       OK,       OK),
    "accounts:password_change_done":   (LOGIN,    OK,       OK,       OK,       OK,       OK),
    # "Forgot your password?" is public. The confirm row has Hanako's public id with a token
    # that is no reset token: "this link does not work any more", for everyone alike.
    "accounts:password_reset":         (OK,       OK,       OK,       OK,       OK,       OK),
    "accounts:password_reset_done":    (OK,       OK,       OK,       OK,       OK,       OK),
    "accounts:password_reset_confirm": (OK,       OK,       OK,       OK,       OK,       OK),
    "accounts:password_reset_complete": (OK,      OK,       OK,       OK,       OK,       OK),
    # Everyone's own signed-in browsers; an empty POST names no browser of theirs: 404.
    "accounts:sessions":               (LOGIN,    OK,       OK,       OK,       OK,       OK),
    "accounts:session_end":            (LOGIN,    NO_GET,   NO_GET,   NO_GET,   NO_GET,   NO_GET),
    "POST accounts:session_end":       (LOGIN,    HIDDEN,   HIDDEN,   HIDDEN,   HIDDEN,   HIDDEN),
    "accounts:sessions_end_others":    (LOGIN,    NO_GET,   NO_GET,   NO_GET,   NO_GET,   NO_GET),
    "POST accounts:sessions_end_others": (LOGIN,  SESSIONS, SESSIONS, SESSIONS, SESSIONS, SESSIONS),
    "accounts:reauth":                 (LOGIN,    OK,       OK,       OK,       OK,       OK),
    "accounts:mfa":                    (LOGIN,    OK,       OK,       OK,       OK,       OK),
    # Passkeys: everyone's own (an empty POST names no passkey of theirs: 404); "no thanks" to
    # the offer goes home. The JSON steps take POST only and refuse at this address.
    "accounts:passkeys":               (LOGIN,    OK,       OK,       OK,       OK,       OK),
    "accounts:passkey_rename":         (LOGIN,    NO_GET,   NO_GET,   NO_GET,   NO_GET,   NO_GET),
    "POST accounts:passkey_rename":    (LOGIN,    HIDDEN,   HIDDEN,   HIDDEN,   HIDDEN,   HIDDEN),
    "accounts:passkey_remove":         (LOGIN,    NO_GET,   NO_GET,   NO_GET,   NO_GET,   NO_GET),
    "POST accounts:passkey_remove":    (LOGIN,    HIDDEN,   HIDDEN,   HIDDEN,   HIDDEN,   HIDDEN),
    "accounts:passkey_offer_dismiss":  (LOGIN,    NO_GET,   NO_GET,   NO_GET,   NO_GET,   NO_GET),
    "POST accounts:passkey_offer_dismiss": (LOGIN, ROOT,    ROOT,     ROOT,     ROOT,     ROOT),
    "accounts:passkey_register_begin": (NO_GET,   NO_GET,   NO_GET,   NO_GET,   NO_GET,   NO_GET),
    "POST accounts:passkey_register_begin": (REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED),
    "accounts:passkey_register_complete": (NO_GET, NO_GET,  NO_GET,   NO_GET,   NO_GET,   NO_GET),
    "POST accounts:passkey_register_complete": (REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED),  # noqa: E501
    "accounts:passkey_sign_in_begin":  (NO_GET,   NO_GET,   NO_GET,   NO_GET,   NO_GET,   NO_GET),
    "POST accounts:passkey_sign_in_begin": (REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED),
    "accounts:passkey_sign_in_complete": (NO_GET, NO_GET,   NO_GET,   NO_GET,   NO_GET,   NO_GET),
    "POST accounts:passkey_sign_in_complete": (REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED),  # noqa: E501
    # No authenticator is being set up (that starts on accounts:mfa), so there is no QR code.
    "accounts:mfa_qr":                 (LOGIN,    HIDDEN,   HIDDEN,   HIDDEN,   HIDDEN,   HIDDEN),
    # New backup codes only after a one-time code was confirmed in this session: nobody here.
    "accounts:mfa_backup_codes":       (LOGIN,    HIDDEN,   HIDDEN,   HIDDEN,   HIDDEN,   HIDDEN),
    "POST accounts:mfa_backup_codes":  (LOGIN,    HIDDEN,   HIDDEN,   HIDDEN,   HIDDEN,   HIDDEN),
    # The patient's own diary: Ichiro gets his own (checked below to hold nothing of Hanako's).
    "diary:home":                      (LOGIN,    OK,       OK,       HIDDEN,   HIDDEN,   HIDDEN),
    "diary:entry_today":               (LOGIN,    OK,       OK,       HIDDEN,   HIDDEN,   HIDDEN),
    "diary:entry_earlier":             (LOGIN,    OK,       OK,       HIDDEN,   HIDDEN,   HIDDEN),
    "diary:entry":                     (LOGIN,    OK,       OK,       HIDDEN,   HIDDEN,   HIDDEN),
    "diary:entry_saved":               (LOGIN,    OK,       HIDDEN,   HIDDEN,   HIDDEN,   HIDDEN),
    "diary:history":                   (LOGIN,    OK,       OK,       HIDDEN,   HIDDEN,   HIDDEN),
    "diary:ratings":                   (LOGIN,    OK,       DIARY,    HIDDEN,   HIDDEN,   HIDDEN),
    "diary:report":                    (LOGIN,    OK,       OK,       HIDDEN,   HIDDEN,   HIDDEN),
    "diary:report_pdf":                (LOGIN,    OK,       OK,       HIDDEN,   HIDDEN,   HIDDEN),
    "diary:chart_symptoms":            (LOGIN,    OK,       OK,       HIDDEN,   HIDDEN,   HIDDEN),
    "diary:chart_goals":               (LOGIN,    OK,       OK,       HIDDEN,   HIDDEN,   HIDDEN),
    # The service worker's file holds no data (anyone); the offline page is the patient's own.
    "diary:service_worker":            (OK,       OK,       OK,       OK,       OK,       OK),
    "diary:offline":                   (LOGIN,    OK,       OK,       HIDDEN,   HIDDEN,   HIDDEN),
    "diary:settings":                  (LOGIN,    OK,       OK,       HIDDEN,   HIDDEN,   HIDDEN),
    "diary:text_size":                 (LOGIN,    NO_GET,   NO_GET,   HIDDEN,   HIDDEN,   HIDDEN),
    "POST diary:text_size":            (LOGIN,    SETTINGS, SETTINGS, HIDDEN,   HIDDEN,   HIDDEN),
    "diary:my_data":                   (LOGIN,    OK,       OK,       HIDDEN,   HIDDEN,   HIDDEN),
    "diary:export_json":               (LOGIN,    OK,       OK,       HIDDEN,   HIDDEN,   HIDDEN),
    "diary:export_csv":                (LOGIN,    OK,       OK,       HIDDEN,   HIDDEN,   HIDDEN),
    "diary:export_fhir":               (LOGIN,    OK,       OK,       HIDDEN,   HIDDEN,   HIDDEN),
    "diary:erasure_ask":               (LOGIN,    NO_GET,   NO_GET,   HIDDEN,   HIDDEN,   HIDDEN),
    "POST diary:erasure_ask":          (LOGIN,    MY_DATA,  MY_DATA,  HIDDEN,   HIDDEN,   HIDDEN),
    # The clinic: its own patients only; the access log and erasure for the administrator only.
    "clinic:patients":                 (LOGIN,    HIDDEN,   HIDDEN,   OK,       OK,       OK),
    "clinic:patient_new":              (LOGIN,    HIDDEN,   HIDDEN,   OK,       OK,       OK),
    "clinic:access_log":               (LOGIN,    HIDDEN,   HIDDEN,   HIDDEN,   HIDDEN,   OK),
    # The call list is the clinic's own (Hanako, with an open urgent flag, is on her clinic's
    # only); an empty POST records nothing and goes back to her row with a message.
    "clinic:calls":                    (LOGIN,    HIDDEN,   HIDDEN,   OK,       OK,       OK),
    "clinic:call_record":              (LOGIN,    HIDDEN,   HIDDEN,   NO_GET,   NO_GET,   NO_GET),
    "POST clinic:call_record":         (LOGIN,    HIDDEN,   HIDDEN,   CALL_ROW, HIDDEN,   CALL_ROW),
    "clinic:patient_contact":          (LOGIN,    HIDDEN,   HIDDEN,   OK,       HIDDEN,   OK),
    "clinic:research_export":          (LOGIN,    HIDDEN,   HIDDEN,   HIDDEN,   HIDDEN,   OK),
    # How fast the clinic answers: each clinic's staff see their own clinic's figures (no names).
    "clinic:quality":                  (LOGIN,    HIDDEN,   HIDDEN,   OK,       OK,       OK),
    "clinic:quality_chart":            (LOGIN,    HIDDEN,   HIDDEN,   OK,       OK,       OK),
    "clinic:quality_csv":              (LOGIN,    HIDDEN,   HIDDEN,   OK,       OK,       OK),
    "clinic:erasure_requests":         (LOGIN,    HIDDEN,   HIDDEN,   HIDDEN,   HIDDEN,   OK),
    "clinic:erase":                    (LOGIN,    HIDDEN,   HIDDEN,   HIDDEN,   HIDDEN,   OK),
    "clinic:patient":                  (LOGIN,    HIDDEN,   HIDDEN,   OK,       HIDDEN,   OK),
    "clinic:patient_invite":           (LOGIN,    HIDDEN,   HIDDEN,   NO_GET,   NO_GET,   NO_GET),
    "POST clinic:patient_invite":      (LOGIN,    HIDDEN,   HIDDEN,   INVITED,  HIDDEN,   INVITED),
    # The desk pages read the link from a cookie of the browser that made it; nobody here has
    # one (and Hanako has a password, so no link of hers is ever shown): back to her page, and
    # no sheet for anyone. tests/views/test_desk_invitation.py covers those who have one.
    "clinic:patient_invited":          (LOGIN,  HIDDEN, HIDDEN, PATIENT_PAGE, HIDDEN, PATIENT_PAGE),
    "clinic:invitation_sheet":         (LOGIN,    HIDDEN,   HIDDEN,   HIDDEN,   HIDDEN,   HIDDEN),
    "clinic:patient_sign_out":         (LOGIN,    HIDDEN,   HIDDEN,   NO_GET,   NO_GET,   NO_GET),
    "POST clinic:patient_sign_out":    (LOGIN, HIDDEN, HIDDEN, PATIENT_PAGE, HIDDEN, PATIENT_PAGE),
    "clinic:report":                   (LOGIN,    HIDDEN,   HIDDEN,   OK,       HIDDEN,   OK),
    "clinic:report_pdf":               (LOGIN,    HIDDEN,   HIDDEN,   OK,       HIDDEN,   OK),
    "clinic:export_fhir":              (LOGIN,    HIDDEN,   HIDDEN,   OK,       HIDDEN,   OK),
    "clinic:injection_new":            (LOGIN,    HIDDEN,   HIDDEN,   OK,       HIDDEN,   OK),
    "clinic:injection_edit":           (LOGIN,    HIDDEN,   HIDDEN,   OK,       HIDDEN,   OK),
    "clinic:flag_acknowledge":         (LOGIN,    HIDDEN,   HIDDEN,   NO_GET,   NO_GET,   NO_GET),
    "POST clinic:flag_acknowledge":    (LOGIN,    HIDDEN,   HIDDEN,   FLAGS,    HIDDEN,   FLAGS),
    "clinic:flags_acknowledge":        (LOGIN,    HIDDEN,   HIDDEN,   NO_GET,   NO_GET,   NO_GET),
    "POST clinic:flags_acknowledge":   (LOGIN,    HIDDEN,   HIDDEN,   FLAGS,    HIDDEN,   FLAGS),
    "clinic:goal_new":                 (LOGIN,    HIDDEN,   HIDDEN,   OK,       HIDDEN,   OK),
    "clinic:goal_edit":                (LOGIN,    HIDDEN,   HIDDEN,   OK,       HIDDEN,   OK),
    "clinic:chart_symptoms":           (LOGIN,    HIDDEN,   HIDDEN,   OK,       HIDDEN,   OK),
    "clinic:chart_goals":              (LOGIN,    HIDDEN,   HIDDEN,   OK,       HIDDEN,   OK),
    # The regenerative-medicine register (registry/): the clinic's staff; plans are changed by
    # the administrator; the page that says why records are kept is for a patient treated
    # under a plan (Hanako was not).
    "registry:outcomes":               (LOGIN,    HIDDEN,   HIDDEN,   OK,       OK,       OK),
    "registry:plans":                  (LOGIN,    HIDDEN,   HIDDEN,   OK,       OK,       OK),
    "registry:plan_new":               (LOGIN,    HIDDEN,   HIDDEN,   HIDDEN,   HIDDEN,   OK),
    "registry:plan_edit":              (LOGIN,    HIDDEN,   HIDDEN,   HIDDEN,   HIDDEN,   OK),
    "registry:periodic_report":        (LOGIN,    HIDDEN,   HIDDEN,   OK,       HIDDEN,   OK),
    "registry:periodic_report_pdf":    (LOGIN,    HIDDEN,   HIDDEN,   OK,       HIDDEN,   OK),
    "registry:periodic_report_csv":    (LOGIN,    HIDDEN,   HIDDEN,   OK,       HIDDEN,   OK),
    "registry:adverse_events":         (LOGIN,    HIDDEN,   HIDDEN,   OK,       OK,       OK),
    "registry:event_new":              (LOGIN,    HIDDEN,   HIDDEN,   OK,       HIDDEN,   OK),
    "registry:event":                  (LOGIN,    HIDDEN,   HIDDEN,   OK,       HIDDEN,   OK),
    "registry:event_edit":             (LOGIN,    HIDDEN,   HIDDEN,   OK,       HIDDEN,   OK),
    "registry:event_summary":          (LOGIN,    HIDDEN,   HIDDEN,   OK,       HIDDEN,   OK),
    "registry:event_summary_pdf":      (LOGIN,    HIDDEN,   HIDDEN,   OK,       HIDDEN,   OK),
    "registry:flag_record_event":      (LOGIN,    HIDDEN,   HIDDEN,   NO_GET,   NO_GET,   NO_GET),
    "POST registry:flag_record_event": (LOGIN,    HIDDEN,   HIDDEN,   FLAGS,    HIDDEN,   FLAGS),
    "registry:records_kept":         (LOGIN,    HIDDEN,   HIDDEN,   HIDDEN,   HIDDEN,   HIDDEN),
}
# fmt: on

# Visitors who must never receive anything of Hanako's.
STRANGERS = ("anonymous", "other_patient", "other_clinician")
STAFF = ("clinician", "clinic_admin")

# Staff pages that show Hanako's data: each answer the staff may have writes exactly one
# access-log row (who, Hanako, what). The research export is the clinic's, so its row names no
# patient. Every other answer — refused, not found, a redirect to sign in — writes none.
LOGGED = {
    "clinic:patient": "view_patient",
    "clinic:report": "view_report",
    "clinic:report_pdf": "download_report",
    "clinic:export_fhir": "export",
    "clinic:chart_symptoms": "view_chart",
    "clinic:chart_goals": "view_chart",
    "clinic:injection_new": "injection_form",
    "clinic:injection_edit": "injection_form",
    "clinic:goal_new": "goal_form",
    "clinic:patient_contact": "contact_form",
    "clinic:goal_edit": "goal_form",
    "clinic:erase": "erasure_page",
    "clinic:research_export": "export",
    "registry:event_new": "adverse_event_form",
    "registry:event": "view_adverse_event",
    "registry:event_edit": "adverse_event_form",
    "registry:event_summary": "view_event_summary",
    "registry:event_summary_pdf": "download_event_summary",
}
# Staff URLs under a patient's id that show none of the patient's health data.
NOT_LOGGED = {
    "clinic:patient_invite": "the invitation page: name and e-mail; a link for an existing "
    "account has its own access-log rule",
    "clinic:flag_acknowledge": "POST only: acknowledges and redirects to the patient page",
    "clinic:flags_acknowledge": "POST only: acknowledges several flags and redirects to the "
    "patient page",
    "clinic:call_record": "POST only: a recorded call writes its own access-log row "
    "(tests/views/test_call_list.py); an empty POST records nothing",
    "clinic:patient_invited": "what was sent: name, e-mail and, before a password exists, the "
    "link; no health data",
    "clinic:invitation_sheet": "the printed invitation: name, e-mail, the clinic's numbers and "
    "the link; no health data",
    "clinic:patient_sign_out": "POST only: signs the patient out everywhere, shows nothing; "
    "its own access-log row is tested in tests/views/test_patient_sign_out.py",
    "registry:flag_record_event": "POST only: acknowledges (the diary's service) and redirects "
    "to the adverse event form, which is logged",
}
# Integer ids in URLs: only of a patient's own objects, always under the patient's public id.
OBJECT_IDS = ("injection_id", "flag_id", "goal_id", "event_id")
# Integers of the clinic's own records, not of a patient: a treatment plan and its plan year,
# looked up within the staff member's clinic (registry/access.py).
CLINIC_OBJECT_IDS = ("plan_id", "year")

HANAKO_NOTE = "Hanako-note-stairs-with-a-handrail"
HANAKO_INJECTION_NOTE = "Hanako-injection-lateral-approach"
HANAKO_GOAL = "Hanako-goal-walk-to-the-temple"


def split_key(key: str) -> tuple[str, str]:
    """Split "POST clinic:patient_invite" into ("post", "clinic:patient_invite")."""
    method, _space, name = key.rpartition(" ")
    return (method or "get").lower(), name


def matrix_keys() -> list[str]:
    """The rows to try, from the URL configuration (not from MATRIX)."""
    keys = []
    for name in URLS:
        keys.append(name)
        if f"POST {name}" in MATRIX:
            keys.append(f"POST {name}")
    return keys


# --- Hanako's record and the visitors -----------------------------------------------------


@pytest.fixture
def hanako_args(patient, other_patient, clinic, clinician, other_clinician, clinic_admin):
    """URL arguments that all belong to Hanako, and everyone else signed up."""
    entry = make_entry(patient, day=days_ago(1), notes=HANAKO_NOTE)
    injection = patient.injections.get()
    injection.notes = HANAKO_INJECTION_NOTE
    injection.save(update_fields=["notes"])
    goal = make_goal(patient, injection=injection, title=HANAKO_GOAL)
    flag = make_flag(patient, code="fever", severity="urgent", first_day=entry.day)
    newcomer = patient_register(
        clinic=clinic, email="newcomer@example.jp", name="Aiko Newcomer", patient_number="P-9"
    )
    _invitation, token = invitation_create(user=newcomer, created_by=clinician)
    return {
        "public_id": patient.public_id,
        "injection_id": injection.pk,
        "flag_id": flag.pk,
        "goal_id": goal.pk,
        "day": entry.day.isoformat(),
        "token": token,
        "uidb64": patient.public_id.hex,  # a password-reset link names the public id
        **registry_url_args(patient, clinic, clinician),
    }


@pytest.fixture
def hanako_marks(patient, hanako_args):
    """Text that only Hanako's record holds."""
    return [
        patient.name,
        patient.email,
        str(patient.public_id),
        HANAKO_NOTE,
        HANAKO_INJECTION_NOTE,
        HANAKO_GOAL,
        f'data-day="{hanako_args["day"]}"',
    ]


def visitor(client, request, role: str):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


def path_for(url: Url, args: dict) -> str:
    try:
        kwargs = {name: args[name] for name in url.arguments}
    except KeyError as missing:
        pytest.fail(f"{url.route}: no test value for the argument {missing}; add one")
    return reverse(url.name, kwargs=kwargs)


def body(response) -> bytes:
    if response.streaming:  # the font, the research export
        # The test client closes the response once its content is read. Closing it again here
        # would send request_finished with the database connection's clean-up connected, which
        # closes PostgreSQL's connection inside the test's transaction.
        return b"".join(response.streaming_content)
    return response.content


def check(response, expected: Expect, path: str, args: dict, what: str) -> None:
    assert response.status_code == expected.status, f"{what}: {response.status_code}"
    if expected == LOGIN:
        assert response["Location"] == f"/accounts/login/?next={quote(path)}", what
    elif expected.location:
        assert response["Location"] == expected.location.format(**args), what


# --- The matrix ---------------------------------------------------------------------------


def test_every_url_has_a_row_and_every_row_a_url():
    get_rows = {name for key in MATRIX for method, name in [split_key(key)] if method == "get"}
    post_rows = {name for key in MATRIX for method, name in [split_key(key)] if method == "post"}
    assert set(URLS) - get_rows == set(), "new URLs: add a row to MATRIX for each"
    assert get_rows - set(URLS) == set(), "rows for URLs that no longer exist"
    assert post_rows <= get_rows, "a POST row without its GET row"
    post_only = {name for name, row in MATRIX.items() if NO_GET in row}
    assert post_only <= post_rows, "a POST-only view needs a POST row saying who may use it"
    assert all(len(row) == len(ROLES) for row in MATRIX.values())


def test_every_staff_url_of_a_patient_says_whether_it_is_access_logged():
    """A new page under a patient's id must be logged, or say here why it shows no data."""
    patient_urls = {
        name for name, url in URLS.items() if "public_id" in url.arguments and name in MATRIX
    }
    staff_urls = {name for name in patient_urls if name.startswith("clinic:")}
    assert staff_urls - set(LOGGED) - set(NOT_LOGGED) == set()
    assert set(LOGGED) & set(NOT_LOGGED) == set()
    assert set(LOGGED) <= set(URLS)


def test_every_url_has_a_name():
    """An unnamed URL could not be in MATRIX."""
    assert [url.route for url in project_urls() if not url.name] == []


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", matrix_keys())
def test_each_visitor_gets_the_expected_answer(
    client, request, hanako_args, hanako_marks, key, role
):
    if key not in MATRIX:
        pytest.fail(f"{key} is not in MATRIX: say what each visitor gets")
    method, name = split_key(key)
    expected = MATRIX[key][ROLES.index(role)]
    path = path_for(URLS[name], hanako_args)

    visitor(client, request, role)
    logged_before = AccessLog.objects.count()

    response = getattr(client, method)(path)

    what = f"{method.upper()} {path} as {role}"
    check(response, expected, path, hanako_args, what)
    content = body(response)  # read all of a streamed answer before counting the rows
    new_rows = list(AccessLog.objects.order_by("id")[logged_before:])
    if method == "get" and name in LOGGED and role in STAFF and expected == OK:
        assert len(new_rows) == 1, f"{what}: {len(new_rows)} access-log rows, not one"
        (row,) = new_rows
        assert row.user == request.getfixturevalue(role), what
        assert row.action == LOGGED[name], what
        hanako = None if name == "clinic:research_export" else request.getfixturevalue("patient")
        assert row.patient == hanako, what
    elif expected in (HIDDEN, NO_GET, LOGIN):
        assert new_rows == [], f"{what}: a refused request wrote the access log"
    if role in STRANGERS:
        for mark in hanako_marks:
            assert mark.encode() not in content, f"{path} showed {role} Hanako's {mark!r}"


@pytest.fixture
def ichiros_objects(other_patient, clinician):
    """Ichiro's own injection, flag and goal: valid ids, but not Hanako's."""
    injection = make_injection(other_patient, day=days_ago(3), notes="Ichiro's injection")
    flag = make_flag(other_patient, code="fever", severity="urgent", first_day=days_ago(2))
    goal = make_goal(other_patient, injection=injection, title="Ichiro's goal")
    event = make_event(other_patient, by=clinician, description="Ichiro's event")
    return {
        "injection_id": injection.pk,
        "flag_id": flag.pk,
        "goal_id": goal.pk,
        "event_id": event.pk,
    }


OBJECT_URLS = [name for name, url in URLS.items() if set(url.arguments) & set(OBJECT_IDS)]


@pytest.mark.parametrize("staff", ["clinician", "clinic_admin"])
@pytest.mark.parametrize("name", OBJECT_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_patients_object_under_hanakos_id_is_not_found(
    client, request, hanako_args, ichiros_objects, other_patient, staff, name, method
):
    """Both patients are the clinic's own, but an object only opens under its own patient."""
    client.force_login(request.getfixturevalue(staff))
    path = path_for(URLS[name], {**hanako_args, **ichiros_objects})

    response = getattr(client, method)(path)

    if method == "get" and MATRIX[name][ROLES.index(staff)] == NO_GET:
        assert response.status_code == 405
    else:
        assert response.status_code == 404
    assert not other_patient.flags.exclude(status="open").exists()
    assert other_patient.goals.get().title == "Ichiro's goal"
    assert other_patient.injections.get().notes == "Ichiro's injection"


def test_ichiros_own_diary_pages_hold_nothing_of_hanakos(
    other_patient_client, hanako_args, hanako_marks
):
    """Patient B's pages are his: the same URLs, none of patient A's name, notes or days."""
    for name in URLS:
        if not name.startswith("diary:") or MATRIX[name][ROLES.index("other_patient")] != OK:
            continue
        response = other_patient_client.get(path_for(URLS[name], hanako_args))
        assert response.status_code == 200
        for mark in hanako_marks:
            assert mark.encode() not in response.content, f"{name} showed {mark!r}"


# --- Opaque identifiers -------------------------------------------------------------------

PATIENT_ID_URLS = [name for name, url in URLS.items() if "public_id" in url.arguments]


def test_clinic_urls_name_a_patient_by_the_uuid_public_id():
    for name, url in URLS.items():
        for argument, converter in url.converters.items():
            if argument == "public_id":
                assert isinstance(converter, UUIDConverter), url.route
            elif isinstance(converter, IntConverter) and argument in CLINIC_OBJECT_IDS:
                continue
            elif isinstance(converter, IntConverter):
                # No sequential id of a user: the only integers are a patient's own objects,
                # looked up under that patient's public id.
                assert argument in OBJECT_IDS, f"{url.route}: an integer {argument}"
                assert "public_id" in url.arguments, url.route
            else:
                # uidb64: the reset link's account, as its public id in hex, never the pk.
                assert argument in ("day", "token", "uidb64"), f"{url.route}: what is {argument}?"
        if name.startswith("clinic:") and url.route.startswith("clinic/patients/"):
            assert url.route.startswith("clinic/patients/<uuid:public_id>/") or name == (
                "clinic:patient_new"
            ), url.route


def test_the_patients_own_urls_carry_no_identifier_of_anyone():
    """The diary is always the signed-in patient's own: who it is comes from the session."""
    for name, url in URLS.items():
        if name.startswith("diary:"):
            assert set(url.arguments) <= {"day"}, url.route


def test_there_are_patient_urls_to_check():
    assert "clinic:patient" in PATIENT_ID_URLS
    assert len(PATIENT_ID_URLS) >= 10


@pytest.mark.parametrize("name", PATIENT_ID_URLS)
def test_a_sequential_id_in_place_of_the_uuid_is_not_found(
    clinic_admin_client, patient, hanako_args, name
):
    """Asked by the clinic's administrator, who may open every one of these with the uuid."""
    path = path_for(URLS[name], hanako_args)
    by_pk = path.replace(str(patient.public_id), str(patient.pk))
    assert by_pk != path
    with pytest.raises(Resolver404):
        resolve(by_pk)
    method = "post" if f"POST {name}" in MATRIX else "get"
    assert getattr(clinic_admin_client, method)(by_pk).status_code == 404
    if (
        MATRIX[f"{method.upper()} {name}" if method == "post" else name][
            ROLES.index("clinic_admin")
        ]
        == HIDDEN
    ):
        return  # not even with the uuid here (the invitation sheet needs the desk's cookie)
    assert getattr(clinic_admin_client, method)(path).status_code in (200, 302)
