"""Read model rebuild benchmark on a throwaway database: `python -m bench.rebuild --pages 50000`.

Seeds N bulk pages (SQLite in a temporary folder; and PostgreSQL too when
--database-url or DATABASE_URL names a server, on a temporary database created
and dropped here), then times `items_rebuild` three times, each in a fresh
process: filling the empty read model, replacing every item (as after a
release that changed how items look) and a run that finds nothing to change.
Prints one table: pages, items, seconds, the CPU time of the rebuild's
processes (the writing one and its render processes), items/s and the peak
RSS of the writing process and of the largest render process. The target is
2 minutes for 50,000 pages (150,000 items).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.search import throwaway_database

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 120
RUNS = ["fill", "replace", "unchanged"]


def measure(run: str, batch_size: int) -> dict:
    """One timed rebuild in this process (run in a child): `run` says what the read model holds."""
    import django

    django.setup()
    from items.models import Item
    from items.projection import items_project_group
    from items.rebuild import items_rebuild, rebuild_keys

    if run in {"fill", "per-page"}:
        Item.objects.all().delete()
    if run == "replace":
        # Every stored item out of date, as after a release that changed the item shape.
        Item.objects.update(etag="", data="{}")
    started, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
    if run == "per-page":
        written = 0
        for key in rebuild_keys():
            written += items_project_group(translation_key=key, reason="rebuild")
        looked_at = written
    else:
        result = items_rebuild(batch_size=batch_size)
        written, looked_at = result.saved, result.groups
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu + _children_cpu() - children
    from wagtail.models import Page

    from core.content_types import content_types

    models = [content_type.page_model for content_type in content_types()]
    return {
        "pages": Page.objects.type(*models).filter(live=True).count(),
        "items": Item.objects.count(),
        "written": written,
        "looked_at": looked_at,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "render_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def _children_cpu() -> float:
    """CPU seconds of this process's ended children (the rebuild's render processes)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def child(args: list[str], env: dict) -> str:
    done = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}")
    return done.stdout


def bench_database(url: str | None, *, pages: int, batch_size: int, runs: list[str]) -> list[dict]:
    """Seed a throwaway database and time each run on it."""
    database_url, cleanup = throwaway_database(url)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "LINLI_VAR_DIR": tempfile.mkdtemp(prefix="linli-bench-rebuild-var-"),
    }
    rows = []
    try:
        child(["manage.py", "migrate", "-v0"], env)
        started = time.perf_counter()
        child(["manage.py", "seed_bulk", "--pages", str(pages), "-v0"], env)
        seeded = time.perf_counter() - started
        for run in runs:
            output = child(
                ["-m", "bench.rebuild", "--measure", run, "--batch-size", str(batch_size)], env
            )
            row = json.loads(output.strip().splitlines()[-1])
            rows.append({"database": database_url.split(":")[0], "run": run, **row})
        rows[0]["seeded"] = seeded
    finally:
        cleanup()
    return rows


def print_table(rows: list[dict]) -> None:
    header = (
        f"{'database':<10} {'run':<10} {'pages':>7} {'items':>8} {'written':>8} "
        f"{'seconds':>8} {'cpu s':>7} {'items/s':>8} {'peak RSS':>9} {'render RSS':>10}"
    )
    print(header)  # noqa: T201
    for row in rows:
        rate = row["written"] / row["seconds"] if row["written"] else row["items"] / row["seconds"]
        print(  # noqa: T201
            f"{row['database']:<10} {row['run']:<10} {row['pages']:>7} {row['items']:>8} "
            f"{row['written']:>8} {row['seconds']:>8.1f} {row['cpu_seconds']:>7.1f} {rate:>8.0f} "
            f"{row['peak_rss_mb']:>6.0f} MB {row.get('render_rss_mb', 0):>7.0f} MB"
        )
    print(  # noqa: T201
        f"target: every run ≤ {TARGET_SECONDS} s at 50,000 pages; items/s counts items "
        "written (or looked at, when none were); cpu s is the rebuild's processes' own time "
        "(the writing one and its render processes), which tells the work apart from waiting "
        "on a busy machine (PostgreSQL's own CPU not included); render RSS is the largest "
        "render process's peak"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=50_000)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="a PostgreSQL server (postgres://user@host:port) to measure besides SQLite",
    )
    parser.add_argument(
        "--per-page",
        action="store_true",
        help="also time filling the read model page by page, as publishing does (slow)",
    )
    parser.add_argument(
        "--skip-sqlite", action="store_true", help="measure only the PostgreSQL server"
    )
    parser.add_argument("--measure", choices=[*RUNS, "per-page"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))

    if args.measure:
        print(json.dumps(measure(args.measure, args.batch_size)))  # noqa: T201
        return
    runs = (["per-page"] if args.per_page else []) + RUNS
    urls: list[str | None] = [] if args.skip_sqlite else [None]
    if args.database_url.startswith(("postgres://", "postgresql://")):
        urls.append(args.database_url)
    rows = []
    for url in urls:
        rows += bench_database(url, pages=args.pages, batch_size=args.batch_size, runs=runs)
    print_table(rows)
    slow = [row for row in rows if row["run"] != "per-page" and row["seconds"] > TARGET_SECONDS]
    if slow and args.pages >= 50_000:
        sys.exit(1)


if __name__ == "__main__":
    main()
