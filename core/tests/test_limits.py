"""Rate limits hold: callers cannot reset them, and every server process counts into one store."""

import os
import secrets
import subprocess
import sys
import uuid
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections

import pytest

from core.http import client_ip, over_budget
from core.models import RateCounter

ROOT = Path(settings.BASE_DIR)
SIGN_UP = "/api/v1/subscriptions/"


def sign_up(client, email: str, **headers):
    body = {"email": email, "resident_categories": ["elderly"], "content_types": ["notice"]}
    return client.post(SIGN_UP, body, content_type="application/json", **headers)


def test_random_bearer_tokens_do_not_reset_a_blocked_address(tree, client, settings):
    settings.LINLI_SUBSCRIBE_RATE_IP = 2
    assert [sign_up(client, f"u{n}@example.org").status_code for n in range(3)] == [201, 201, 429]

    # Each unknown token used to leave an entry in the process's small cache,
    # pushing the sign-up counters out of it.
    for _ in range(400):
        client.get("/api/v1/services/", HTTP_AUTHORIZATION=f"Bearer {secrets.token_hex(16)}")

    refused = sign_up(client, "u9@example.org")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"


def _shared_database_url(tmp_path: Path) -> str:
    """A database other processes can open: the test database on PostgreSQL, else a new file."""
    if connection.vendor == "postgresql":
        conf = connection.settings_dict
        auth = conf["USER"] + (f":{conf['PASSWORD']}" if conf["PASSWORD"] else "")
        host = conf["HOST"] or "127.0.0.1"
        return f"postgres://{auth}@{host}:{conf['PORT'] or 5432}/{conf['NAME']}"
    path = tmp_path / "shared.sqlite3"
    # The counters' table only, made the way its migration makes it.
    shared = connections.create_connection("default")
    shared.settings_dict = {**shared.settings_dict, "NAME": str(path)}
    try:
        with shared.schema_editor() as editor:
            editor.create_model(RateCounter)
    finally:
        shared.close()
    return f"sqlite:///{path}"


def _env(database_url: str, **extra: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        **extra,
    }


COUNT = """
import django
django.setup()
from core.http import client_ip, over_budget
from core.models import RateCounter
refused = sum(over_budget({key!r}, 60, 3600) for _ in range(50))
print(refused)
"""


def _count_in_two_processes(key: str, env: dict) -> list[int]:
    """Two processes use one budget of 60 fifty times each, at the same time."""
    processes = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-c", COUNT.format(key=key)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        results.append(int(out.strip().splitlines()[-1]))
    return results


@pytest.mark.django_db
def test_two_processes_share_one_counter(tmp_path):
    key = f"test:{uuid.uuid4().hex}"
    refused = _count_in_two_processes(key, _env(_shared_database_url(tmp_path)))
    # 100 uses of a budget of 60: 40 refused between them, whoever came last.
    assert sum(refused) == 40


# With the Redis task backend's session (`make test-redis`, which sets the URL).
@pytest.mark.workers
@pytest.mark.skipif(not os.environ.get("LINLI_TEST_REDIS_URL"), reason="needs LINLI_TEST_REDIS_URL")
def test_two_processes_share_one_counter_in_redis(tmp_path):
    key = f"test:{uuid.uuid4().hex}"
    url = os.environ["LINLI_TEST_REDIS_URL"]
    env = _env(f"sqlite:///{tmp_path / 'unused.sqlite3'}", REDIS_URL=url, TASKS_BACKEND="database")
    assert sum(_count_in_two_processes(key, env)) == 40


@pytest.mark.django_db
def test_a_budget_counts_per_key_and_window(settings):
    assert [over_budget("test:a", 2, 60) for _ in range(3)] == [False, False, True]
    assert over_budget("test:b", 2, 60) is False
    assert over_budget("test:c", 0, 60) is False  # 0 means no limit


PROXY = "10.0.0.2"  # our proxy, the only address the hub is connected from


def test_behind_a_proxy_the_address_it_saw_is_counted_not_what_the_client_wrote(
    tree, client, settings
):
    settings.LINLI_TRUSTED_PROXIES = 1
    settings.LINLI_SUBSCRIBE_RATE_IP = 20
    statuses = [
        sign_up(
            client,
            f"r{n}@example.org",
            REMOTE_ADDR=PROXY,
            # What the client sends, then what the proxy appends: the address it saw.
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.7",
        ).status_code
        for n in range(50)
    ]
    neighbour = sign_up(
        client, "n@example.org", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.9"
    )

    assert statuses.count(201) == 20
    assert statuses.count(429) == 30
    assert neighbour.status_code == 201  # another resident behind the same proxy


@pytest.mark.parametrize(
    ("proxies", "forwarded", "address"),
    [
        (0, "192.0.2.1, 203.0.113.7", PROXY),
        (1, "192.0.2.1, 203.0.113.7", "203.0.113.7"),
        (2, "192.0.2.1, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
        (2, "203.0.113.7", "203.0.113.7"),  # one proxy was skipped: the farthest known
        (1, "", PROXY),
        (1, "192.0.2.1, not-an-address", PROXY),
        (1, "192.0.2.1, 2001:DB8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_is_counted_from_the_right(rf, settings, proxies, forwarded, address):
    settings.LINLI_TRUSTED_PROXIES = proxies
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == address


@pytest.mark.django_db
def test_the_scheduler_forgets_counters_of_ended_windows(monkeypatch):
    monkeypatch.setattr("core.http.time.time", lambda: 1_800_000_030.0)
    over_budget("test:old", 5, 60)
    monkeypatch.setattr("core.http.time.time", lambda: 1_800_000_090.0)
    over_budget("test:now", 5, 60)
    monkeypatch.setattr("core.limits.time.time", lambda: 1_800_000_090.0)

    call_command("rate_counters_prune")

    assert list(RateCounter.objects.values_list("key", flat=True)) == ["test:now"]
