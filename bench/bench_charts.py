"""Time symptom_chart for 30 and 90 days of entries: median of 20 runs, and the SVG size.

Run from the project root: .venv/bin/python bench/bench_charts.py
"""

import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from diary.charts import ChartDay, ChartFlag, GoalTarget, symptom_chart  # noqa: E402

RUNS = 20
START = date(2024, 4, 1)


def sample(count: int) -> dict:
    """A realistic diary: a reaction after each injection, a few gaps, sparse temperatures."""
    injections = [START + timedelta(days=n) for n in range(0, count, 28)]
    days = []
    for n in range(count):
        if n % 11 == 6:  # a missed day now and then
            continue
        since = n % 28
        days.append(
            ChartDay(
                START + timedelta(days=n),
                pain=max(0, 6 - since // 3) if since < 15 else 2,
                swelling=2 if since < 3 else 1 if since < 7 else 0,
                warmth=1 if since < 2 else 0,
                temperature_c=36.6 + (0.9 if since == 1 else 0) if n % 3 == 0 else None,
                night_pain=max(0, 4 - since // 4),
            )
        )
    flags = [ChartFlag(i + timedelta(days=1), "info") for i in injections]
    flags.append(ChartFlag(START + timedelta(days=9), "caution"))
    return {
        "days": days,
        "injections": injections,
        "start": START,
        "end": START + timedelta(days=count - 1),
        "flags": flags,
        "goal_targets": [GoalTarget("Night pain ≦ 3", "night_pain", 3)],
        "review_date": START + timedelta(days=count - 5),
    }


def main() -> None:
    symptom_chart(**sample(7))  # warm up: font registration, matplotlib caches
    print(f"{'days':>5} {'median ms':>10} {'min ms':>8} {'SVG KiB':>8}")
    for count in (30, 90):
        kwargs = sample(count)
        timings = []
        for _ in range(RUNS):
            began = time.perf_counter()
            svg = symptom_chart(**kwargs)
            timings.append((time.perf_counter() - began) * 1000)
        median, fastest = statistics.median(timings), min(timings)
        print(f"{count:>5} {median:>10.1f} {fastest:>8.1f} {len(svg) / 1024:>8.1f}")


if __name__ == "__main__":
    main()
