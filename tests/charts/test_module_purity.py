import ast
import hashlib
import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

import diary.charts
from diary.charts import ChartDay, ChartFlag, symptom_chart

ROOT = Path(__file__).resolve().parents[2]
SOURCE = Path(diary.charts.__file__).read_text()
WATCHED = ("matplotlib.pyplot", "django", "matplotlib_fontja")
# Runs in a new interpreter, so nothing this test process imported can hide a side effect.
RENDER = f"""
import hashlib, json, sys
from tests.charts.test_module_purity import sample_svg
svg = sample_svg()
loaded = [name for name in {WATCHED!r} if name in sys.modules]
print(json.dumps({{"sha256": hashlib.sha256(svg).hexdigest(), "loaded": loaded}}))
"""


def sample_svg() -> bytes:
    start = date(2024, 4, 1)
    days = [ChartDay(start + timedelta(days=n), pain=n % 11, swelling=n % 4) for n in range(30)]
    return symptom_chart(
        days,
        injections=[start],
        start=start,
        end=start + timedelta(days=29),
        flags=[ChartFlag(start + timedelta(days=2), "info")],
    )


@pytest.fixture(scope="module")
def fresh_process() -> dict:
    done = subprocess.run(
        [sys.executable, "-c", RENDER], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def imported_modules() -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(SOURCE)):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add(node.module or "")
    return names


def test_the_module_imports_neither_pyplot_nor_django():
    names = imported_modules()
    assert not any(name.split(".")[0] == "django" for name in names)
    assert not any("pyplot" in name for name in names)
    assert "import matplotlib_fontja" not in SOURCE  # its import rewrites global rcParams


def test_rendering_loads_neither_pyplot_nor_django_nor_matplotlib_fontja(fresh_process):
    assert fresh_process["loaded"] == []


def test_a_fresh_process_renders_the_same_bytes(fresh_process):
    # Every gunicorn worker must give the same ETag for the same data.
    assert fresh_process["sha256"] == hashlib.sha256(sample_svg()).hexdigest()
