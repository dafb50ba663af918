"""Push benchmark on a throwaway hub with 100,000 subscribers: `python -m bench.push`.

Migrates a temporary SQLite database, seeds the demo street office in it and
runs the tasks seeding queued. Then fans one published notice out to N web
push subscriptions (sent to a loopback HTTP sink answering 201, payload
encryption included) and to N confirmed email addresses (sent to a loopback
SMTP server). Planning runs in this process; sending runs in one
`manage.py db_worker` process per channel, started after the send tasks are
queued (as planning queues them: one per LINLI_PUSH_SEND_BATCH deliveries).
While the web push worker idles afterwards, a fresh notice is published
through Wagtail and the time until the sink hears of it is taken. Sending
stops after a time window (--push-seconds, --email-seconds); the rate is then
measured on what was sent. Prints one Markdown table with the targets and
which of them are met.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import sys
import time
from pathlib import Path

from bench.common import BenchError, bench_print
from bench.common import step as timed_step
from bench.push_setup import (
    Fanout,
    Hub,
    Worker,
    failure_sample,
    halt,
    pending,
    sends_enqueue,
    smtp_counter,
    smtp_env,
    statuses,
    subscriptions_create,
)

ROOT = Path(__file__).resolve().parents[1]

TARGET_PLANNING = 20_000  # deliveries planned per second
TARGET_RATE = 1_000  # web push messages per second per worker process, encryption included
TARGET_FIRST = 2.0  # seconds from publish to the first message
TARGET_RSS = 250  # MB peak resident memory of a worker


def step(label: str, action):
    return timed_step(label, action, width=44)


def notice_pick(*, urgent: bool = False):
    """A live, current default-locale notice for the elderly (or for all) whose message renders;
    an urgent one or one that is not."""
    from wagtail.models import Locale

    from notices.models import NoticePage
    from subscriptions.messages import MessageBuilder
    from subscriptions.models import Notification
    from subscriptions.notifications import page_facts

    pages = (
        NoticePage.objects.live()
        .current()
        .filter(locale=Locale.get_default(), audience__code__in=["elderly", "all"])
        .distinct()
        .order_by("pk")
    )
    if urgent:
        pages = pages.filter(urgency=NoticePage.Urgency.URGENT)
    else:
        pages = pages.exclude(urgency=NoticePage.Urgency.URGENT)
    builder = MessageBuilder()
    for page in pages:
        facts = page_facts(page)
        probe = Notification(kind=Notification.Kind.PUBLISHED, key="probe", **facts)
        if builder.for_notification(probe, "zh-hans") is not None:
            return page, facts
    kind = "urgent notice" if urgent else "notice"
    raise BenchError(f"the demo has no current {kind} for the elderly with an API item")


def plan(key: str, page, facts: dict) -> tuple[int, int, float]:
    """Create a notification like publishing does and plan it here; (id, deliveries, seconds)."""
    from subscriptions.models import Notification
    from subscriptions.planning import notification_plan_batch

    notification = Notification.objects.create(
        kind=Notification.Kind.PUBLISHED, key=key, page=page, **facts
    )
    started = time.perf_counter()
    due = 0
    more = True
    while more:
        more, batch_due = notification_plan_batch(notification.pk)
        due += batch_due
    elapsed = time.perf_counter() - started
    notification.refresh_from_db()
    if due != notification.audience_size:
        raise BenchError(f"{notification.audience_size} deliveries planned but only {due} due now")
    return notification.pk, due, elapsed


def plan_queued(key: str, page, facts: dict, result: Fanout) -> int:
    """Plan a notification (`plan`), queue its send tasks, note and print both; its id."""
    notification_id, result.planned, result.planning_seconds = plan(key, page, facts)
    bench_print(
        f"  {'planning':<44} {result.planning_seconds:8.1f} s  "
        f"{result.planned} deliveries, {result.planning_rate:.0f}/s"
    )
    tasks = sends_enqueue(notification_id, result.planned)
    bench_print(f"  {'send tasks queued':<44} {tasks:8d}")
    return notification_id


def idle(worker: Worker, timeout: float = 60) -> None:
    """Wait until the worker has no task running or queued."""
    from django_tasks_db.models import DBTaskResult

    deadline = time.monotonic() + timeout
    mine = DBTaskResult.objects.filter(queue_name="push")
    while mine.ready().exists() or mine.running().exists():
        worker.sample()
        if time.monotonic() > deadline:
            raise BenchError(f"the worker was still busy after {timeout:.0f} s")
        time.sleep(0.1)


def drain(worker: Worker, peer, *, notification_id: int, expected: int, seconds: float, result):
    """Wait until `expected` messages arrived, nothing is left to send, or `seconds` of
    sending passed (then the rest is cancelled)."""
    started = time.monotonic()
    checked = started
    cpu_from = None
    while peer.count < expected:
        worker.sample()
        now = time.monotonic()
        if peer.first_at is None:
            if now - started > 120:
                raise BenchError(
                    "no message arrived within 120 s:\n"
                    + worker.log.read_text(errors="replace")[-3000:]
                )
        elif cpu_from is None:
            cpu_from = (worker.cpu_seconds(), peer.count)
        elif now - peer.first_at > seconds:
            result.capped = True
            halt(notification_id)
            break
        if now - checked > 2:
            checked = now
            if not pending(notification_id):
                break
        time.sleep(0.05)
    idle(worker)
    deadline = time.monotonic() + 30
    while pending(notification_id) and time.monotonic() < deadline:
        time.sleep(0.1)
    worker.sample()
    if cpu_from is not None and peer.count > cpu_from[1]:
        result.cpu_ms = (worker.cpu_seconds() - cpu_from[0]) * 1000 / (peer.count - cpu_from[1])


def deliver(
    worker: Worker, peer, *, notification_id: int, due: int, seconds: float, result: Fanout
) -> None:
    """Run one worker over the queued sends and record its rate, outcomes and peak memory."""
    drain(
        worker,
        peer,
        notification_id=notification_id,
        expected=due,
        seconds=seconds,
        result=result,
    )
    result.received = peer.count
    result.capped = result.capped and result.received < result.planned
    result.sending_seconds = (peer.last_at or 0) - (peer.first_at or 0)
    result.statuses = statuses(notification_id)
    result.peak_mb = worker.peak_mb
    if not result.statuses.get("sent"):
        raise BenchError(f"nothing was sent: {result.statuses}\n{failure_sample(notification_id)}")
    bench_print(
        f"  {'received':<44} {result.received:8d}  in {result.sending_seconds:.1f} s, "
        f"{result.rate:.0f}/s, worker CPU {result.cpu_ms:.2f} ms per message"
        + (" (window over, rest cancelled)" if result.capped else ""),
        f"  {'delivery statuses':<44} "
        + ", ".join(f"{status} {count}" for status, count in result.statuses.items()),
    )
    sample = failure_sample(notification_id)
    if sample:
        bench_print(f"  first error: {sample}")


def notice_draft(template, title: str):
    """A new unpublished notice beside `template`, for the same audience; returns its revision."""
    from notices.models import NoticePage

    draft = NoticePage(
        title=title,
        slug=f"bench-{secrets.token_hex(4)}",
        summary="请老人注意保暖，按时服药。",
        live=False,
        notify_subscribers=True,
    )
    draft.audience = list(template.audience.all())
    template.get_parent().add_child(instance=draft)
    return draft.save_revision()


def notice_publish(template, sink, worker: Worker) -> float:
    """Publish a new notice for the same audience; seconds until the sink gets its first message."""
    from subscriptions.notifications import notifications_suppressed

    # A first publish in a process imports and builds what later ones reuse (URLs, converters);
    # an editor's publish runs in a web process that has done that long ago.
    with notifications_suppressed():
        notice_draft(template, "基准测试：预热").publish()
    revision = notice_draft(template, "基准测试：冬季老人健康提醒")
    idle(worker)
    time.sleep(1)  # let the worker fall back to polling its empty queue
    sink.reset()
    started = time.monotonic()
    revision.publish()
    published = time.monotonic() - started
    deadline = started + 60
    while sink.first_at is None:
        worker.sample()
        if time.monotonic() > deadline:
            raise BenchError("the fresh notice reached nobody within 60 s")
        time.sleep(0.005)
    first = sink.first_at - started
    bench_print(
        f"  {'publish() returned after':<44} {published:8.2f} s",
        f"  {'first message at the sink after':<44} {first:8.2f} s",
    )
    return first


def webpush(hub: Hub, count: int, seconds: float) -> tuple[Fanout, float]:
    from django.utils import timezone

    from subscriptions.models import Address, Notification
    from tests.peers.sink import FastSink

    result = Fanout()
    bench_print("", "Web push")
    with FastSink() as sink:
        step(
            f"{count} subscriptions (bulk_create)",
            lambda: subscriptions_create(count, prefix="push", push_url=sink.url),
        )
        page, facts = notice_pick()
        bench_print(f"  notice: #{page.pk} {facts['title']} ({', '.join(facts['audience'])})")
        notification_id = plan_queued("bench-1", page, facts, result)
        worker = hub.worker("webpush")
        deliver(
            worker,
            sink,
            notification_id=notification_id,
            due=result.planned,
            seconds=seconds,
            result=result,
        )
        result.connections = sink.connections
        first = notice_publish(page, sink, worker)
        worker.sample()
        result.peak_mb = worker.peak_mb
        worker.stop()
        fresh = Notification.objects.exclude(pk=notification_id).latest("pk")
        halt(fresh.pk)
    # The email fan-out is measured on its own subscribers.
    Address.objects.filter(channel="webpush", active=True).update(
        active=False, updated_at=timezone.now()
    )
    return result, first


def email(hub: Hub, count: int, seconds: float, page, facts: dict) -> Fanout:
    result = Fanout()
    bench_print("", "Email")
    with smtp_counter() as peer:
        step(
            f"{count} subscriptions (bulk_create)",
            lambda: subscriptions_create(count, prefix="mail"),
        )
        notification_id = plan_queued("bench-2", page, facts, result)
        worker = hub.worker("email", **smtp_env(peer))
        deliver(
            worker,
            peer,
            notification_id=notification_id,
            due=result.planned,
            seconds=seconds,
            result=result,
        )
        worker.stop()
    return result


def report(count: int, push: Fanout, first: float, mail: Fanout) -> None:
    def rate(result: Fanout) -> str:
        shown = f"{result.rate:,.0f}"
        if result.capped:
            shown += (
                f" (first {result.received:,} of {result.planned:,}, "
                f"{result.sending_seconds:.0f} s window)"
            )
        return shown

    rows = [
        (
            "planning deliveries/s",
            f"{push.planning_rate:,.0f}",
            f"{mail.planning_rate:,.0f}",
            f"≥ {TARGET_PLANNING:,}",
        ),
        (
            "delivery rate per worker (msg/s)",
            rate(push),
            rate(mail),
            f"≥ {TARGET_RATE:,} (web push)",
        ),
        ("publish → first delivery (s)", f"{first:.2f}", "–", f"≤ {TARGET_FIRST:g}"),
        ("worker peak RSS (MB)", f"{push.peak_mb:.0f}", f"{mail.peak_mb:.0f}", f"< {TARGET_RSS}"),
        (
            "worker CPU per message (ms)",
            f"{push.cpu_ms:.2f}",
            f"{mail.cpu_ms:.2f}",
            "– (≤ 1 for 1,000/s)",
        ),
    ]
    bench_print(
        "",
        f"{count:,} subscriptions per channel, SQLite, one db_worker process per channel",
        "",
        "| measure | web push | email | target |",
        "|---|---:|---:|---|",
        *(f"| {' | '.join(row)} |" for row in rows),
    )
    targets = [
        ("planning", push.planning_rate >= TARGET_PLANNING),
        ("web push rate", push.rate >= TARGET_RATE),
        ("publish → first delivery", first <= TARGET_FIRST),
        ("worker RSS", push.peak_mb < TARGET_RSS and mail.peak_mb < TARGET_RSS),
    ]
    bench_print(
        "",
        f"web push: {push.received:,} requests over {push.connections:,} connections to the sink; "
        f"email: {mail.received:,} messages to the SMTP peer",
        "load average at the end: " + ", ".join(f"{v:.1f}" for v in os.getloadavg()),
    )
    met = [name for name, ok in targets if ok]
    missed = [name for name, ok in targets if not ok]
    bench_print(
        "",
        f"Targets met: {', '.join(met) or 'none'}"
        + (f"; missed: {', '.join(missed)}." if missed else " (all)."),
    )


def hub_prepare(hub: Hub) -> None:
    """Migrate, seed the demo and run what seeding queued; then set Django up here."""
    step("migrate", lambda: hub.manage("migrate", "--no-input"))
    step("seed_demo", lambda: hub.manage("seed_demo"))
    # Seeding leaves API projection tasks queued; run them now so the measured workers only push.
    step(
        "db_worker --batch (tasks left by seeding)",
        lambda: hub.manage(
            "db_worker", "--batch", "--no-reload", "--no-startup-delay", "--queue-name", "*"
        ),
    )
    hub.django_setup()
    bench_print(
        "  load average before measuring: " + ", ".join(f"{v:.1f}" for v in os.getloadavg())
    )


def run(args: argparse.Namespace, hub: Hub) -> None:
    bench_print(
        f"Linli push benchmark: {args.subscriptions:,} subscriptions per channel, in {hub.folder}"
    )
    hub_prepare(hub)
    push, first = webpush(hub, args.subscriptions, args.push_seconds)
    page, facts = notice_pick()
    mail = email(hub, args.subscriptions, args.email_seconds, page, facts)
    report(args.subscriptions, push, first, mail)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=100_000, help="per channel")
    parser.add_argument(
        "--push-seconds",
        type=float,
        default=180,
        help="longest web push sending window; what is left then is cancelled",
    )
    parser.add_argument(
        "--email-seconds",
        type=float,
        default=60,
        help="longest email sending window; what is left then is cancelled",
    )
    args = parser.parse_args()
    if args.subscriptions < 1:
        parser.error("--subscriptions must be at least 1")

    hub_run(lambda hub: run(args, hub))


def hub_run(measure) -> None:
    """`measure(hub)` on a throwaway hub, removed afterwards however the run ends."""
    # Ctrl-C (even when started in the background) and SIGTERM (a CI timeout) both clean up.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.path.insert(0, str(ROOT))
    hub = Hub()
    try:
        measure(hub)
    except BenchError as error:
        raise SystemExit(f"bench failed: {error}") from None
    except KeyboardInterrupt:
        raise SystemExit("bench interrupted; workers stopped, temporary files removed") from None
    finally:
        hub.close()


if __name__ == "__main__":
    main()
