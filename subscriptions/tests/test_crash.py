"""Workers killed (SIGKILL) while planning and while sending: nobody is missed, nobody is told twice.

Counted per recipient at the receiving peers, since a comparison of sets
would hide a message received twice. A message may be in flight when its
worker dies (sent, but not yet recorded as sent): at most one per kill is
sent again, with the same idempotency key, so its receiver can drop it.
Text messages go to the provider many numbers in one call (LINLI_SMS_BATCH,
as in production): what is in flight is then that call, so a kill may repeat
each of its numbers once; the call's key, with the number, names each message.
"""

import math
import signal
from collections import Counter

from django.conf import settings
from django.utils import timezone

import pytest

from notices.factories import NoticePageFactory
from notices.models import NoticePage
from subscriptions.channels.sms import TEMPLATES as SMS_TEMPLATES
from subscriptions.channels.voice import TEMPLATES as VOICE_TEMPLATES
from subscriptions.models import Address, Notification, Subscription, WebhookEndpoint
from subscriptions.notifications import notifications_suppressed, page_facts
from subscriptions.tests.processes import (
    BACKENDS,
    SharedDatabase,
    kill,
    manage,
    start,
    wait,
    worker,
    worker_env,
)
from subscriptions.tests.sms_fixtures import CODES as SMS_CODES
from subscriptions.tests.sms_fixtures import SIGN
from subscriptions.tests.voice_fixtures import CODES as VOICE_CODES
from subscriptions.tokens import manage_token_hash
from tests.peers._sms import SlidingLimits

# Run in a pytest session of their own (`make test` does): flushing the shared
# database between processes must not meet other transactional tests.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.workers,
]

SUBSCRIBERS = 5000
SEND_BATCH = 100
SENT = "SELECT count(*) FROM subscriptions_delivery WHERE status = 'sent'"
PLANNED = "SELECT count(*) FROM subscriptions_delivery"
UNPLANNED = "SELECT count(*) FROM subscriptions_notification WHERE planned_at IS NULL"


def _notice(tree, **fields) -> Notification:
    """A published notice whose notification waits, as publishing left it, for anyone to plan it."""
    with notifications_suppressed():
        page = NoticePageFactory(
            parent=tree.a.notices, title="冬季供暖通知", audience=["elderly"], **fields
        )
        page.save_revision().publish()
    return Notification.objects.create(
        kind=Notification.Kind.PUBLISHED,
        key="crash-1",
        page=page,
        planning_touched_at=timezone.now() - timezone.timedelta(hours=1),
        **page_facts(page),
    )


def _subscribers(count: int) -> list[Subscription]:
    return Subscription.objects.bulk_create(
        Subscription(
            token_hash=manage_token_hash(f"crash-{n}"),
            resident_categories=["elderly"],
            content_types=["notice"],
            quiet_start=None,
            quiet_end=None,
        )
        for n in range(count)
    )


def _addresses(channel: str, subscriptions, addresses, data=None) -> None:
    now = timezone.now()
    Address.objects.bulk_create(
        Address(
            subscription=subscription,
            channel=channel,
            address=address,
            data=(data or {}).get(address, {}),
            confirmed_at=now,
        )
        for subscription, address in zip(subscriptions, addresses, strict=True)
    )


def _repeats(counts: Counter) -> int:
    return sum(n - 1 for n in counts.values())


@pytest.mark.parametrize("backend", BACKENDS)
def test_worker_killed_mid_fan_out_resumes_without_duplicates(tree, push_peer, tmp_path, backend):
    browsers = [push_peer.new_subscription() for _ in range(SUBSCRIBERS)]
    endpoints = [browser["endpoint"] for browser in browsers]
    keys = {browser["endpoint"]: browser["keys"] for browser in browsers}
    _addresses("webpush", _subscribers(SUBSCRIBERS), endpoints, keys)
    _notice(tree)
    database = SharedDatabase(tmp_path)
    env = worker_env(
        database,
        backend,
        LINLI_PUSH_PLAN_BATCH="250",
        LINLI_PUSH_SEND_BATCH=str(SEND_BATCH),
    )
    log = tmp_path / "processes.log"

    manage(["push_sweep"], env)
    process = worker(backend, env, log)
    try:
        wait(lambda: database.scalar(PLANNED) >= 750, 120, "the fan-out to start", log)
    finally:
        kill(process)
    # The kill landed in the middle of the fan-out.
    assert database.scalar(UNPLANNED) == 1
    assert database.scalar(PLANNED) < SUBSCRIBERS

    process = worker(backend, env, log)
    scheduler = start(["run_scheduler"], env, log)
    try:
        wait(
            lambda: database.scalar(SENT) >= SUBSCRIBERS and database.scalar(UNPLANNED) == 0,
            240,
            "every delivery to be sent and the fan-out to finish",
            log,
        )
    finally:
        kill(process, signal.SIGTERM)
        kill(scheduler, signal.SIGTERM)

    assert database.scalar(PLANNED) == SUBSCRIBERS
    assert (
        database.scalar("SELECT count(DISTINCT subscription_id) FROM subscriptions_delivery")
        == SUBSCRIBERS
    )
    assert database.scalar(UNPLANNED) == 0
    assert push_peer.rejections == []
    received = Counter(message.endpoint for message in push_peer.messages)
    assert set(received) == set(endpoints)
    # Sending goes on beside planning: the kill may have caught one message in flight.
    assert _repeats(received) <= 1
    assert settings.LINLI_PUSH_SEND_BATCH  # the suite's own setting is untouched


