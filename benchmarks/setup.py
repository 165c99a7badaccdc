"""Django set-up for benchmark runs: a dedicated database per scale and engine, production-like settings."""

from __future__ import annotations

import os
import resource
import secrets
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
SCALES = ("smoke", "national", "10x")


def configure(*, scale: str, db: str) -> str:
    """Point Django at the benchmark database for ``scale`` and ``db``; return its URL."""
    OUT.mkdir(parents=True, exist_ok=True)
    if db == "postgres":
        base = os.environ.get("CNAN_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
        url = base.rsplit("/", 1)[0] + f"/cnan_bench_{scale}"
        _ensure_postgres_database(base, f"cnan_bench_{scale}")
    else:
        url = f"sqlite:///{OUT / f'bench-{scale}.sqlite3'}"
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "cnan.settings.base",
            "CNAN_ENV_FILE": "/nonexistent/cnan-bench.env",
            "CNAN_SECRET_KEY": secrets.token_urlsafe(50),
            "CNAN_ALLOWED_HOSTS": "testserver",
            "CNAN_HTTPS": "0",
            "CNAN_DATABASE_URL": url,
            "CNAN_LOCKOUT_ENABLED": "0",
            "CNAN_LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return url


def _ensure_postgres_database(base_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(base_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class Timer:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start


def best_of(n: int, fn) -> float:
    """The best wall time of ``n`` runs of ``fn`` (less noise than the mean on a shared machine)."""
    times = []
    for _ in range(n):
        with Timer() as t:
            fn()
        times.append(t.seconds)
    return min(times)
