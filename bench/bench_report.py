"""The visit report as a PDF: time and size for 30 and 90 days of diary (printed, not asserted).

Builds one patient per size in a temporary SQLite database (a daily entry with a short note each
day, an injection 35 days ago, a goal, an acknowledged flag), then renders the Japanese PDF as the
view does (context, template, WeasyPrint): one untimed warm-up, then `--runs` timed renders.

Run from the project root: .venv/bin/python bench/bench_report.py [--days 30 90] [--runs 5]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_pages import setup_django  # noqa: E402

NOTE = "{n}日目：朝は膝がこわばる。買い物に歩いて行けた。夜の痛みは少し。"


def build_patient(days: int):
    """A patient of a fresh synthetic clinic with `days` days of diary, each with a note."""
    from django.utils import timezone

    from accounts.models import Clinic, User
    from diary.models import DiaryEntry, Flag
    from diary.selectors import clinic_today
    from diary.synthetic import synthetic_clinic

    today = clinic_today(Clinic(time_zone="Asia/Tokyo"))
    clinic = synthetic_clinic(patients=1, days=days, today=today, name=f"さくら整形外科 {days}")
    patient = User.objects.get(clinic=clinic, role=User.Role.PATIENT)
    patient.name = "佐藤 花子"
    patient.save(update_fields=["name"])
    entries = list(DiaryEntry.objects.filter(patient=patient).order_by("day"))
    for n, entry in enumerate(entries):
        entry.notes = NOTE.format(n=n + 1)
    DiaryEntry.objects.bulk_update(entries, ["notes"])
    doctor = User.objects.create_user(
        f"doctor{clinic.pk}@example.invalid",
        None,
        name="山田 太郎",
        role="clinician",
        clinic=clinic,
    )
    for flag in Flag.objects.filter(patient=patient):
        flag.status = Flag.Status.ACKNOWLEDGED
        flag.acknowledged_by = doctor
        flag.acknowledged_at = timezone.now()
        flag.action = Flag.Action.CALLED
        flag.save(update_fields=["status", "acknowledged_by", "acknowledged_at", "action"])
    return patient, today - timedelta(days=days - 1), today


def render(patient, start, end) -> bytes:
    """What the PDF view does: the report's data, the template, WeasyPrint."""
    from diary.report import ReportPeriod, report_context, report_html, report_pdf

    context = report_context(patient, ReportPeriod(start, end))
    return report_pdf(report_html(context, for_pdf=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, nargs="+", default=[30, 90])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        setup_django(str(Path(tmp) / "bench.sqlite3"))
        import logging

        from django.utils import timezone, translation
        from pypdf import PdfReader

        logging.getLogger("weasyprint").setLevel(logging.ERROR)  # its progress messages
        logging.getLogger("fontTools").setLevel(logging.ERROR)

        print(f"{'days':>5}{'pages':>7}{'first s':>9}{'median s':>10}{'p95 s':>8}{'KiB':>8}")
        for days in args.days:
            patient, start, end = build_patient(days)
            with translation.override("ja"), timezone.override("Asia/Tokyo"):
                began = time.perf_counter()
                pdf = render(patient, start, end)  # warm-up: fonts and templates load once
                first = time.perf_counter() - began
                times = []
                for _ in range(args.runs):
                    began = time.perf_counter()
                    pdf = render(patient, start, end)
                    times.append(time.perf_counter() - began)
            times.sort()
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            pages = len(PdfReader(io.BytesIO(pdf)).pages)
            print(
                f"{days:>5}{pages:>7}{first:>9.2f}{statistics.median(times):>10.2f}"
                f"{p95:>8.2f}{len(pdf) / 1024:>8.0f}"
            )


if __name__ == "__main__":
    main()
