"""Where passkeys work: the WebAuthn relying party (its id and the origins allowed to use it).

A passkey belongs to one relying party id, a domain name such as `diary.example-clinic.jp`;
browsers offer it only on that domain (or a subdomain), and the server accepts an answer only
from an origin it lists. Browsers refuse WebAuthn on an IP address ("This is an invalid
domain"), so `make run` at http://127.0.0.1:8000 has passkeys at http://localhost:8000.

Read by config/settings.py: plain functions, no Django import beyond the error they raise.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

# The only host a browser lets use WebAuthn over plain http (a "potentially trustworthy" one).
LOCALHOST = "localhost"


def _is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _origin(scheme: str, host: str, port: int | None) -> str:
    default = {"http": 80, "https": 443}.get(scheme)
    return f"{scheme}://{host}" if port in (None, default) else f"{scheme}://{host}:{port}"


def default_rp_id(site_url: str) -> str:
    """The host of SITE_URL; `localhost` when SITE_URL names an IP address."""
    host = (urlsplit(site_url).hostname or "").lower()
    return LOCALHOST if not host or _is_ip_address(host) else host


def default_allowed_origins(site_url: str) -> list[str]:
    """SITE_URL's origin; for an IP address, the same scheme and port at localhost."""
    parts = urlsplit(site_url)
    scheme = (parts.scheme or "http").lower()
    host = (parts.hostname or "").lower()
    if not host or _is_ip_address(host):
        host = LOCALHOST
    return [_origin(scheme, host, parts.port)]


def relying_party_check(rp_id: str, origins: list[str]) -> list[str]:
    """The origins as browsers write them (`https://host[:port]`, no trailing slash), or an
    error at start-up for a relying party no browser would accept: an IP address, an origin
    outside the id's domain, or plain http anywhere but localhost."""
    if not rp_id or _is_ip_address(rp_id) or "/" in rp_id or ":" in rp_id:
        raise ImproperlyConfigured(
            f"OTP_WEBAUTHN_RP_ID must be a domain name such as diary.example-clinic.jp "
            f"(browsers refuse passkeys on an IP address), not {rp_id!r}."
        )
    if not origins:
        raise ImproperlyConfigured("OTP_WEBAUTHN_ALLOWED_ORIGINS must name at least one origin.")
    checked = []
    for origin in origins:
        parts = urlsplit(origin.strip())
        host = (parts.hostname or "").lower()
        if parts.path not in ("", "/") or parts.query or not host:
            raise ImproperlyConfigured(
                f"{origin!r} in OTP_WEBAUTHN_ALLOWED_ORIGINS is not an origin: "
                "write scheme://host[:port], e.g. https://diary.example-clinic.jp."
            )
        if not (host == rp_id or host.endswith("." + rp_id)):
            raise ImproperlyConfigured(
                f"{origin!r} in OTP_WEBAUTHN_ALLOWED_ORIGINS is not on the relying party's "
                f"domain {rp_id!r} (OTP_WEBAUTHN_RP_ID)."
            )
        if parts.scheme != "https" and not (parts.scheme == "http" and host == LOCALHOST):
            raise ImproperlyConfigured(
                f"{origin!r} in OTP_WEBAUTHN_ALLOWED_ORIGINS must use https:// "
                "(plain http works for localhost only)."
            )
        try:
            port = parts.port
        except ValueError:
            raise ImproperlyConfigured(f"{origin!r} has no valid port number.") from None
        checked.append(_origin(parts.scheme, host, port))
    return checked
