"""Consistent backups while the app runs, and restoring them.

SQLite: the online backup API copies a consistent snapshot page by page, even while other
connections write. PostgreSQL: pg_dump (a consistent snapshot by design) in its custom format,
restored with pg_restore.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection, connections


def _vendor() -> str:
    return connection.vendor


def _pg_env() -> tuple[list[str], dict]:
    settings = connection.settings_dict
    args = [
        "--host",
        settings.get("HOST") or "localhost",
        "--port",
        str(settings.get("PORT") or 5432),
    ]
    args += ["--username", settings["USER"]] if settings.get("USER") else []
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    return args, env


def backup_write(target: Path) -> Path:
    """Write a snapshot of the database to `target` and return its path."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if _vendor() == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as destination:
            connection.connection.backup(destination)
        destination.close()
        return target
    if _vendor() == "postgresql":
        args, env = _pg_env()
        subprocess.run(
            ["pg_dump", *args, "--format=custom", "--no-owner", "--file", str(target),
             connection.settings_dict["NAME"]],
            check=True, env=env, capture_output=True,
        )  # fmt: skip
        return target
    raise NotImplementedError(f"No backup for the {_vendor()} database")


def backup_restore(source: Path) -> None:
    """Replace the database's contents with the snapshot in `source`. Stop the app first."""
    if not source.exists():
        raise FileNotFoundError(source)
    if _vendor() == "sqlite":
        with sqlite3.connect(source) as origin:
            # Check it is a database before overwriting anything.
            origin.execute("SELECT count(*) FROM django_migrations").fetchone()
            connection.ensure_connection()
            origin.backup(connection.connection)
        origin.close()
        return
    if _vendor() == "postgresql":
        args, env = _pg_env()
        name = connection.settings_dict["NAME"]
        connections.close_all()
        subprocess.run(
            ["pg_restore", *args, "--clean", "--if-exists", "--no-owner", "--single-transaction",
             "--dbname", name, str(source)],
            check=True, env=env, capture_output=True,
        )  # fmt: skip
        return
    raise NotImplementedError(f"No restore for the {_vendor()} database")
