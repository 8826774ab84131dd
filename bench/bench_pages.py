"""Dashboard and patient page: time and query count for synthetic clinics (printed, not asserted).

Builds clinics of 200 and 2,000 patients × 90 days in a temporary SQLite database, then times
the clinician's dashboard and a patient page through Django's test client.

Run from the project root: .venv/bin/python bench/bench_pages.py [--sizes 200 2000] [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(db_path: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(client, url: str, runs: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        setup_django(str(Path(tmp) / "bench.sqlite3"))
        from django.test import Client

        from accounts.models import Clinic, User
        from diary.selectors import clinic_today
        from diary.synthetic import synthetic_clinic

        today = clinic_today(Clinic(time_zone="Asia/Tokyo"))
        print(f"{'page':<14}{'patients':>9}{'median ms':>11}{'p95 ms':>9}{'queries':>9}")
        for size in args.sizes:
            built = time.perf_counter()
            clinic = synthetic_clinic(patients=size, days=args.days, today=today, name=f"c{size}")
            build_s = time.perf_counter() - built
            doctor = User.objects.create_user(
                f"bench{clinic.pk}@example.invalid", "x", name="Dr", role="clinician", clinic=clinic
            )
            client = Client()
            client.force_login(doctor)
            patient = User.objects.filter(clinic=clinic, role="patient").first()
            for name, url in (
                ("dashboard", "/clinic/"),
                ("patient page", f"/clinic/patients/{patient.public_id}/"),
            ):
                median, p95, queries = timed(client, url, args.runs)
                print(f"{name:<14}{size:>9}{median:>11.1f}{p95:>9.1f}{queries:>9}")
            print(f"  (built {size} × {args.days} days in {build_s:.1f} s)")


if __name__ == "__main__":
    main()
