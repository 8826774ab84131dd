"""Helpers for the server tests of the offline entry (issue 20): tests/offline/test_server_*.py."""

from __future__ import annotations

import uuid

from diary import services
from tests.factories import TODAY, entry_form_data


def send(client, day=TODAY, *, key=None, loaded=None, revision=None, query="", **answers):
    """POST the diary form for `day` as the page sends it: a key and the loaded version.

    key=None: a fresh key; key="": no key at all (an old form); loaded=None: no loaded
    version input at all; revision: the phone's count of the answers kept under the key (the
    page's script sends it; None: no such input, as without the script)."""
    data = entry_form_data(day=day, **answers)
    if key != "":
        data["submission_id"] = str(key or uuid.uuid4())
    if loaded is not None:
        data["loaded_version"] = loaded
    if revision is not None:
        data["answers_revision"] = str(revision)
    return client.post(f"/diary/entry/{day}/{query}", data)


def count_rule_runs(monkeypatch) -> list:
    """A list that grows by one each time the entry service runs the red-flag rules."""
    calls = []
    real = services.flags_evaluate

    def counted(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(services, "flags_evaluate", counted)
    return calls
