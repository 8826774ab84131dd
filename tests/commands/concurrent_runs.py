"""Two servers' cron running one command at the same moment: each run in its own thread with its
own database connection, released together by a barrier.

To make the race real, the first e-mail any run sends waits (up to a few seconds) until every
other run has finished: a run that sent without first claiming what it sends (committed) would
find the same work meanwhile and send it a second time.

PostgreSQL only: SQLite's in-memory test database fails a concurrent writer at once instead of
waiting (and a deployment on SQLite is one server by nature).
"""

from __future__ import annotations

import threading
from collections import Counter
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import call_command
from django.db import connection

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two servers at once need PostgreSQL: SQLite's in-memory test database fails a "
    "concurrent writer instead of waiting, and an SQLite deployment is one server by nature",
)
PAUSE_SECONDS = 3


def run_at_once(command: str, *args, runs: int = 2, monkeypatch) -> list[str]:
    """`manage.py command *args` `runs` times at once; each run's output, in finishing order.
    Fails the test if a run raised or never finished."""

    return tasks_at_once([lambda: run_command(command, *args)] * runs, monkeypatch=monkeypatch)


def run_command(command: str, *args) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue().strip()


def tasks_at_once(tasks, *, monkeypatch) -> list:
    """Each callable in its own thread with its own connection, released together; their
    results, in finishing order. The first e-mail sent waits for the other tasks to finish."""
    start = threading.Barrier(len(tasks), timeout=10)
    finished = threading.Condition()
    state = {"finished": 0, "paused": False}
    results, errors = [], []
    real_send = locmem.EmailBackend.send_messages

    def send_messages(backend, messages):
        with finished:
            first, state["paused"] = not state["paused"], True
            if first:  # the others run to their end meanwhile
                finished.wait_for(
                    lambda: state["finished"] >= len(tasks) - 1, timeout=PAUSE_SECONDS
                )
        return real_send(backend, messages)

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", send_messages)

    def run(task):
        try:
            start.wait()
            results.append(task())
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            connection.close()
            with finished:
                state["finished"] += 1
                finished.notify_all()

    threads = [threading.Thread(target=run, args=(task,)) for task in tasks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a run never finished"
    assert errors == []
    return results


def sent_once() -> Counter:
    """{(recipient, subject, body): how many times it was sent}, for every e-mail in the outbox."""
    return Counter(
        (address, message.subject, message.body)
        for message in mail.outbox
        for address in message.to
    )


def assert_each_sent_once() -> None:
    counts = sent_once()
    assert counts, "nothing was sent: the test proves nothing"
    twice = {key: n for key, n in counts.items() if n > 1}
    assert twice == {}, f"sent more than once: {twice}"
