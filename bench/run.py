"""`make bench`: one table of the figures that matter, each beside Django's own floor.

Builds a synthetic clinic (2,000 patients × 90 days, with flags, goals and edits) in a temporary
SQLite database and measures, through Django's test client (the whole request, middleware
included, no network):

- entry save: the patient's form POST (validation, the rules, flags), median / p95, with 90
  days of history and again for a patient with 730 (`--long-days`): it should cost the same;
- dashboard and patient page at 200 and 2,000 patients: median, p95, query count;
- the 90-day symptom chart (SVG) and the 30-day visit report PDF;
- two baselines: a bare view that saves one row, and one that lists 50 rows.

Targets (read from the table, not asserted): entry save ≤ 3× its baseline; dashboard ≤ 4× its
baseline and ≤ 1.3× slower at 2,000 than at 200 patients; chart ≤ 150 ms; 30-day PDF ≤ 1.5 s.

    .venv/bin/python bench/run.py [--runs 15] [--sizes 200 2000] [--days 90] [--long-days 730]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(db_path: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ROOT_URLCONF = "bench.baseline_urls"
    call_command("migrate", verbosity=0)


def measure(action, runs: int) -> tuple[float, float, int]:
    """Median and p95 in ms of `action()`, and the queries of its last run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    action()  # warm-up
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            action()
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[round(0.95 * (len(times) - 1))], len(queries)


