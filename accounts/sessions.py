"""Where a user is signed in, how long that lasts, and signing browsers out.

Patients may "stay signed in on this phone" (offered at sign-in, on by default): a rolling
session of `PATIENT_REMEMBER_DAYS` days on that browser, extended by each use, unless their
clinic has switched it off (`Clinic.patients_stay_signed_in`, for patients who share phones).
Every other session — clinic staff always, patients who untick the box — ends after the idle
and absolute limits of `SESSION_IDLE_MINUTES_*` and `SESSION_ABSOLUTE_HOURS`
(accounts/middleware.py applies them with `session_end_reason`).

`UserSession` rows say which browsers a user is signed in on: one is made at each sign-in (a
`user_logged_in` receiver, whatever the way of signing in), refreshed by the middleware at
most once a minute, and removed with the session itself when a browser is signed out here.
Sessions need a server-side store (the database, the default) so that they can be ended.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from accounts.models import User, UserSession
from accounts.reauth import recent_auth_mark

SESSION_STARTED = "session_started_at"
SESSION_SEEN = "session_seen_at"
SEEN_PRECISION_SECONDS = 60
STAY_SIGNED_IN = "stay_signed_in"
# [row id, session key] of this session's UserSession row, so that a new session id (after the
# second factor) moves the row along instead of leaving a stale one.
USER_SESSION = "user_session"

DEVICE_MAX = 60

# ua-parser's names, in the words a person knows their phone or computer by.
_OS_DEVICES = {
    "Android": "Android",
    "Windows": "Windows",
    "Mac OS X": "Mac",
    "Chrome OS": "Chromebook",
    "Linux": "Linux",
    "Ubuntu": "Linux",
    "Fedora": "Linux",
}
_APPLE_DEVICES = ("iPhone", "iPad", "iPod")
_BROWSERS = {
    "Mobile Safari": "Safari",
    "Mobile Safari UI/WKWebView": "Safari",
    "Chrome Mobile": "Chrome",
    "Chrome Mobile iOS": "Chrome",
    "Chrome Mobile WebView": "Chrome",
    "HeadlessChrome": "Chrome",
    "Edge Mobile": "Edge",
    "Firefox Mobile": "Firefox",
    "Firefox iOS": "Firefox",
    "Opera Mobile": "Opera",
}


@dataclass(frozen=True)
class Device:
    device: str  # "iPhone", "Android", "Windows" … or "" when it cannot be told
    browser: str  # "Safari", "Chrome", "LINE" … or ""


def device_summary(user_agent: str) -> Device:
    """A browser's User-Agent in plain words: Device("iPhone", "Safari")."""
    from ua_parser import parse  # its rules load on first use

    result = parse(user_agent[:1000] or "")
    device = ""
    os_family = result.os.family if result.os else ""
    if os_family == "iOS":
        family = result.device.family if result.device else ""
        device = next((name for name in _APPLE_DEVICES if family.startswith(name)), "iPhone")
    else:
        device = _OS_DEVICES.get(os_family, "")
    browser = result.user_agent.family if result.user_agent else ""
    browser = _BROWSERS.get(browser, browser)
    if browser == "Other":
        browser = ""
    return Device(device[:DEVICE_MAX], browser[:DEVICE_MAX])


# --- how long a session lasts -------------------------------------------------------------


def stay_signed_in_allowed(user: User) -> bool:
    """Patients only, and only where their clinic allows it."""
    return bool(user.is_patient and user.clinic_id and user.clinic.patients_stay_signed_in)


def stay_signed_in_start(request, *, remember: bool) -> bool:
    """After a sign-in: a rolling PATIENT_REMEMBER_DAYS session when the patient asked for it
    and may have it, otherwise the usual limits. Returns whether it stays signed in."""
    stays = remember and stay_signed_in_allowed(request.user)
    if stays:
        request.session[STAY_SIGNED_IN] = True
        # Each save of the session (the middleware saves it at most once a minute) moves the
        # end of the session and of its cookie PATIENT_REMEMBER_DAYS into the future.
        request.session.set_expiry(settings.PATIENT_REMEMBER_DAYS * 86400)
    else:
        request.session.pop(STAY_SIGNED_IN, None)
        request.session.set_expiry(None)  # SESSION_COOKIE_AGE, with the limits below
    return stays


@dataclass(frozen=True)
class SessionEnd:
    reason: str  # "idle", "lifetime" or "unused" (a stay-signed-in browser not used for long)
    limit: int  # minutes for "idle", hours for "lifetime", days for "unused"


