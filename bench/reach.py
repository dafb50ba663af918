"""Reach benchmark: one urgent notice to 10,000 phone subscribers: `python -m bench.reach`.

On a throwaway SQLite hub (as bench.push), N subscribers to notices for the
elderly each get a confirmed mobile number; a fifth of them also an email
address as their second channel. One urgent notice is planned here (to each
person's first channel, SMS) and sent by one `manage.py db_worker` process
through Aliyun's real SDK to the loopback Aliyun peer (which checks every
request's signature). Then the carrier's delivery reports are simulated: a
seeded random fails 5 % of the messages and spreads the report times like a
carrier's (most within seconds, a tail over minutes), and the reports go in
through the hub's SmsReport parser and `receipts_report`, with report times
on the simulated clock (the message's send time plus the carrier's delay):
first those due by the end of the wait for a receipt
(LINLI_REACH_FALLBACK_MINUTES), then the fallback sweep passes the rest on
(the worker sends the emails to the loopback SMTP peer, their send times
moved onto the simulated clock), then the later reports. The reach counting (`subscriptions.reach.reach_of`) then says how many of
the N people were reached within 2 minutes of publishing and how many are
unreached. Prints one Markdown table with the targets and which are met.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from pathlib import Path

from bench.common import BenchError, bench_print
from bench.push import (
    TARGET_RSS,
    deliver,
    hub_prepare,
    hub_run,
    idle,
    notice_pick,
    plan_queued,
    step,
)
from bench.push_setup import Fanout, Hub, smtp_counter, smtp_env, subscriptions_create

ROOT = Path(__file__).resolve().parents[1]

TARGET_SMS_RATE = 500  # SMS per second per worker process, to the loopback Aliyun peer
TARGET_WITHIN = 0.95  # share of the people reached within WITHIN_MINUTES of publishing
WITHIN_MINUTES = 2
FAILURE_SHARE = 0.05  # reports saying the message never arrived
EMAIL_SHARE = 0.20  # subscribers with email as their second channel
# The carrier's delay from sending to the report: most within seconds (log-normal around
# 4 s); a tail of phones switched off or out of coverage reports after 2 to 30 minutes.
DELAY_MEDIAN_SECONDS = 4.0
DELAY_SIGMA = 0.9
LATE_SHARE = 0.03
LATE_SECONDS = (120.0, 1800.0)
REPORTS_PER_PUSH = 500  # Aliyun pushes reports in batches (a JSON array per POST)
SEED = 13


def aliyun_counter():
    """The loopback Aliyun peer, noting when its first request came and its last ended."""
    from tests.peers.aliyun import AliyunPeer

    class AliyunCounter(AliyunPeer):
        def __init__(self) -> None:
            super().__init__()
            self.first_at: float | None = None
            self.last_at: float | None = None

        def _on_post(self, handler, body: bytes) -> None:
            if self.first_at is None:
                self.first_at = time.monotonic()
            super()._on_post(handler, body)
            self.last_at = time.monotonic()

        @property
        def count(self) -> int:
            with self._lock:
                return len(self._messages)

    return AliyunCounter()


def sms_env(peer) -> dict[str, str]:
    """The worker's settings: SMS through Aliyun's SDK to the peer, its templates approved."""
    from subscriptions.tests.sms_fixtures import CODES, SIGN, aliyun_approve

    aliyun_approve(peer)
    return {
        "LINLI_SMS_PROVIDER": "aliyun",
        "LINLI_SMS_SIGN_NAME": SIGN,
        "LINLI_SMS_LINK_BASE": "https://linli.example/s/",
        "LINLI_SMS_ALIYUN_ACCESS_KEY_ID": peer.access_key_id,
        "LINLI_SMS_ALIYUN_ACCESS_KEY_SECRET": peer.access_key_secret,
        "LINLI_SMS_ALIYUN_ENDPOINT": f"http://{peer.endpoint}",
        **{f"LINLI_SMS_TEMPLATE_{name.upper()}": code for name, code in CODES["aliyun"].items()},
    }


def phone_subscribers(count: int) -> int:
    """`count` subscribers by SMS, every fifth also by email (tried second); returns the emails."""
    from subscriptions.models import Address

    rng = random.Random(SEED)  # noqa: S311 - a seeded simulation, not a secret
    with_email = set(rng.sample(range(count), round(count * EMAIL_SHARE)))

    def addresses_of(n: int) -> list:
        rows = [Address(channel="sms", address=f"+86138{n:08d}", preference=0)]
        if n in with_email:
            rows.append(Address(channel="email", address=f"reach-{n}@example.test", preference=1))
        return rows

    subscriptions_create(count, prefix="reach", addresses_of=addresses_of)
    return len(with_email)


def carrier_delay(rng: random.Random) -> float:
    """Seconds from sending to the carrier's report on one message."""
    if rng.random() < LATE_SHARE:
        return rng.uniform(*LATE_SECONDS)
    return rng.lognormvariate(0, DELAY_SIGMA) * DELAY_MEDIAN_SECONDS


def carrier_plan(peer, rng: random.Random) -> dict:
    """Per message the peer accepted: (failed, seconds from sending to the carrier's report)."""
    return {
        (m.id, m.phone): (rng.random() < FAILURE_SHARE, carrier_delay(rng)) for m in peer.messages
    }


def receipts_feed(peer, plan: dict, due) -> tuple[int, int]:
    """The carrier's reports on the SMS the peer accepted, in Aliyun's SmsReport shape,
    through the hub's parser: those whose report time (on the simulated clock, seconds
    since the epoch) `due` accepts; returns (matched, failed)."""
    from subscriptions.sms_views import aliyun_reports
    from tests.peers._sms import format_time

    messages = [m for m in peer.messages if due(m.sent_at + plan[m.id, m.phone][1])]
    matched = failed_count = 0
    for start in range(0, len(messages), REPORTS_PER_PUSH):
        chunk = messages[start : start + REPORTS_PER_PUSH]
        payload = []
        for success in (True, False):
            group = [m for m in chunk if plan[m.id, m.phone][0] != success]
            if not group:
                continue
            entries = peer.report_payload(
                group, success=success, err_code=None if success else "MK:0001"
            )
            for message, entry in zip(group, entries, strict=True):
                # The simulated clock: when the carrier would have reported on it.
                at = message.sent_at + plan[message.id, message.phone][1]
                entry["report_time"] = format_time(at)
            payload += entries
            failed_count += 0 if success else len(group)
        matched += aliyun_reports(payload)
    return matched, failed_count


def fallback_time(notification_id: int):
    """When the last of the notice's waits for a receipt ends (planning set each one)."""
    from django.db.models import Max

    from subscriptions.models import Delivery

    rows = Delivery.objects.filter(notification_id=notification_id)
    return rows.aggregate(at=Max("fallback_at"))["at"]


