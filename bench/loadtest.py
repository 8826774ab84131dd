"""Load test: gunicorn on 127.0.0.1, 50 patients logging and 5 clinicians on the dashboard.

A script, not a CI test (tests/scaling/test_bench_smoke.py only checks that it runs). It builds
a fresh database — a temporary SQLite file, or with DATABASE_URL=postgres://… a database
`diary_load_<pid>` it creates on that server, migrates, and drops at the end, on failure too
(bench/database.py) — starts gunicorn with the production settings (bench/load_settings.py),
runs the load for the given seconds, stops, prints throughput (and saves per second per core),
p50 / p95 / p99 latency and errors, and checks that every successful submit is in the database
(the same patient and day, nothing missing and nothing extra).

    .venv/bin/python bench/loadtest.py [--seconds 60] [--patients 50] [--clinicians 5]
                                       [--workers 4] [--port 8765]
    DATABASE_URL=postgres://diary:diary@127.0.0.1:5432/diary .venv/bin/python bench/loadtest.py

Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.database import temporary_database  # noqa: E402

BASE = "http://127.0.0.1:8765"  # set from --port in main()
PASSWORD = "load-test-password-2026"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The form's hidden sending inputs, sent back as a browser does (the key of this sending and the
# entry's version when the form was loaded, "" for a new day: diary/forms.py).
SENDING_INPUT = re.compile(r'<input[^>]*name="(submission_id|loaded_version)"[^>]*>')
VALUE = re.compile(r'value="([^"]*)"')


def sending_fields(html: str) -> dict[str, str]:
    fields = {}
    for match in SENDING_INPUT.finditer(html):
        value = VALUE.search(match.group(0))
        fields[match.group(1)] = value.group(1) if value else ""
    return fields


def server_env(database_url: str, static_root: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.load_settings",
        "BENCH_STATIC_ROOT": static_root,
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": BASE,
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "MFA_REQUIRED": "0",
        "LOG_LEVEL": "WARNING",
    }


def prepare(env: dict, patients: int, clinicians: int) -> None:
    """Migrate, collect static files and create the users, in a child process."""
    script = f"""
import django; django.setup()
from datetime import timedelta
from accounts.models import Clinic, User
from diary.models import Injection
from diary.selectors import clinic_today
clinic = Clinic.objects.create(name="Load clinic", phone="03-0000-0000")
today = clinic_today(clinic)
for n in range({clinicians}):
    User.objects.create_user(f"doctor{{n}}@load.invalid", "{PASSWORD}", name=f"Dr {{n}}",
                             role="clinician", clinic=clinic)
for n in range({patients}):
    p = User.objects.create_user(f"patient{{n}}@load.invalid", "{PASSWORD}", name=f"P {{n}}",
                                 role="patient", clinic=clinic, patient_number=f"L-{{n}}")
    Injection.objects.create(patient=p, day=today - timedelta(days=400), joint="knee",
                             side="left", agent="hyaluronic_acid")
