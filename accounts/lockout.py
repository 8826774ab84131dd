"""Sign-in lockout with two counts (django-axes): one account from any mix of addresses, and one
address across every account it tries.

axes compares a single number with AXES_FAILURE_LIMIT. `LockoutHandler.get_failures` reports
the account's failures (from every address), or that limit itself once the address has reached
its own, higher limit (`LOCKOUT_ADDRESS_FAILURE_LIMIT`: a clinic's front desk or a mobile
carrier's shared address must not lock everyone after five typos). The lockout page says which
count was reached and when signing in works again. Both counts treat an e-mail address with no
account like any other, so the page never tells whether an account exists.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.shortcuts import render

from accounts.network import client_address  # noqa: F401 (AXES_CLIENT_IP_CALLABLE)


def lock_ends_at(
    attempts: list[tuple[datetime, int]], limit: int, cool_off: timedelta
) -> datetime | None:
    """When a lock ends: `attempts` are the counted rows as (latest failure, failures).

    axes counts a row until `cool_off` after its latest failure; the lock ends when the rows
    still counted add up to fewer than `limit`. None when they do not reach it now.
    """
    remaining = sum(failures for _at, failures in attempts)
    if remaining < limit:
        return None
    for at, failures in sorted(attempts):
        remaining -= failures
        if remaining < limit:
            return at + cool_off
    return None  # not reached: the loop ends below the limit (limit > 0)


@dataclass(frozen=True)
class LockoutState:
    account_until: datetime | None  # this e-mail address, from any address
    address_until: datetime | None  # this network address, for any e-mail address

    @property
    def until(self) -> datetime | None:
        ends = [at for at in (self.account_until, self.address_until) if at is not None]
        return max(ends) if ends else None


def _counted(request, **lookup) -> list[tuple[datetime, int]]:
    rows = AccessAttempt.objects.filter(
        attempt_time__gte=get_cool_off_threshold(request), **lookup
    ).values_list("attempt_time", "failures_since_start")
    return list(rows)


def lockout_state(request, credentials=None) -> LockoutState:
    cool_off = get_cool_off(request)
    username = get_client_username(request, credentials)
    account = _counted(request, username=username) if username else []
    address = _counted(request, ip_address=request.axes_ip_address)
    return LockoutState(
        account_until=lock_ends_at(account, get_failure_limit(request, credentials), cool_off),
        address_until=lock_ends_at(address, settings.LOCKOUT_ADDRESS_FAILURE_LIMIT, cool_off),
    )


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler with a separate, higher limit for an address."""

    def get_failures(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        account = sum(n for _at, n in _counted(request, username=username)) if username else 0
        address = sum(n for _at, n in _counted(request, ip_address=request.axes_ip_address))
        if address >= settings.LOCKOUT_ADDRESS_FAILURE_LIMIT:
            return max(account, get_failure_limit(request, credentials))
        return account

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful sign-in clears that account's failures only. Clearing its address's
        too (axes' default for "username or address") would let anyone holding one account
        of their own wipe the address's count by signing in between guesses."""
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _details = AccessAttempt.objects.filter(username=username).delete()
        return count


def lockout_response(request, original_response=None, credentials=None):
    """The page for a locked sign-in (AXES_LOCKOUT_CALLABLE): which count, until when, whom
    to call. The same for an e-mail address with or without an account."""
    state = lockout_state(request, credentials)
    now = request.axes_attempt_time
    # The lock lasts until just after `until`: name the next whole minute, never earlier.
    until = (state.until or now).replace(second=0, microsecond=0) + timedelta(minutes=1)
    context = {
        "address_locked": state.address_until is not None and state.account_until is None,
        "until": until,
        "minutes": max(1, math.ceil((until - now).total_seconds() / 60)),
    }
    return render(
        request, "accounts/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )
