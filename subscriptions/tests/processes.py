"""Real worker and scheduler processes on a database shared with the test, for the crash tests.

The worker and the scheduler run on the task backend the hub uses in
production (the database queue; Redis too when LINLI_TEST_REDIS=1), sharing
the test database: on SQLite a copy of it in a file, on PostgreSQL the test
database itself.
"""

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
BACKENDS = ["database"] + (["redis"] if os.environ.get("LINLI_TEST_REDIS") else [])


class SharedDatabase:
    """The database as the worker processes see it, and plain SQL against it from here."""

    def __init__(self, tmp_path: Path):
        vendor = connection.vendor
        self.vendor = vendor
        if vendor == "sqlite":
            self.path = tmp_path / "shared.sqlite3"
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM INTO '{self.path}'")
            self.url = f"sqlite:///{self.path}"
        else:
            conf = connection.settings_dict
            auth = conf["USER"] + (f":{conf['PASSWORD']}" if conf["PASSWORD"] else "")
            self.url = (
                f"postgres://{auth}@{conf['HOST'] or '127.0.0.1'}:{conf['PORT'] or 5432}/"
                f"{conf['NAME']}"
            )

    def scalar(self, sql: str):
        if self.vendor == "sqlite":
            with sqlite3.connect(self.path, timeout=20) as db:
                return db.execute(sql).fetchone()[0]
        import psycopg

        with psycopg.connect(self.url) as db:
            return db.execute(sql).fetchone()[0]


def worker_env(database: SharedDatabase, backend: str, **extra: str) -> dict:
    """The environment of the test's processes: its database and backend, quick leases and sweeps."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database.url,
        "TASKS_BACKEND": backend,
        "LINLI_PUSH_LEASE_SECONDS": "2",
        "LINLI_PUSH_SWEEP_EVERY": "1",
        "LINLI_FEED_SWEEP_EVERY": "3600",
        "LINLI_PUBLISH_SCHEDULED_EVERY": "3600",
        **extra,
    }
    if backend == "redis":
        env["REDIS_URL"] = os.environ.get("LINLI_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
        import redis

        redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    return env


def start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # so a kill takes RQ's work horse with it
    )


def manage(command: list[str], env: dict) -> None:
    subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)  # noqa: S603


def worker(backend: str, env: dict, log: Path) -> subprocess.Popen:
    if backend == "redis":
        command = ["rqworker", "default", "push", "--job-class", "django_tasks_rq.Job"]
    else:
        command = ["db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1"]
        command += ["--queue-name", "default,push"]
    return start(command, env, log)


def kill(process: subprocess.Popen, sig=signal.SIGKILL):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    process.wait(timeout=30)


def wait(predicate, timeout: float, what: str, logs: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError(
        f"timed out waiting for {what}\n" + logs.read_text(errors="replace")[-3000:]
    )