"""
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    subprocess.run([python, "-c", script], cwd=ROOT, env=env, check=True)


class Client:
    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str, timeout: float = 30) -> tuple[int, str]:
        with self.opener.open(BASE + path, timeout=timeout) as response:
            return response.status, response.read().decode()

    def post(self, path: str, data: dict, timeout: float = 30) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(BASE + path, data=body, headers={"Referer": BASE + path})
        with self.opener.open(request, timeout=timeout) as response:
            return response.status, response.read().decode()

    def sign_in(self, email: str) -> None:
        """Before the clock starts: password hashing is deliberately slow."""
        _status, html = self.get("/accounts/login/", timeout=300)
        token = CSRF.search(html).group(1)
        data = {"csrfmiddlewaretoken": token, "username": email, "password": PASSWORD}
        self.post("/accounts/login/", data, timeout=300)


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency = defaultdict(list)
        self.errors = defaultdict(int)
        self.submits: set[tuple[str, str]] = set()  # (patient's e-mail, day)
        self.deadline = 0.0

    def record(self, kind: str, seconds: float, ok: bool):
        with self.lock:
            if ok:
                self.latency[kind].append(seconds * 1000)
            else:
                self.errors[kind] += 1


def patient_loop(index: int, start: threading.Barrier, results: Results, today) -> None:
    client = Client()
    client.sign_in(f"patient{index}@load.invalid")
    start.wait()
    deadline = results.deadline
    day = today
    while time.monotonic() < deadline:
        start = time.monotonic()
        try:
            _status, html = client.get(f"/diary/entry/{day.isoformat()}/")
            token = CSRF.search(html).group(1)
            status, html = client.post(
                f"/diary/entry/{day.isoformat()}/",
                {
                    "csrfmiddlewaretoken": token, "day": day.isoformat(), "pain": index % 11,
                    "swelling": 1, "warmth": 0, "redness": "none", "weight_bearing": "full",
                    "temperature_c": "36.6", "notes": "load test", **sending_fields(html),
                },
            )  # fmt: skip
            ok = status == 200 and "data-flag" in html  # the confirmation page after the redirect
        except (urllib.error.URLError, OSError, AttributeError):
            ok = False
        results.record("entry save (GET form + POST)", time.monotonic() - start, ok)
        if ok:
            with results.lock:
                results.submits.add((f"patient{index}@load.invalid", day.isoformat()))
        day -= timedelta(days=1)  # a new day each time, so entries must equal submits


def clinician_loop(index: int, start: threading.Barrier, results: Results) -> None:
    client = Client()
    client.sign_in(f"doctor{index}@load.invalid")
    start.wait()
    deadline = results.deadline
    while time.monotonic() < deadline:
        start = time.monotonic()
        try:
            status, html = client.get("/clinic/")
            ok = status == 200 and "dashboard-row" in html
        except (urllib.error.URLError, OSError):
            ok = False
        results.record("dashboard", time.monotonic() - start, ok)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--patients", type=int, default=50)
    parser.add_argument("--clinicians", type=int, default=5)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    global BASE
    BASE = f"http://127.0.0.1:{args.port}"
    with socket.socket() as probe:  # so that the readiness check cannot reach another server
        # As gunicorn binds: the last run's connections still in TIME_WAIT do not count, a
        # server listening there does.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", args.port))
        except OSError:
            sys.exit(f"Port {args.port} is in use; choose another with --port.")

    with (
        tempfile.TemporaryDirectory() as tmp,
        temporary_database(tmp, "load") as (database_url, vendor),
    ):
        env = server_env(database_url, str(Path(tmp) / "static"))
        prepare(env, args.patients, args.clinicians)
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi", "--bind",
             f"127.0.0.1:{args.port}", "--workers", str(args.workers), "--threads", "2",
             "--log-level", "warning"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        try:
            for _ in range(300):
                if server.poll() is not None:
                    sys.exit(f"gunicorn stopped (exit {server.returncode}); is the port in use?")
                try:
                    urllib.request.urlopen(BASE + "/accounts/login/", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            os.environ.update(**{
                k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "BENCH_STATIC_ROOT",
                                    "DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS")
            })  # fmt: skip
            import django

            django.setup()
            from accounts.models import Clinic
            from diary.models import DiaryEntry
            from diary.selectors import clinic_today

            today = clinic_today(Clinic.objects.get(name="Load clinic"))
            results = Results()
            users = args.patients + args.clinicians
            timing = {}

            def start_clock():  # runs once, when every user has signed in
                timing["started"] = time.monotonic()
                results.deadline = timing["started"] + args.seconds

            barrier = threading.Barrier(users, action=start_clock)
            threads = [
                threading.Thread(target=patient_loop, args=(n, barrier, results, today))
                for n in range(args.patients)
            ] + [
                threading.Thread(target=clinician_loop, args=(n, barrier, results))
                for n in range(args.clinicians)
            ]
            print(f"Signing in {users} users (slow password hashing, not timed) …")
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - timing["started"]
            stored = {
                (email, day.isoformat())
                for email, day in DiaryEntry.objects.filter(
                    patient__clinic__name="Load clinic"
                ).values_list("patient__email", "day")
            }
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)

    cores = os.cpu_count() or 1
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(
        f"\n{args.patients} patients + {args.clinicians} clinicians, {elapsed:.0f} s, "
        f"gunicorn {args.workers} workers × 2 threads, {vendor}\n"
        f"{cores} cores (the clients on the same machine), load average after {load}"
    )
    header = ("request", "count", "per s", "p50 ms", "p95 ms", "p99 ms", "errors")
    print(f"{header[0]:<30}" + "".join(f"{h:>8}" for h in header[1:]))
    for kind in sorted(set(results.latency) | set(results.errors)):
        values = results.latency.get(kind, [])
        if values:
            p50, p95, p99 = (percentile(values, q) for q in (0.5, 0.95, 0.99))
        else:
            p50 = p95 = p99 = float("nan")
        print(f"{kind:<30}{len(values):>8}{len(values) / elapsed:>8.1f}{p50:>8.0f}{p95:>8.0f}"
              f"{p99:>8.0f}{results.errors[kind]:>8}")  # fmt: skip
    saves = len(results.latency.get("entry save (GET form + POST)", []))
    print(f"saves per second per core: {saves / elapsed / cores:.1f}")
    missing, extra = results.submits - stored, stored - results.submits
    verdict = "OK" if not missing and not extra else "MISMATCH"
    if not results.submits:
        verdict = "NOTHING SAVED"
    print(
        f"successful submits {len(results.submits)}, entries in the database {len(stored)}, "
        f"missing {len(missing)}, not submitted {len(extra)}: {verdict}"
    )
    sys.exit(0 if verdict == "OK" else 1)


if __name__ == "__main__":
    main()