def fallback_sweep(notification_id: int, mail, seconds: float = 120) -> int:
    """Fallback across channels on the simulated clock: at publishing plus
    LINLI_REACH_FALLBACK_MINUTES the sweep passes each person's urgent message that has no
    delivery receipt (failed, or none yet) to their next channel, and the running worker
    sends what it queued (the emails, to the SMTP peer). Those emails' send times are moved
    onto the simulated clock, so the reach timeline counts them when they would have gone.
    Returns how many messages were passed on."""
    from django.conf import settings
    from django.db.models import F
    from django.utils import timezone

    from subscriptions.fallback import fallbacks_pass_on
    from subscriptions.models import Delivery
    from subscriptions.tasks import deliveries_send

    at = fallback_time(notification_id)
    passed = fallbacks_pass_on(at)
    rows = Delivery.objects.filter(notification_id=notification_id, fallback_from__isnull=False)
    if not passed:
        return 0
    real = timezone.now()
    rows.update(next_attempt_at=real)
    sent_before = mail.count
    for _ in range(-(-passed // settings.LINLI_PUSH_SEND_BATCH)):
        deliveries_send.enqueue(notification_id)
    deadline = time.monotonic() + seconds
    while rows.filter(status__in=(*Delivery.DUE, Delivery.Status.SENDING)).exists():
        if time.monotonic() > deadline:
            raise BenchError(f"the {passed} messages passed on were not sent within {seconds} s")
        time.sleep(0.2)
    rows.filter(sent_at__isnull=False).update(sent_at=F("sent_at") + (at - real))
    bench_print(
        f"  {'passed on at fallback, emails sent':<44} {passed:8d}  {mail.count - sent_before}"
    )
    return passed


def run(args: argparse.Namespace, hub: Hub) -> dict:
    """On a prepared hub: subscribers, the notice's planning and sending, reports, reach."""
    from django.conf import settings

    from subscriptions.models import Notification
    from subscriptions.reach import DELIVERED, SENT, UNREACHED, reach_of
    from subscriptions.tasks import deliveries_send

    result = Fanout()
    with aliyun_counter() as peer, smtp_counter() as mail:
        emails, _ = step(
            f"{args.subscribers} subscribers (bulk_create)",
            lambda: phone_subscribers(args.subscribers),
        )
        worker = hub.worker("sms", **sms_env(peer), **smtp_env(mail))
        # A worker as deployed is running before anyone publishes.
        deliveries_send.enqueue(0)
        step("worker started, idle", lambda: idle(worker))
        page, facts = notice_pick(urgent=True)
        bench_print(f"  notice: #{page.pk} {facts['title']} ({', '.join(facts['audience'])})")
        notification_id = plan_queued("reach-1", page, facts, result)
        deliver(
            worker,
            peer,
            notification_id=notification_id,
            due=args.subscribers,
            seconds=args.sms_seconds,
            result=result,
        )
        bench_print(f"  {'emails sent at once':<44} {mail.count:8d} of {emails}")
        rng = random.Random(SEED)  # noqa: S311 - a seeded simulation, not a secret
        plan = carrier_plan(peer, rng)
        at = fallback_time(notification_id).timestamp()
        (early, failed_early), _ = step(
            "carrier reports until the fallback sweep",
            lambda: receipts_feed(peer, plan, lambda report_at: report_at <= at),
        )
        passed, _ = step("fallback sweep", lambda: fallback_sweep(notification_id, mail))
        (late, failed_late), _ = step(
            "carrier reports after it", lambda: receipts_feed(peer, plan, lambda r: r > at)
        )
        matched, failed = early + late, failed_early + failed_late
        if matched != peer.count:
            raise BenchError(f"{peer.count} SMS sent but {matched} reports matched a delivery")
        bench_print(f"  {'reports (failed)':<44} {matched:8d}  ({failed} failed)")
        worker.stop()
    reach = reach_of(Notification.objects.get(pk=notification_id))
    within = dict(reach.timeline)[WITHIN_MINUTES]
    return {
        "fanout": result,
        "emails": emails,
        "failed": failed,
        "targeted": reach.targeted,
        "within": within,
        "delivered": reach.people[DELIVERED],
        "sent": reach.people[SENT],
        "unreached": reach.people[UNREACHED],
        "passed": passed,
        "fallback_minutes": settings.LINLI_REACH_FALLBACK_MINUTES,
    }


def report(count: int, measured: dict) -> None:
    fanout: Fanout = measured["fanout"]
    targeted = measured["targeted"] or 1
    share = measured["within"] / targeted
    rate = f"{fanout.rate:,.0f}"
    if fanout.capped:
        rate += f" (first {fanout.received:,} of {count:,}, {fanout.sending_seconds:.0f} s window)"
    fallback = f"{measured['passed']:,} passed on to email after {measured['fallback_minutes']} min"
    cpu_rate = 1000 / fanout.cpu_ms if fanout.cpu_ms else 0.0
    rows = [
        (
            "planning time (s)",
            f"{fanout.planning_seconds:.2f} ({fanout.planned:,} deliveries, "
            f"{fanout.planning_rate:,.0f}/s)",
            "–",
            None,
        ),
        (
            "SMS sent per second, one worker",
            rate,
            f"≥ {TARGET_SMS_RATE}",
            fanout.rate >= TARGET_SMS_RATE and not fanout.capped,
        ),
        ("same, per second of worker CPU", f"{cpu_rate:,.0f}", "–", None),
        ("worker peak RSS (MB)", f"{fanout.peak_mb:.0f}", f"< {TARGET_RSS}", None),
        ("worker CPU per SMS (ms)", f"{fanout.cpu_ms:.2f}", "–", None),
        (
            f"people reached within {WITHIN_MINUTES} min of publishing",
            f"{share:.1%} ({measured['within']:,} of {measured['targeted']:,})",
            f"≥ {TARGET_WITHIN:.0%}",
            share >= TARGET_WITHIN,
        ),
        (
            "people reached in the end (SMS receipt / email sent)",
            f"{measured['delivered']:,} / {measured['sent']:,}",
            "–",
            None,
        ),
        (
            "unreached after fallback",
            f"{measured['unreached']:,} ({fallback})",
            "–",
            None,
        ),
    ]
    rows[3] = (*rows[3][:3], fanout.peak_mb < TARGET_RSS)

    def met(ok) -> str:
        return "–" if ok is None else "yes" if ok else "**no**"

    bench_print(
        "",
        f"{count:,} phone subscribers ({measured['emails']:,} also by email), one urgent notice, "
        f"SQLite, one db_worker process; {FAILURE_SHARE:.0%} of the carrier's reports failed",
        "",
        "| measure | value | target | met |",
        "|---|---:|---|---|",
        *(f"| {name} | {value} | {target} | {met(ok)} |" for name, value, target, ok in rows),
        "",
        "load average at the end: " + ", ".join(f"{v:.1f}" for v in os.getloadavg()),
    )
    missed = [name for name, _, _, ok in rows if ok is False]
    bench_print(
        "",
        "Targets met: all." if not missed else f"Targets missed: {', '.join(missed)}.",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--sms-seconds", type=float, default=120, help="longest sending window")
    args = parser.parse_args()
    if args.subscribers < 1:
        parser.error("--subscribers must be at least 1")

    def measure(hub: Hub) -> None:
        bench_print(
            f"Linli reach benchmark: {args.subscribers:,} phone subscribers, in {hub.folder}"
        )
        hub_prepare(hub)
        report(args.subscribers, run(args, hub))

    hub_run(measure)


if __name__ == "__main__":
    main()
