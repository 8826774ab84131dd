"""A form body in a charset other than UTF-8 answers 400 with a page in the visitor's language —
not 500 — on every POST, and nothing is saved (issue 16).

The client is a browser's: it holds the CSRF cookie and sends the token in the form, as the
probe did. (Without the token Django refuses with 403 before reading anything.) Before the fix,
Django raised BadRequest on reading the body and again while rendering its own 400 page: a 500.
"""

from __future__ import annotations

import io
import sys
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.test.client import BOUNDARY, encode_multipart
from django.urls import reverse

from accounts.models import User
from accounts.services import invitation_create, patient_register
from config.charset import Utf8Request
from diary.models import DiaryEntry, ErasureRequest, Goal, Injection
from tests.factories import (
    PASSWORD,
    TODAY,
    entry_form_data,
    goal_form_data,
    injection_form_data,
    make_flag,
)

pytestmark = pytest.mark.django_db

# Japanese mail and old Japanese pages; UTF-16; codecs that are no text encoding at all.
CHARSETS = ["ISO-2022-JP", "Shift_JIS", "EUC-JP", "UTF-16", "rot13", "base64", "no-such-charset"]
JAPANESE = "フォームを読み取れませんでした"
ENGLISH = "The form could not be read"


def browser(user: User | None) -> Client:
    client = Client(enforce_csrf_checks=True, raise_request_exception=True)
    if user is not None:
        client.force_login(user)
    client.get("/", follow=True)  # the CSRF cookie, as any page with a form sets it
    return client


def post(client: Client, path: str, data: dict, charset: str):
    body = urlencode({"csrfmiddlewaretoken": client.cookies["csrftoken"].value, **data})
    return client.generic(
        "POST",
        path,
        body.encode("utf-8"),
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )


@pytest.fixture
def forms(patient, clinician, clinic_admin, clinic):
    """One POST of each role's forms, with data that would be saved if it were read."""
    flag = make_flag(patient, code="fever", severity="urgent", first_day=TODAY)
    newcomer = patient_register(clinic=clinic, email="new@example.jp", name="New Person")
    _invitation, token = invitation_create(user=newcomer, created_by=clinician)
    hanako = patient.public_id
    return {
        "anonymous": [
            (reverse("accounts:login"), {"username": patient.email, "password": PASSWORD}),
            (reverse("accounts:set_language"), {"language": "en", "next": "/"}),
            (
                reverse("accounts:invitation", args=[token]),
                {"new_password1": "a-Long-pass-2026", "new_password2": "a-Long-pass-2026"},
            ),
        ],
        "patient": [
            (reverse("diary:entry_today"), entry_form_data()),
            (reverse("diary:erasure_ask"), {"confirm": "yes"}),
            (reverse("accounts:logout"), {}),
        ],
        "clinician": [
            (reverse("clinic:injection_new", args=[hanako]), injection_form_data()),
            (reverse("clinic:goal_new", args=[hanako]), goal_form_data()),
            (
                reverse("clinic:flag_acknowledge", args=[hanako, flag.pk]),
                {"action": "called", "note": ""},
            ),
            (
                reverse("clinic:patient_new"),
                {"name": "Aoi", "email": "aoi@example.jp", "patient_number": "P-77"},
            ),
        ],
        "clinic_admin": [
            (
                reverse("clinic:erase", args=[hanako]),
                {"mode": "delete", "reason": "asked", "confirm_number": "P-1"},
            ),
        ],
    }


def nothing_was_saved(patient):
    assert not DiaryEntry.objects.filter(patient=patient).exists()
    assert not ErasureRequest.objects.exists()
    assert Injection.objects.filter(patient=patient).count() == 1
    assert not Goal.objects.exists()
    assert not User.objects.filter(email="aoi@example.jp").exists()
    patient.refresh_from_db()
    assert patient.is_active
    assert patient.flags.get().status == "open"


@pytest.mark.parametrize("charset", CHARSETS)
@pytest.mark.parametrize("role", ["anonymous", "patient", "clinician", "clinic_admin"])
def test_every_role_gets_a_400_page_and_nothing_is_saved(request, forms, patient, role, charset):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    client = browser(user)
    for path, data in forms[role]:
        response = post(client, path, data, charset)

        assert response.status_code == 400, (path, response.status_code)
        assert JAPANESE in response.content.decode(), path  # everyone here reads Japanese
        assert response["Content-Security-Policy"], path  # the page keeps its headers
    nothing_was_saved(patient)


def test_the_page_is_in_the_users_language(patient):
    User.objects.filter(pk=patient.pk).update(language="en")
    patient.refresh_from_db()
    response = post(browser(patient), reverse("diary:entry_today"), entry_form_data(), "EUC-JP")
    assert response.status_code == 400
    assert ENGLISH in response.content.decode()


@pytest.mark.parametrize("charset", ["UTF-8", "utf-8", '"utf-8"'])
def test_a_form_that_says_utf_8_is_read(patient, charset):
    response = post(browser(patient), reverse("diary:entry_today"), entry_form_data(), charset)
    assert response.status_code == 302
    assert DiaryEntry.objects.filter(patient=patient, day=TODAY).exists()


def test_a_multipart_form_in_another_charset_is_refused_too(patient):
    client = browser(patient)
    body = encode_multipart(
        BOUNDARY, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, **entry_form_data()}
    )
    response = client.generic(
        "POST",
        reverse("diary:entry_today"),
        body,
        content_type=f"multipart/form-data; boundary={BOUNDARY}; charset=Shift_JIS",
    )
    assert response.status_code == 400
    assert not DiaryEntry.objects.filter(patient=patient).exists()


# --- Before any middleware: the request object itself -----------------------------------


def wsgi_call(path: str, query: str, content_type: str, body: bytes = b"a=1"):
    """Through the WSGI application gunicorn serves (config/wsgi.py), not the test client."""
    from config.wsgi import application

    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "REMOTE_ADDR": "127.0.0.1",
        "SCRIPT_NAME": "",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    status = []
    chunks = application(environ, lambda s, headers, exc_info=None: status.append(s))
    content = b"".join(chunks)
    return status[0], content


@pytest.mark.parametrize("charset", ["rot13", "base64", "hex", "ISO-2022-JP"])
def test_a_codec_that_is_no_text_encoding_with_a_query_string_is_a_400(db, charset):
    """Django's own request raises LookupError while it is built (query string decoded with
    `rot13`), before any middleware: gunicorn answered 500."""
    status, content = wsgi_call(
        "/accounts/login/",
        "next=%2Fdiary%2F",
        f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert status.startswith("400"), status
    assert JAPANESE.encode() in content


def test_the_request_keeps_the_declared_charset_for_the_middleware_to_see():
    from django.test import RequestFactory

    environ = RequestFactory()._base_environ(
        QUERY_STRING="next=%2F", CONTENT_TYPE="application/x-www-form-urlencoded; charset=rot13"
    )
    request = Utf8Request(environ)
    assert request.content_params["charset"] == "rot13"
    assert request.encoding is None  # decoded as UTF-8, never with rot13
    assert request.GET["next"] == "/"
