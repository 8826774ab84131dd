"""The database a benchmark runs against: always a fresh one, dropped at the end.

Without DATABASE_URL (or with a SQLite one) it is a SQLite file in a temporary directory. With
DATABASE_URL=postgres://… it is a new database `diary_bench_<pid>` on the same server, created
with that URL's role (which needs CREATEDB) and dropped when the block ends, on failure, Ctrl-C
or SIGTERM too. The database named in the URL is only used to create and drop it; nothing in it
is read or written.
"""

from __future__ import annotations

import os
import signal
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def is_postgres(url: str | None) -> bool:
    return bool(url) and urlsplit(url).scheme in {"postgres", "postgresql", "pgsql"}


def _raise_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)  # so that `finally` drops the database


@contextmanager
def temporary_database(tmp_dir: str, name: str = "bench"):
    """Yield (database URL, "SQLite" or "PostgreSQL <version>") for a fresh, empty database."""
    url = os.environ.get("DATABASE_URL")
    if not is_postgres(url):
        yield f"sqlite:///{Path(tmp_dir) / f'{name}.sqlite3'}", "SQLite"
        return

    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    database = f"diary_{name}_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as admin:
        version = admin.info.server_version  # e.g. 150018
        try:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
        except psycopg.errors.InsufficientPrivilege:
            sys.exit(
                f"The role in DATABASE_URL may not create databases; the benchmarks need a "
                f"database of their own ({database}): ALTER ROLE {parts.username} CREATEDB;"
            )
    previous = signal.signal(signal.SIGTERM, _raise_on_sigterm)
    try:
        yield (
            urlunsplit(parts._replace(path=f"/{database}")),
            f"PostgreSQL {version // 10000}.{version % 100}",
        )
    finally:
        signal.signal(signal.SIGTERM, previous)
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
            )
        print(f"dropped the temporary database {database}", file=sys.stderr)