EMAILS, BROWSERS, TEXTS, CALLS, GATEWAYS = 100, 100, 60, 60, 50
# Rows a worker claims at a time, so the most numbers one SMS call can carry here.
SEND_BATCH = 20
# Messages per second per channel and worker: slow enough for each kill to land mid-send.
RATE = "40"


def _providers_env(settings, aliyun_peer, tencent_peer) -> dict:
    """SMS through Aliyun's peer and voice calls through Tencent's, as a worker's settings."""
    settings.LINLI_SMS_SIGN_NAME = SIGN  # in the wording registered with the providers
    aliyun_peer.add_sign(SIGN)
    for name, template in SMS_TEMPLATES.items():
        kind = "verify" if template.kind == "verify" else "notify"
        aliyun_peer.add_template(SMS_CODES["aliyun"][name], template.for_provider("aliyun"), kind)
    for name, template in VOICE_TEMPLATES.items():
        tencent_peer.add_tts_template(
            VOICE_CODES["tencent"][name], template.for_provider("tencent")
        )
    # A repeat after a kill comes within seconds: this is about crashes, not the providers'
    # limits per number (test_voice and test_sms_providers hold messages for those).
    tencent_peer.voice_limits = SlidingLimits({})
    return {
        "LINLI_SMS_PROVIDER": "aliyun",
        "LINLI_SMS_SIGN_NAME": SIGN,
        "LINLI_SMS_ALIYUN_ACCESS_KEY_ID": aliyun_peer.access_key_id,
        "LINLI_SMS_ALIYUN_ACCESS_KEY_SECRET": aliyun_peer.access_key_secret,
        "LINLI_SMS_ALIYUN_ENDPOINT": f"http://{aliyun_peer.endpoint}",
        **{f"LINLI_SMS_TEMPLATE_{n.upper()}": code for n, code in SMS_CODES["aliyun"].items()},
        "LINLI_VOICE_PROVIDER": "tencent",
        "LINLI_VOICE_TENCENT_SECRET_ID": tencent_peer.secret_id,
        "LINLI_VOICE_TENCENT_SECRET_KEY": tencent_peer.secret_key,
        "LINLI_VOICE_TENCENT_SDK_APP_ID": tencent_peer.voice_sdk_app_id,
        "LINLI_VOICE_TENCENT_ENDPOINT": f"http://{tencent_peer.endpoint}",
        **{f"LINLI_VOICE_TEMPLATE_{n.upper()}": code for n, code in VOICE_CODES["tencent"].items()},
    }


