"""Where a request comes from, behind the reverse proxies the deployment says it has."""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    """The address a request comes from: for the sign-in lockout (AXES_CLIENT_IP_CALLABLE)
    and the access log.

    Without a proxy, REMOTE_ADDR. Behind TRUSTED_PROXY_COUNT proxies that each append the address
    they were reached from to X-Forwarded-For, the client is the entry that many places from the
    right: entries further left are whatever the client chose to send. (django-ipware, which
    axes would otherwise use for this, is not installed.)
    """
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if len(forwarded) < proxies:
        return remote  # not through the configured proxies
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