def session_end_reason(
    data, *, user: User, now: float, started: float | None = None
) -> SessionEnd | None:
    """Whether a session (its stored values, `data`) has ended by now, and why."""
    started = data.get(SESSION_STARTED, now) if started is None else started
    seen = data.get(SESSION_SEEN, now)
    if data.get(STAY_SIGNED_IN) and stay_signed_in_allowed(user):
        days = settings.PATIENT_REMEMBER_DAYS
        return SessionEnd("unused", days) if now - seen > days * 86400 else None
    staff = user.role != User.Role.PATIENT
    idle = settings.SESSION_IDLE_MINUTES_STAFF if staff else settings.SESSION_IDLE_MINUTES_PATIENT
    if now - seen > idle * 60:
        return SessionEnd("idle", idle)
    if now - started > settings.SESSION_ABSOLUTE_HOURS * 3600:
        return SessionEnd("lifetime", settings.SESSION_ABSOLUTE_HOURS)
    return None


# --- the list of browsers -----------------------------------------------------------------


def _store(session_key: str | None = None):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)


def _longest_session() -> timedelta:
    return max(
        timedelta(days=settings.PATIENT_REMEMBER_DAYS),
        timedelta(hours=settings.SESSION_ABSOLUTE_HOURS),
    )


def user_session_start(request, user: User) -> UserSession | None:
    """Record the browser of a new sign-in (the session id is new: login() renews it)."""
    key = request.session.session_key
    if not key:
        return None
    now = timezone.now()
    # Rows of sessions that cannot be alive any more, so that the table does not grow.
    UserSession.objects.filter(user=user, last_used_at__lt=now - _longest_session()).delete()
    found = device_summary(request.META.get("HTTP_USER_AGENT", ""))
    row, _created = UserSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "device": found.device,
            "browser": found.browser,
            "created_at": now,
            "last_used_at": now,
        },
    )
    request.session[USER_SESSION] = [row.pk, key]
    return row


def user_session_touch(request) -> None:
    """Keep the row of this session: its last use (called at most once a minute), and its
    session id when that was renewed. A session signed in before rows existed gets one."""
    session = request.session
    key = session.session_key
    if not key:
        return
    pair = session.get(USER_SESSION)
    if isinstance(pair, list) and len(pair) == 2 and pair[1] == key:
        updated = UserSession.objects.filter(pk=pair[0], user=request.user).update(
            last_used_at=timezone.now()
        )
    else:
        row_id = pair[0] if isinstance(pair, list) and pair else None
        updated = UserSession.objects.filter(pk=row_id, user=request.user).update(
            session_key=key, last_used_at=timezone.now()
        )
        if updated:
            session[USER_SESSION] = [row_id, key]
    if not updated:
        user_session_start(request, request.user)


def user_session_forget(request) -> None:
    """Signing out of this browser: its row goes with the session."""
    key = getattr(request, "session", None) and request.session.session_key
    if key:
        UserSession.objects.filter(session_key=key).delete()


def _alive(row: UserSession, user: User, now: float) -> bool:
    data = _store(row.session_key).load()
    if data.get(SESSION_KEY) != str(user.pk):
        return False
    stored_hash = data.get(HASH_SESSION_KEY) or ""
    hashes = [user.get_session_auth_hash(), *user.get_session_auth_fallback_hash()]
    if not any(constant_time_compare(stored_hash, h) for h in hashes):
        return False  # the password changed since: this session is already signed out
    return session_end_reason(data, user=user, now=now) is None


def user_sessions_live(user: User, *, current_key: str | None = None) -> list[UserSession]:
    """The browsers the user is signed in on, most recently used first; rows of sessions that
    have ended (timed out, password changed) are removed on the way."""
    now = time.time()
    live, dead = [], []
    for row in UserSession.objects.filter(user=user).order_by("-last_used_at", "-pk"):
        if row.session_key == current_key or _alive(row, user, now):
            live.append(row)
        else:
            dead.append(row)
    for row in dead:
        user_session_end(row=row)
    return live


def user_session_end(*, row: UserSession) -> None:
    """Sign one browser out: the session goes from the store, and its row."""
    with transaction.atomic():
        _store().delete(row.session_key)
        row.delete()


def user_sessions_end(*, user: User, keep_session_key: str | None = None) -> int:
    """Sign the user out on every browser but `keep_session_key`; how many were signed out.

    Used by "sign out the others", by the clinic's "sign out everywhere" and after a new
    password (changed, reset or chosen through a link from the clinic).
    """
    now = time.time()
    count = 0
    rows = UserSession.objects.filter(user=user)
    if keep_session_key:
        rows = rows.exclude(session_key=keep_session_key)
    for row in rows:
        if _alive(row, user, now):
            count += 1
        user_session_end(row=row)
    return count


# --- signal receivers (connected in accounts/apps.py) ---------------------------------------


def on_user_logged_in(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    # The limits count from the sign-in itself, not from the next page.
    request.session[SESSION_STARTED] = now
    request.session[SESSION_SEEN] = now
    recent_auth_mark(request)
    user_session_start(request, user)


def on_user_logged_out(sender, request, user, **kwargs) -> None:
    if request is not None:
        user_session_forget(request)
