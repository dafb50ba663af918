"""Front-end benchmark on the demo street, served by gunicorn under production settings: `python -m bench.fronts`.

Measures in Debian's Chromium (Playwright):
- the resident home page's first load: bytes on the wire (compressed, images
  excluded) and time to the load event, on a fast loopback and on an emulated
  slow phone network (400 kbit/s, 400 ms round trip, CPU slowed 4x);
- the kiosk's launch to a usable home screen (category tiles and a synced
  status line): cold (new device: no service worker, empty storage, full sync
  of three locales) and warm (restart with the app and content on the device).
Prints one table with the targets.
"""

from __future__ import annotations

import argparse
import statistics
import time

from playwright.sync_api import sync_playwright

from bench.api import BenchError, Environment, bench_print

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
HOME_BUDGET_KB = 150
SLOW_NETWORK = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 400 * 1024 / 8,
    "uploadThroughput": 400 * 1024 / 8,
}
NEW_KIOSK = """
from kiosks.operations import kiosk_create
_kiosk, token = kiosk_create(name="bench")
print("BENCH " + __import__("json").dumps({"token": token}))
"""


def page_weight(browser, url: str, *, slow: bool) -> tuple[int, float]:
    """Bytes on the wire (images excluded) and seconds to the load event, in a fresh context."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    if slow:
        cdp.send("Network.emulateNetworkConditions", SLOW_NETWORK)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    kinds: dict[str, str] = {}
    sizes: dict[str, int] = {}
    cdp.on("Network.responseReceived", lambda e: kinds.__setitem__(e["requestId"], e["type"]))
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])),
    )
    started = time.perf_counter()
    page.goto(url, wait_until="load")
    loaded = time.perf_counter() - started
    page.wait_for_timeout(500)  # late module and suggestion requests, if any
    total = sum(size for rid, size in sizes.items() if kinds.get(rid) != "Image")
    context.close()
    return total, loaded


def kiosk_launch(browser, base: str, token: str, runs: int) -> tuple[list[float], list[float]]:
    """Seconds from navigation to a usable home screen, cold and warm."""
    cold, warm = [], []
    usable = "html[data-ready=true] a.tile"
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1920, "height": 1080})
        page = context.new_page()
        started = time.perf_counter()
        page.goto(f"{base}/kiosk/#token={token}")
        page.wait_for_selector(usable, timeout=60_000)
        page.wait_for_function("document.querySelector('#status').textContent.includes('更新')")
        cold.append(time.perf_counter() - started)
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.wait_for_timeout(300)
        page.close()
        page = context.new_page()
        started = time.perf_counter()
        page.goto(f"{base}/kiosk/")
        page.wait_for_selector(usable, timeout=60_000)
        warm.append(time.perf_counter() - started)
        context.close()
    return cold, warm


def run(args: argparse.Namespace, environment: Environment) -> None:
    environment.manage("migrate", "--no-input", "-v0")
    environment.manage("collectstatic", "--no-input", "-v0")
    environment.manage("seed_demo", "--accounts-file", str(environment.folder / "accounts.json"))
    token = environment.shell(NEW_KIOSK)["token"]
    port = environment.serve(cache=True)
    base = f"http://127.0.0.1:{port}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page_weight(browser, f"{base}/", slow=False)  # warm the server's caches
            home_bytes, home_fast = page_weight(browser, f"{base}/", slow=False)
            _bytes, home_slow = page_weight(browser, f"{base}/", slow=True)
            detail_bytes, _time = page_weight(
                browser, f"{base}/services/elderly-canteen/", slow=False
            )
            cold, warm = kiosk_launch(browser, base, token, args.runs)
        finally:
            browser.close()
    kb = home_bytes / 1024
    bench_print(
        "",
        f"Fronts on the demo street ({environment.database}, gunicorn {environment.workers} workers,"
        f" Chromium headless, median of {args.runs} kiosk launches)",
        "",
        "| measure | value | target |",
        "|---|---:|---|",
        f"| resident home, first load, bytes on the wire (images excluded) | {kb:.1f} KB |"
        f" < {HOME_BUDGET_KB} KB ({'met' if kb < HOME_BUDGET_KB else 'MISSED'}) |",
        f"| resident home, load event, loopback | {home_fast * 1000:.0f} ms | - |",
        f"| resident home, load event, slow phone (400 kbit/s, 400 ms RTT, CPU/4) |"
        f" {home_slow * 1000:.0f} ms | - |",
        f"| resident service page, bytes on the wire | {detail_bytes / 1024:.1f} KB | - |",
        f"| kiosk launch to usable home, cold (empty device, full sync) |"
        f" {statistics.median(cold) * 1000:.0f} ms | reported |",
        f"| kiosk launch to usable home, warm (app and content on the device) |"
        f" {statistics.median(warm) * 1000:.0f} ms | reported |",
    )
    if kb >= HOME_BUDGET_KB:
        raise BenchError(f"the resident home page transfers {kb:.1f} KB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="kiosk launches to take the median of")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    environment = Environment(workers=args.workers, folder=None)
    try:
        run(args, environment)
    except BenchError as error:
        raise SystemExit(f"bench failed: {error}") from None
    finally:
        environment.close()


if __name__ == "__main__":
    main()
