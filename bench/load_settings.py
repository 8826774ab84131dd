"""The load test's server settings: production settings, with static files collected into the
run's own temporary directory (BENCH_STATIC_ROOT) rather than the project's staticfiles/."""

import os

from config.settings import *  # noqa: F403

STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