@pytest.mark.parametrize("backend", BACKENDS)
def test_workers_killed_while_sending_lose_nothing_and_repeat_at_most_one_call_each(
    tree, smtp_peer, push_peer, webhook_peer, aliyun_peer, tencent_peer, tmp_path, backend, settings
):
    subscriptions = iter(_subscribers(EMAILS + BROWSERS + TEXTS + CALLS))
    emails = [f"resident{n}@example.org" for n in range(EMAILS)]
    _addresses("email", [next(subscriptions) for _ in emails], emails)
    browsers = [push_peer.new_subscription() for _ in range(BROWSERS)]
    keys = {browser["endpoint"]: browser["keys"] for browser in browsers}
    _addresses("webpush", [next(subscriptions) for _ in browsers], list(keys), keys)
    texted = [f"+86138{n:08d}" for n in range(TEXTS)]
    _addresses("sms", [next(subscriptions) for _ in texted], texted)
    called = [f"+86139{n:08d}" for n in range(CALLS)]
    _addresses("voice", [next(subscriptions) for _ in called], called)
    paths = [f"/gateway/{n}" for n in range(GATEWAYS)]
    WebhookEndpoint.objects.bulk_create(
        WebhookEndpoint(
            name=f"网关 {path}",
            url=webhook_peer.url(path),
            secret=webhook_peer.secret,
            quiet_start=None,
            quiet_end=None,
        )
        for path in paths
    )
    # Urgent: voice calls carry nothing else.
    _notice(tree, urgency=NoticePage.Urgency.URGENT)
    database = SharedDatabase(tmp_path)
    env = worker_env(
        database,
        backend,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST=smtp_peer.host,
        EMAIL_PORT=str(smtp_peer.port),
        EMAIL_USE_TLS="false",
        EMAIL_USE_SSL="false",
        EMAIL_HOST_USER="",
        LINLI_PUSH_SEND_BATCH=str(SEND_BATCH),
        LINLI_PUSH_RATE_EMAIL=RATE,
        LINLI_PUSH_RATE_WEBPUSH=RATE,
        LINLI_PUSH_RATE_WEBHOOK=RATE,
        LINLI_PUSH_RATE_SMS=RATE,
        LINLI_PUSH_RATE_VOICE=RATE,
        **_providers_env(settings, aliyun_peer, tencent_peer),
    )
    log = tmp_path / "processes.log"
    # What each peer received, in the order the channels send (their rows' order).
    records = {
        "email": lambda: smtp_peer.messages,
        "webpush": lambda: push_peer.messages,
        "sms": lambda: aliyun_peer.messages,
        "voice": lambda: tencent_peer.calls,
        "webhook": lambda: webhook_peer.messages,
    }
    sizes = {"email": EMAILS, "webpush": BROWSERS, "sms": TEXTS, "voice": CALLS}
    sizes["webhook"] = GATEWAYS
    total = sum(sizes.values())

    scheduler = start(["run_scheduler"], env, log)
    process = worker(backend, env, log)
    kills = 0
    try:
        # One worker after another killed while it sends on each channel in turn.
        for channel, record in records.items():
            wait(lambda record=record: len(record()) >= 10, 60, f"{channel} to go out", log)
            kill(process)
            kills += 1
            assert len(record()) < sizes[channel], f"{channel} finished first"
            process = worker(backend, env, log)
        wait(lambda: database.scalar(SENT) >= total, 60, "every delivery to be sent", log)
    finally:
        kill(process, signal.SIGTERM)
        kill(scheduler, signal.SIGTERM)

    assert database.scalar(PLANNED) == total
    assert push_peer.rejections == webhook_peer.rejections == []
    assert aliyun_peer.rejections == tencent_peer.rejections == []
    # (recipient, idempotency key) of every message received, per channel: for texts and
    # calls, the number and the key the provider was given (Aliyun's OutId, Tencent's
    # SessionContext).
    received = {
        "email": [
            (rcpt, message.message["Message-ID"])
            for message in smtp_peer.messages
            for rcpt in message.rcpt_tos
        ],
        "webpush": [(message.endpoint, message.json.get("id")) for message in push_peer.messages],
        "sms": [(f"+86{m.phone}", m.out_id or None) for m in aliyun_peer.messages],
        "voice": [(f"+86{c.phone}", c.out_id or None) for c in tencent_peer.calls],
        "webhook": [(message.path, message.id) for message in webhook_peer.messages],
    }
    expected = {
        "email": set(emails),
        "webpush": set(keys),
        "sms": set(texted),
        "voice": set(called),
        "webhook": set(paths),
    }
    counts = {
        channel: Counter(recipient for recipient, _ in pairs) for channel, pairs in received.items()
    }
    for channel, counted in counts.items():
        assert set(counted) == expected[channel], f"{channel}: someone was missed"
    repeats = {channel: _repeats(counted) for channel, counted in counts.items()}
    # Each kill catches at most one call in flight: one message, or one SMS call's numbers
    # (at most SEND_BATCH), each of them received twice at worst.
    spent = sum(n for channel, n in repeats.items() if channel != "sms")
    spent += math.ceil(repeats["sms"] / SEND_BATCH)
    assert spent <= kills, f"received twice after {kills} kills: {repeats}"
    for channel, pairs in received.items():
        # A repeat carries the key of the first: one key per recipient.
        assert None not in {key for _, key in pairs}, channel
        assert len(set(pairs)) == sizes[channel], channel
        if channel != "sms":  # texts share their call's key: the number tells them apart
            assert len({key for _, key in pairs}) == sizes[channel], channel
    # Each call said the notice through the approved template.
    assert {call.text for call in tencent_peer.calls} == {
        "这里是临里街道。紧急通知：冬季供暖通知。本月 7 日至 9 日发放高龄津贴，请持卡到银行领取。"
    }
