"""Search benchmark on a throwaway database with 10,000 pages: `python -m bench.search`.

Uses a temporary SQLite file, or, when DATABASE_URL names PostgreSQL, a
temporary database on that server (created and dropped here). Prints one table:
search p50/p95 and suggest p95 through the API, index build time, and the
memory the dictionaries add to each process.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]

QUERIES = [
    "养老",
    "養老",
    "yanglao",
    "ylfw",
    "助餐",
    "低保",
    "低保怎么申请",
    "高龄津贴",
    "gljt",
    "czft",
    "长者饭堂",
    "残疾人补贴",
    "殘疾人補貼",
    "低宝申请",
    "yanglap",
    "zhucna",
    "家庭医生",
    "重阳节活动",
    "老人吃饭",
    "elderly meals",
]
SUGGEST_PREFIXES = [
    "y",
    "ya",
    "yan",
    "yang",
    "yangl",
    "养",
    "养老",
    "z",
    "zh",
    "cz",
    "czf",
    "低",
    "dib",
    "jt",
]

MEMORY_PROBE = """
import os
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
import django
from django.conf import settings
before = rss()
from search import analysis
from search.chinese import to_simplified, to_traditional
analysis.load()
analysis.document_terms(title="居家养老服务站提供助餐助洁服务", keywords="ylfw", body="長者飯堂")
to_traditional("养老", variant="tw"); to_traditional("养老", variant="hk"); to_simplified("養老")
print(rss() - before)
"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def throwaway_database(url: str | None) -> tuple[str, callable]:
    """A database URL for the run and a function that removes it afterwards."""
    if url and url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlsplit(url)
        name = f"linli_bench_{uuid.uuid4().hex[:8]}"
        admin_url = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')

        def drop():
            with psycopg.connect(admin_url, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return urlunsplit(parts._replace(path=f"/{name}")), drop
    folder = tempfile.mkdtemp(prefix="linli-bench-")

    def remove():
        for path in Path(folder).glob("*"):
            path.unlink()
        Path(folder).rmdir()

    return f"sqlite:///{folder}/bench.sqlite3", remove


def run(pages: int, rounds: int) -> list[tuple[str, str, str]]:
    import django
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    django.setup()
    from search.models import SearchTerm
    from search.operations import search_index_rebuild

    call_command("migrate", verbosity=0)
    call_command("seed_bulk", pages=pages, verbosity=0, stdout=io.StringIO())
    started = time.perf_counter()
    indexed = search_index_rebuild()
    build = time.perf_counter() - started
    postings = SearchTerm.objects.count()

    client = Client(HTTP_HOST="127.0.0.1")
    for query in QUERIES:  # warm-up: first requests pay for imports and caches
        client.get("/api/v1/search/", {"q": query})
    client.get("/api/v1/search/suggest/", {"q": "y"})
    search_times, suggest_times = [], []
    for _ in range(rounds):
        for query in QUERIES:
            started = time.perf_counter()
            response = client.get("/api/v1/search/", {"q": query, "limit": 10})
            search_times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise RuntimeError(response.content)
        for prefix in SUGGEST_PREFIXES:
            started = time.perf_counter()
            response = client.get("/api/v1/search/suggest/", {"q": prefix})
            suggest_times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise RuntimeError(response.content)

    probe = subprocess.run(  # noqa: S603 - our own interpreter, fixed code
        [sys.executable, "-c", MEMORY_PROBE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    memory = float(probe.stdout.strip().splitlines()[-1])
    vendor = connection.vendor
    return [
        ("database", vendor, ""),
        ("pages indexed", f"{indexed}", f"{postings} postings"),
        ("index build", f"{build:.1f} s", "target ≤ 60 s"),
        ("search p50", f"{percentile(search_times, 0.5):.1f} ms", f"{len(search_times)} requests"),
        ("search p95", f"{percentile(search_times, 0.95):.1f} ms", "target ≤ 50 ms"),
        ("suggest p50", f"{statistics.median(suggest_times):.1f} ms", ""),
        ("suggest p95", f"{percentile(suggest_times, 0.95):.1f} ms", "target ≤ 20 ms"),
        ("dictionary memory", f"{memory:.0f} MB", "per process, target ≤ 200 MB"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=10, help="passes over the query list")
    args = parser.parse_args()

    url, cleanup = throwaway_database(os.environ.get("DATABASE_URL"))
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    # Measure the search, not the answer cache, and do not run into the per-minute budget.
    os.environ["LINLI_API_CACHE"] = "false"
    os.environ["LINLI_API_ANON_RATE"] = "0"
    os.environ.setdefault("LINLI_VAR_DIR", tempfile.mkdtemp(prefix="linli-bench-var-"))
    sys.path.insert(0, str(ROOT))
    try:
        rows = run(args.pages, args.rounds)
    finally:
        from django.db import connections

        connections.close_all()
        cleanup()
    width = max(len(name) for name, _, _ in rows)
    print(f"{'measure':<{width}}  {'value':>12}  note")  # noqa: T201
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>12}  {note}")  # noqa: T201


if __name__ == "__main__":
    main()
