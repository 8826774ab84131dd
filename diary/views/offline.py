"""The service worker and the page it shows for a patient page that cannot load offline.

The worker's file is static/js/sw.js. It is served here, at /diary/sw.js, rather than from
/static/: a service worker controls the pages under the folder it is served from, so this
address covers the patient's pages (/diary/…) and nothing else — no Service-Worker-Allowed
header, and the same code path in development, in the tests' live server and behind whitenoise.
Before the file's bytes the view writes one line: the app shell's addresses as the static
storage names them (hashed in production) and a version made from their content, so that a
new release gets a new cache and the old one is deleted.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse

from diary.access import patient_required
from diary.flag_text import tel_href

WORKER = "js/sw.js"
OUTBOX = "js/offline-outbox.js"
# What a patient page needs to be drawn without the network (templates/base.html,
# patient_base.html); other static files are kept as they are used.
SHELL = (
    "vendor/bootstrap/bootstrap.min.css",
    "css/app.css",
    "js/theme.js",
    "js/sw-register.js",
    OUTBOX,
    "js/offline-entry.js",
    "icons/favicon.svg",
    "icons/icon-192.png",
    "icons/apple-touch-icon.png",
)


def _read(name: str) -> bytes:
    path = finders.find(name)
    if not path:
        raise FileNotFoundError(name)
    return Path(path).read_bytes()


def _worker_source() -> bytes:
    digest = hashlib.sha256()
    for name in (WORKER, *SHELL):
        digest.update(name.encode())
        digest.update(_read(name))
    shell = [static(name) for name in SHELL]
    digest.update(json.dumps(shell).encode())
    config = {
        "version": digest.hexdigest()[:12],
        "shell": shell,
        "outbox": static(OUTBOX),
        "offline": reverse("diary:offline"),
        "staticPrefix": settings.STATIC_URL,
        # No patient page is served from the cache longer than a session may last.
        "maxAgeMs": settings.SESSION_ABSOLUTE_HOURS * 3600 * 1000,
    }
    head = f"self.DIARY_SW = {json.dumps(config)};\n"
    return head.encode() + _read(WORKER)


_worker_source_cached = lru_cache(maxsize=1)(_worker_source)


def service_worker(request):
    """Anyone may fetch it (it holds no data); a browser checks it for updates on each visit."""
    source = _worker_source() if settings.DEBUG else _worker_source_cached()
    response = HttpResponse(source, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@patient_required
def offline_page(request):
    """Kept by the service worker, in the patient's language, for a page it cannot load."""
    clinic = request.user.clinic
    context = {
        "clinic": clinic,
        "tel": tel_href(clinic.phone),
        "after_hours_tel": tel_href(clinic.after_hours_phone) if clinic.after_hours_phone else "",
    }
    return render(request, "diary/offline.html", context)
