"""API benchmark on a throwaway hub with 10,000 pages, served by gunicorn on loopback: `python -m bench.api`.

Seeds a temporary LINLI_VAR_DIR (SQLite; or the database DATABASE_URL names,
which must then be a throwaway one), fills the API's read model with
`items_rebuild`, serves it with gunicorn under the production settings (once
with the response cache, once without) and drives it with wrk. Prints one
table: requests/s and p50/p99 latency per scenario, the ratios the issue sets
as targets, and the query count of a list at limit=5 and limit=100.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
from pathlib import Path
from urllib.parse import quote

from bench.api_setup import HEALTHZ, Environment, Result, Wrk, expect
from bench.common import BenchError, bench_print, step

STOCK_LIST = "/api/wagtail/v2/pages/?type=services.ServicePage&fields=*&limit=20"
LIST = "/api/v1/services/?limit=20"
FEED = "/api/v1/feed/"

# wrk prints this line at the end of a run; latencies are in microseconds.
QUERY_COUNT = """
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

client = Client(HTTP_HOST="127.0.0.1")
counts = {}
for path in PATHS:
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path}: {response.status_code} {response.content[:300]!r}")
    counts[path] = len(queries)
print("BENCH " + json.dumps(counts))
"""

# Run in `manage.py shell`: 20 changes a kiosk must hear about, 4 of them removals.
PUBLISH_CHANGES = """
import json
from wagtail.models import Locale
from items.selectors import content_version
from services.models import ServicePage

before = content_version()
pages = list(ServicePage.objects.live().filter(locale=Locale.get_default()).order_by("-id")[:20])
for page in pages[:16]:
    page.summary = (page.summary + " （已更新）")[:250]
    page.save_revision().publish()
for page in pages[16:]:
    page.unpublish()
print("BENCH " + json.dumps({"pages": len(pages), "changes": content_version() - before}))
"""


def snapshot_cursor(port: int) -> tuple[str, int, int]:
    """Page through the feed's full snapshot like a new kiosk; returns the cursor, items, requests."""
    path, items, requests = f"{FEED}?limit=100", 0, 0
    while True:
        _headers, body = expect(port, path, 200)
        page = json.loads(body)
        items += len(page["entries"])
        requests += 1
        if not page["has_more"]:
            return page["next"], items, requests
        path = f"{FEED}?limit=100&cursor={quote(page['next'])}"


def run(args: argparse.Namespace, environment: Environment) -> None:
    bench_print(
        f"Linli API benchmark: {args.pages} pages, {environment.database}, gunicorn "
        f"{args.workers} sync workers, wrk {args.threads} threads × {args.connections} "
        f"connections, {args.seconds} s per scenario"
    )
    seeded = environment.folder / "bench-seeded.json"
    if seeded.exists():
        rebuilt, rebuild_seconds = json.loads(seeded.read_text())
        bench_print(f"  reusing the hub seeded in {environment.folder}")
    else:
        step("migrate", lambda: environment.manage("migrate", "--no-input"))
        step("seed_demo", lambda: environment.manage("seed_demo"))
        step(
            f"seed_bulk --pages {args.pages}",
            lambda: environment.manage("seed_bulk", "--pages", str(args.pages), "--verbosity", "0"),
        )
        rebuilt, rebuild_seconds = step(
            "items_rebuild", lambda: environment.manage("items_rebuild")
        )
        rebuilt = rebuilt.strip().splitlines()[-1]
        if environment.keep:
            seeded.write_text(json.dumps([rebuilt, rebuild_seconds]))

    counts = environment.shell(
        "PATHS = "
        + repr(
            [
                "/api/v1/services/?limit=5",
                "/api/v1/services/?limit=100",
                "/api/wagtail/v2/pages/?type=services.ServicePage&fields=*&limit=5",
                "/api/wagtail/v2/pages/?type=services.ServicePage&fields=*&limit=20",
            ]
        )
        + QUERY_COUNT,
        LINLI_API_CACHE="false",
    )

    warm = environment.serve(cache=True)
    cold = environment.serve(cache=False)
    # Everything shares the machine's cores with the servers; other work skews the numbers.
    bench_print(
        "  load average before measuring: " + ", ".join(f"{v:.1f}" for v in os.getloadavg())
    )
    wrk = Wrk(
        environment.folder,
        seconds=args.seconds,
        threads=args.threads,
        connections=args.connections,
    )

    _headers, stock_body = expect(warm, STOCK_LIST, 200)
    headers, list_body = expect(warm, LIST, 200)
    stock_items = len(json.loads(stock_body)["items"])
    list_items = len(json.loads(list_body)["results"])
    etag = headers["ETag"]
    expect(warm, LIST, 304, {"If-None-Match": etag})

    results = [
        wrk.measure("/healthz", warm, HEALTHZ),
        wrk.measure(
            "wagtail v2 pages fields=* limit=20",
            warm,
            STOCK_LIST,
            note=f"{stock_items} items, {len(stock_body) // 1024} KiB",
        ),
        wrk.measure(
            "services limit=20, cold",
            cold,
            LIST,
            note=f"{list_items} items, {len(list_body) // 1024} KiB, cache off",
        ),
        wrk.measure("services limit=20, warm", warm, LIST, note="server cache on"),
        wrk.measure(
            "services limit=20, 304", warm, LIST, headers={"If-None-Match": etag}, note="ETag"
        ),
    ]

    (cursor, snapshot_items, snapshot_requests), snapshot_seconds = step(
        "feed snapshot (limit=100 pages)", lambda: snapshot_cursor(warm)
    )
    changed, _ = step(
        "publish 16 edits + 4 unpublishes", lambda: environment.shell(PUBLISH_CHANGES)
    )
    delta = f"{FEED}?cursor={quote(cursor)}"
    _headers, delta_body = expect(warm, delta, 200)
    delta_page = json.loads(delta_body)
    if delta_page["mode"] != "delta" or not delta_page["entries"]:
        raise BenchError(f"the feed delta is not a delta: {delta_body[:300]!r}")
    deleted = sum(entry["op"] == "deleted" for entry in delta_page["entries"])
    delta_note = f"{len(delta_page['entries'])} entries ({deleted} deleted)"
    results += [
        wrk.measure("feed delta, cold", cold, delta, note=delta_note + ", cache off"),
        wrk.measure("feed delta, warm", warm, delta, note=delta_note + ", cache on"),
    ]

    report(
        args,
        results,
        counts=counts,
        rebuilt=rebuilt,
        rebuild_seconds=rebuild_seconds,
        snapshot=(snapshot_items, snapshot_requests, snapshot_seconds),
        changed=changed,
    )


