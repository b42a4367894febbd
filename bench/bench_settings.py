"""Settings for the benchmark's gunicorn (bench/throughput.py): the app's own, plus the floor view's URL."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
