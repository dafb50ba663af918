"""A worker killed (SIGKILL) in the middle of a fan-out, then restarted: everyone gets one delivery.

The worker and the scheduler are real processes on the task backend the hub
uses in production (the database queue; Redis too when LINLI_TEST_REDIS=1),
sharing the test database: on SQLite a copy of it in a file, on PostgreSQL
the test database itself.
"""

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

import pytest

from notices.factories import NoticePageFactory
from subscriptions.models import Address, Notification, Subscription
from subscriptions.notifications import notifications_suppressed, page_facts
from subscriptions.tokens import manage_token_hash

ROOT = Path(__file__).resolve().parents[2]
SUBSCRIBERS = 5000
SEND_BATCH = 100
BACKENDS = ["database"] + (["redis"] if os.environ.get("LINLI_TEST_REDIS") else [])

# Run in a pytest session of their own (`make test` does): flushing the shared
# database between processes must not meet other transactional tests.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.workers,
]


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


def _env(database: SharedDatabase, backend: str) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database.url,
        "TASKS_BACKEND": backend,
        "LINLI_PUSH_PLAN_BATCH": "250",
        "LINLI_PUSH_SEND_BATCH": str(SEND_BATCH),
        "LINLI_PUSH_LEASE_SECONDS": "2",
        "LINLI_PUSH_SWEEP_EVERY": "1",
        "LINLI_FEED_SWEEP_EVERY": "3600",
        "LINLI_PUBLISH_SCHEDULED_EVERY": "3600",
    }
    if backend == "redis":
        env["REDIS_URL"] = os.environ.get("LINLI_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
    return env


def _start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # so a kill takes RQ's work horse with it
    )


def _worker(backend: str, env: dict, log: Path) -> subprocess.Popen:
    if backend == "redis":
        command = ["rqworker", "default", "push", "--job-class", "django_tasks_rq.Job"]
    else:
        command = ["db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1"]
        command += ["--queue-name", "default,push"]
    return _start(command, env, log)


def _kill(process: subprocess.Popen, sig=signal.SIGKILL):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    process.wait(timeout=30)


def _wait(predicate, timeout: float, what: str, logs: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(
        f"timed out waiting for {what}\n" + logs.read_text(errors="replace")[-3000:]
    )


def _flush_redis(env: dict):
    import redis

    redis.Redis.from_url(env["REDIS_URL"]).flushdb()


@pytest.mark.parametrize("backend", BACKENDS)
def test_worker_killed_mid_fan_out_resumes_without_duplicates(tree, push_peer, tmp_path, backend):
    with notifications_suppressed():
        page = NoticePageFactory(parent=tree.a.notices, title="冬季供暖通知", audience=["elderly"])
        page.save_revision().publish()
    browsers = [push_peer.new_subscription() for _ in range(SUBSCRIBERS)]
    subscriptions = Subscription.objects.bulk_create(
        Subscription(
            token_hash=manage_token_hash(f"crash-{n}"),
            resident_categories=["elderly"],
            content_types=["notice"],
            quiet_start=None,
            quiet_end=None,
        )
        for n in range(SUBSCRIBERS)
    )
    Address.objects.bulk_create(
        Address(
            subscription=subscription,
            channel="webpush",
            address=browser["endpoint"],
            data=browser["keys"],
            confirmed_at=timezone.now(),
        )
        for subscription, browser in zip(subscriptions, browsers, strict=True)
    )
    # As publishing would have left it, with its planning not yet started by anyone.
    Notification.objects.create(
        kind=Notification.Kind.PUBLISHED,
        key="crash-1",
        page=page,
        planning_touched_at=timezone.now() - timezone.timedelta(hours=1),
        **page_facts(page),
    )
    database = SharedDatabase(tmp_path)
    env = _env(database, backend)
    if backend == "redis":
        _flush_redis(env)
    log = tmp_path / "processes.log"
    planned = "SELECT count(*) FROM subscriptions_delivery"
    unplanned = "SELECT count(*) FROM subscriptions_notification WHERE planned_at IS NULL"
    sent = "SELECT count(*) FROM subscriptions_delivery WHERE status = 'sent'"

    subprocess.run([sys.executable, "manage.py", "push_sweep"], cwd=ROOT, env=env, check=True)
    worker = _worker(backend, env, log)
    try:
        _wait(lambda: database.scalar(planned) >= 750, 120, "the fan-out to start", log)
    finally:
        _kill(worker)
    # The kill landed in the middle of the fan-out.
    assert database.scalar(unplanned) == 1
    assert database.scalar(planned) < SUBSCRIBERS

    worker = _worker(backend, env, log)
    scheduler = _start(["run_scheduler"], env, log)
    try:
        _wait(
            lambda: database.scalar(sent) >= SUBSCRIBERS and database.scalar(unplanned) == 0,
            240,
            "every delivery to be sent and the fan-out to finish",
            log,
        )
    finally:
        _kill(worker, signal.SIGTERM)
        _kill(scheduler, signal.SIGTERM)

    assert database.scalar(planned) == SUBSCRIBERS
    assert (
        database.scalar("SELECT count(DISTINCT subscription_id) FROM subscriptions_delivery")
        == SUBSCRIBERS
    )
    assert database.scalar(unplanned) == 0
    assert push_peer.rejections == []
    received = {message.endpoint for message in push_peer.messages}
    assert received == {browser["endpoint"] for browser in browsers}
    # At most the batch in flight at the kill was sent twice; push services drop
    # such a repeat by its Topic.
    assert len(push_peer.messages) - SUBSCRIBERS <= SEND_BATCH
    assert settings.LINLI_PUSH_SEND_BATCH  # the suite's own setting is untouched
