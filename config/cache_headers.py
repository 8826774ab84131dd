"""Who may keep a copy of a page (issue 20).

Staff pages (`/clinic/`, `/admin/`, `/accounts/`) are never stored, by the browser or by the
service worker: `Cache-Control: private, no-store`, whatever the view said. A patient's diary
pages (`/diary/`) are `private, no-cache` unless the view chose (downloads say no-store): the
phone may keep the last copy it saw and must ask the server first, so the service worker
(network first) can show it when there is no connection. Signing out answers
`Clear-Site-Data: "cache"`, which empties the browser's HTTP cache of this site — not the
service worker's CacheStorage, which static/js/sw.js and sw-register.js empty themselves (the
entries waiting on the phone, in IndexedDB, stay to be sent after the next sign-in).
"""

from __future__ import annotations

from django.urls import reverse

STAFF_PREFIXES = ("/clinic/", "/admin/", "/accounts/")
PATIENT_PREFIX = "/diary/"
STAFF_CACHE_CONTROL = "private, no-store"
PATIENT_CACHE_CONTROL = "private, no-cache"


class CacheHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        path = request.path_info
        if path.startswith(STAFF_PREFIXES):
            if "no-store" not in response.get("Cache-Control", ""):
                response["Cache-Control"] = STAFF_CACHE_CONTROL
        elif path.startswith(PATIENT_PREFIX) and not response.has_header("Cache-Control"):
            response["Cache-Control"] = PATIENT_CACHE_CONTROL
        if request.method == "POST" and path == reverse("accounts:logout"):
            response["Clear-Site-Data"] = '"cache"'
        return response
