"""Rate-limit counters, in a store every server process shares and no caller can evict.

A budget ("20 sign-ups an hour from one address") is only as good as its
counter. In a cache the counter is one entry among many: a small local cache
drops it as soon as callers make enough other entries (an unknown token, a new
query), and each process keeps its own. So counters live apart from the cache:

- `database` (the default, nothing to run beside `make run`): one row per key
  and window in `core_ratecounter`, incremented with one atomic upsert;
  the scheduler's `rate_counters_prune` deletes windows that have ended.
- `redis` (the default when `REDIS_URL` is set): `INCR` on a key that expires
  shortly after its window. The Redis must not evict keys under memory
  pressure (docs/deployment.md, "Counters").
"""

import logging
import time
from functools import lru_cache

from django.conf import settings
from django.db import connection, transaction

logger = logging.getLogger("linli.limits")

# A key longer than the column (core.models.RateCounter.key) is cut; ours are far shorter.
KEY_LENGTH = 200


def hit(key: str, window_start: int, window_seconds: int) -> int:
    """Count one use of `key` in the window starting at `window_start`; the uses so far."""
    if settings.LINLI_RATE_COUNTERS == "redis":
        return _redis_hit(key, window_start, window_seconds)
    return _database_hit(key[:KEY_LENGTH], window_start, window_seconds)


def _database_hit(key: str, window_start: int, window_seconds: int) -> int:
    from core.models import RateCounter

    quote = connection.ops.quote_name
    table = quote(RateCounter._meta.db_table)
    # One statement, so two processes counting at once both count (PostgreSQL
    # and SQLite 3.35+ alike). The views that count are not atomic, so a
    # count is committed at once.
    sql = (
        f"INSERT INTO {table} ({quote('key')}, {quote('window_start')}, "  # noqa: S608
        f"{quote('window_end')}, {quote('hits')}) VALUES (%s, %s, %s, 1) "
        f"ON CONFLICT ({quote('key')}, {quote('window_start')}) "
        f"DO UPDATE SET {quote('hits')} = {table}.{quote('hits')} + 1 "
        f"RETURNING {quote('hits')}"
    )
    params = [key, window_start, window_start + window_seconds]
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # A counter lost in a crash costs nothing; waiting for the disk on
        # every request cost 4 ms of a cached answer's 1 ms.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
            cursor.execute(sql, params)
            return cursor.fetchone()[0]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


@lru_cache(maxsize=1)
def _redis():
    import redis

    return redis.Redis.from_url(settings.LINLI_RATE_REDIS_URL)


def _redis_hit(key: str, window_start: int, window_seconds: int) -> int:
    import redis

    name = f"linli:rate:{key}:{window_start}"
    try:
        pipe = _redis().pipeline(transaction=True)
        pipe.incr(name)
        pipe.expire(name, window_seconds + 10)
        hits, _expiry = pipe.execute()
    except redis.RedisError:
        # Redis down is an outage of its own (the task queue lives there too);
        # answering every request with an error would make it worse.
        logger.exception("rate counter %s not counted", key)
        return 0
    return hits


def rate_counters_prune(*, now: float | None = None) -> int:
    """Delete counters of windows that have ended; returns how many."""
    from core.models import RateCounter

    if settings.LINLI_RATE_COUNTERS == "redis":
        return 0  # Redis expires them itself
    ended = int(now if now is not None else time.time())
    deleted, _by_model = RateCounter.objects.filter(window_end__lt=ended).delete()
    return deleted