def get(client, url: str, status: int = 200):
    def action():
        response = client.get(url)
        assert response.status_code == status, (url, response.status_code)
        return response

    return action


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--sizes", type=int, nargs=2, default=[200, 2000])
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--long-days", type=int, default=730, help="the long diary's length")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        setup(str(Path(tmp) / "bench.sqlite3"))
        from django.test import Client

        from accounts.models import Clinic, User
        from bench.baseline_urls import BASELINE_PATIENT_EMAIL
        from diary import charts
        from diary.chart_data import symptom_chart_args
        from diary.selectors import clinic_today
        from diary.synthetic import synthetic_clinic

        today = clinic_today(Clinic(time_zone="Asia/Tokyo"))
        rows: list[tuple[str, float, float, int | str, str]] = []
        small, large = args.sizes
        clinics = {}
        for size in (small, large):
            started = time.perf_counter()
            clinics[size] = synthetic_clinic(
                patients=size, days=args.days, today=today, name=f"Clinic {size}"
            )
            took = time.perf_counter() - started
            print(f"built {size} patients × {args.days} days in {took:.0f} s", file=sys.stderr)
        clinic = clinics[large]
        User.objects.create_user(
            BASELINE_PATIENT_EMAIL, None, name="Baseline", role="patient", clinic=clinic
        )
        anonymous = Client()
        save_base = measure(lambda: anonymous.get("/bench/save-one/"), args.runs)
        list_base = measure(get(anonymous, "/bench/list-fifty/"), args.runs)
        rows.append(("baseline: save one row", *save_base, ""))
        rows.append(("baseline: list 50 rows", *list_base, ""))

        patient = User.objects.filter(clinic=clinic, role="patient").order_by("pk").first()
        patient.set_password("bench-password-2026")
        patient.save(update_fields=["password"])
        patient_client = Client()
        patient_client.force_login(patient)
        floor = measure(get(patient_client, "/bench/signed-in/"), args.runs)
        rows.append(("signed-in request doing nothing", *floor,
                     f"{floor[0] / save_base[0]:.1f}× (floor, not a target)"))  # fmt: skip
        counter = iter(range(10**6))

        def saver(client, history_days: int):
            def save_entry():
                n = next(counter)
                day = today - timedelta(days=n % min(history_days, 90))
                answers = {
                    "day": day.isoformat(),
                    "pain": n % 11,
                    "swelling": n % 4,
                    "warmth": 0,
                    "redness": "none",
                    "weight_bearing": "full",
                    "temperature_c": "36.7",
                }
                response = client.post(  # encoded as a browser sends this form
                    f"/diary/entry/{day.isoformat()}/",
                    urlencode(answers),
                    content_type="application/x-www-form-urlencoded",
                )
                assert response.status_code == 302, response.status_code

            return save_entry

        # The same saves (days of the last 90) for a patient with a long diary: a save should
        # cost the same on day 700 as on day 70. Measured in turns, the better of two rounds
        # each, so that a busy moment does not land on one side only.
        long_clinic = synthetic_clinic(
            patients=1, days=args.long_days, today=today, name="Long diary clinic"
        )
        long_client = Client()
        long_client.force_login(User.objects.get(clinic=long_clinic, role="patient"))
        long_client.get("/diary/entry/")
        rounds = [
            (measure(saver(patient_client, args.days), args.runs),
             measure(saver(long_client, args.long_days), args.runs))
            for _ in range(2)
        ]  # fmt: skip
        entry = min((r[0] for r in rounds), key=lambda m: m[0])
        entry_long = min((r[1] for r in rounds), key=lambda m: m[0])
        rows.append(
            ("entry save (form + rules + flags)", *entry, f"{entry[0] / save_base[0]:.1f}×")
        )
        rows.append(
            (f"entry save, {args.long_days} days of history", *entry_long,
             f"{entry_long[0] / entry[0]:.2f}× the {args.days}-day save (target ≤ 1.2×)")
        )  # fmt: skip

        for size in (small, large):
            doctor = User.objects.create_user(
                f"bench-doctor-{size}@example.invalid", None, name="Dr", role="clinician",
                clinic=clinics[size],
            )  # fmt: skip
            client = Client()
            client.force_login(doctor)
            dashboard = measure(get(client, "/clinic/"), args.runs)
            # The second synthetic patient of each clinic: the first is the one whose diary the
            # entry-save row has just edited (and the baseline's patient comes last).
            someone = User.objects.filter(clinic=clinics[size], role="patient").order_by("pk")[1]
            page = measure(get(client, f"/clinic/patients/{someone.public_id}/"), args.runs)
            rows.append((f"dashboard, {size} patients", *dashboard,
                         f"{dashboard[0] / list_base[0]:.1f}×"))  # fmt: skip
            rows.append((f"patient page, {size} patients", *page, ""))
            if size == large:
                report_client, report_patient = client, someone

        chart_args = symptom_chart_args(patient, today - timedelta(days=89), today)
        chart = measure(lambda: charts.symptom_chart(**chart_args), args.runs)
        rows.append(("symptom chart SVG, 90 days", *chart, "target ≤ 150 ms"))
        chart_url = "/diary/charts/symptoms.svg"
        etag = patient_client.get(chart_url)["ETag"]
        cached = measure(lambda: patient_client.get(chart_url, HTTP_IF_NONE_MATCH=etag), args.runs)
        rows.append(("symptom chart, cached (304)", *cached, ""))
        start = (today - timedelta(days=29)).isoformat()
        pdf = measure(
            get(report_client, f"/clinic/patients/{report_patient.public_id}/report.pdf"
                f"?from={start}&to={today.isoformat()}"),
            max(3, args.runs // 3),
        )  # fmt: skip
        rows.append(("visit report PDF, 30 days", *pdf, "target ≤ 1.5 s"))

    print(f"\n{'':<36}{'median ms':>11}{'p95 ms':>10}{'queries':>9}  ratio to baseline")
    for name, median, p95, queries, note in rows:
        print(f"{name:<36}{median:>11.1f}{p95:>10.1f}{queries:>9}  {note}")
    dash_small = next(r for r in rows if r[0] == f"dashboard, {small} patients")
    dash_large = next(r for r in rows if r[0] == f"dashboard, {large} patients")
    print(f"\ndashboard at {large} vs {small} patients: {dash_large[1] / dash_small[1]:.2f}× "
          "(target ≤ 1.3×)")  # fmt: skip


if __name__ == "__main__":
    main()