def report(
    args: argparse.Namespace,
    results: list[Result],
    *,
    counts: dict,
    rebuilt: str,
    rebuild_seconds: float,
    snapshot: tuple[int, int, float],
    changed: dict,
) -> None:
    by_name = {result.scenario: result for result in results}
    healthz = by_name["/healthz"].rate
    stock = by_name["wagtail v2 pages fields=* limit=20"].rate
    warm = by_name["services limit=20, warm"].rate
    cold = by_name["services limit=20, cold"].rate
    width = max(len(result.scenario) for result in results)
    bench_print(
        "",
        f"{'scenario':<{width}}  {'req/s':>8}  {'p50 ms':>8}  {'p99 ms':>8}  {'requests':>8}  note",
    )
    for result in results:
        bench_print(
            f"{result.scenario:<{width}}  {result.rate:8.0f}  {result.p50_ms:8.1f}  "
            f"{result.p99_ms:8.1f}  {result.requests:8d}  {result.note}"
        )
    list_5, list_100, stock_5, stock_20 = counts.values()
    targets = [
        ("warm list / healthz", warm / healthz, "≥ 0.50", warm / healthz >= 0.5),
        ("cold list / stock wagtail list", cold / stock, "≥ 3.0", cold / stock >= 3),
        (
            "queries, services limit=5 vs 100",
            f"{list_5} vs {list_100}",
            "equal",
            list_5 == list_100,
        ),
    ]
    bench_print("", f"{'target':<{width}}  {'value':>8}  {'goal':>8}  met")
    for name, value, goal, met in targets:
        shown = f"{value:.2f}" if isinstance(value, float) else value
        bench_print(f"{name:<{width}}  {shown:>8}  {goal:>8}  {'yes' if met else 'NO'}")
    items, requests, seconds = snapshot
    bench_print(
        "",
        f"queries, wagtail v2 limit=5 vs 20 (its maximum): {stock_5} vs {stock_20}",
        f"items_rebuild: {rebuilt} in {rebuild_seconds:.1f} s (wall, including start-up)",
        f"feed snapshot: {items} items in {requests} requests, {seconds:.1f} s; then "
        f"{changed['pages']} pages changed, {changed['changes']} change rows logged",
    )
    if not all(met for *_rest, met in targets):
        raise SystemExit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=10, help="measured seconds per scenario")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument(
        "--var-dir",
        type=Path,
        help="keep the hub in this LINLI_VAR_DIR and reuse it next time (skips seeding)",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk (make bench does it).")

    # Ctrl-C (even when started in the background) and SIGTERM (a CI timeout) both clean up.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    environment = Environment(workers=args.workers, folder=args.var_dir)
    try:
        run(args, environment)
    except BenchError as error:
        raise SystemExit(f"bench failed: {error}") from None
    except KeyboardInterrupt:
        raise SystemExit("bench interrupted; servers stopped, temporary files removed") from None
    finally:
        environment.close()


if __name__ == "__main__":
    main()
