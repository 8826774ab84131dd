"""Absolute links (e-mails, QR codes) are built from SITE_URL; a request that came to another
address is warned about in the log, once per distinct pair.

Links in e-mails and on the printed invitation must point to the address the clinic chose, not
to whatever Host a request carried (that would let a forged Host header choose where a link
points). But a SITE_URL that does not fit the site as it is used — `make run` on another port,
a new host name without SITE_URL set — gives links that lead nowhere, and staff would only learn
it when a patient calls. So the link still uses SITE_URL, and the log says that it looks wrong.

`RequestOriginMiddleware` keeps the current request where `site_url()` can see it, also in the
after-commit callbacks that send e-mails; outside a request (cron commands) nothing is compared.
"""

from __future__ import annotations

import logging
import threading
from contextvars import ContextVar
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost

logger = logging.getLogger(__name__)

DEFAULT_PORTS = {"http": 80, "https": 443}
# The pairs already warned about; bounded, so odd Host headers cannot grow it without end.
WARNED_MAX = 64

_current_request: ContextVar = ContextVar("site_url_request", default=None)
_warned: set[tuple[str, str]] = set()
_warned_lock = threading.Lock()


def origin(url: str) -> str:
    """scheme://host[:port] in lower case, without a default port."""
    parts = urlsplit(url)
    scheme = (parts.scheme or "http").lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is None or port == DEFAULT_PORTS.get(scheme):
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def _request_origin(request) -> str | None:
    try:
        return origin(f"{request.scheme}://{request.get_host()}")
    except DisallowedHost:  # Django refuses this request anyway
        return None


def site_url_check(request) -> bool:
    """Whether SITE_URL fits this request; log a warning the first time a pair does not."""
    configured = origin(settings.SITE_URL)
    seen = _request_origin(request)
    if seen is None or seen == configured:
        return True
    pair = (configured, seen)
    with _warned_lock:
        if pair in _warned:
            return False
        if len(_warned) >= WARNED_MAX:
            return False
        _warned.add(pair)
    logger.warning(
        "SITE_URL is %s, but this site was opened at %s: links in e-mails and QR codes point "
        "to %s. Set SITE_URL to the address that patients and staff use.",
        configured,
        seen,
        configured,
    )
    return False


def site_url(path: str = "") -> str:
    """SITE_URL + path, an absolute link; warns (once) when the current request is elsewhere."""
    request = _current_request.get()
    if request is not None:
        site_url_check(request)
    return settings.SITE_URL + path


class RequestOriginMiddleware:
    """Makes the current request visible to `site_url()` while it is answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)
