"""Each channel against a real peer on loopback: SMTP, a web push service, a webhook receiver."""

import base64
import contextlib
import re
import zlib
from datetime import timedelta
from urllib.parse import urlsplit

from django.utils import timezone

import pytest
from freezegun import freeze_time

from notices.factories import NoticePageFactory
from notices.models import NoticePage
from subscriptions.channels.base import delivery_key
from subscriptions.delivery import ClaimLost, Outcomes, deliveries_claim, deliveries_send
from subscriptions.factories import SubscriptionFactory, WebhookEndpointFactory
from subscriptions.models import (
    Address,
    Delivery,
    Notification,
    Subscription,
    Unsubscription,
    WebhookEndpoint,
)
from subscriptions.sweep import push_sweep

pytestmark = pytest.mark.django_db


def _header_url(message) -> str:
    return "".join(str(message.message["List-Unsubscribe"]).split()).strip("<>")


def _link(text: str, marker: str) -> str:
    url = next(word for word in re.findall(r"https?://\S+", text) if marker in word)
    return urlsplit(url).path


@freeze_time("2026-11-23 10:00:00+08:00")  # daytime: outside the default quiet hours
def test_email_confirmed_by_link_then_notified_with_one_click_unsubscribe(
    tree, client, smtp_peer, publish, run_on_commit
):
    response = run_on_commit(
        client.post,
        "/api/v1/subscriptions/",
        {
            "email": "wang@example.org",
            "resident_categories": ["elderly"],
            "content_types": ["notice"],
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    [confirmation] = smtp_peer.wait_for(1)
    assert confirmation.rcpt_tos == ["wang@example.org"]
    assert confirmation.subject == "请确认您的社区信息订阅"
    confirm_path = _link(confirmation.text, "/subscriptions/confirm/")

    # Nothing is sent before the address is confirmed.
    publish(NoticePageFactory(parent=tree.a.notices, title="早发的通知", audience=["elderly"]))
    assert len(smtp_peer.messages) == 1

    page = client.get(confirm_path)
    assert page.status_code == 200 and "确认订阅" in page.content.decode()
    # A GET (a mail scanner) confirms nothing.
    assert not Subscription.objects.get().address("email").live
    assert client.post(confirm_path).status_code == 200
    assert Subscription.objects.get().address("email").live

    publish(
        NoticePageFactory(
            parent=tree.a.notices, title="关于发放高龄津贴的通知", audience=["elderly"]
        )
    )
    notice = smtp_peer.wait_for(2)[1]
    assert notice.subject == "关于发放高龄津贴的通知"
    assert "本月 7 日至 9 日发放高龄津贴" in notice.text
    assert "关于发放高龄津贴的通知" in notice.html
    assert notice.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_url = _header_url(notice)
    assert unsubscribe_url.startswith("http://testserver/subscriptions/unsubscribe/")

    # RFC 8058: the mail provider POSTs the link with this body, no login, no CSRF token.
    csrf_client = client.__class__(enforce_csrf_checks=True)
    answer = csrf_client.post(urlsplit(unsubscribe_url).path, {"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200
    assert not Subscription.objects.exists()  # email was its only channel: all data removed
    assert Unsubscription.objects.get().one_click


def test_an_english_reader_unsubscribes_on_the_english_page(tree, client, smtp_peer, publish):
    SubscriptionFactory(confirmed_email=True, content_types=["notice"], locale="en")
    publish(NoticePageFactory(parent=tree.a.notices, audience=["elderly"]))
    [message] = smtp_peer.wait_for(1)
    path = urlsplit(_header_url(message)).path
    assert path.startswith("/en/subscriptions/unsubscribe/")
    page = client.get(path).content.decode()
    assert '<html lang="en">' in page
    assert "Stop receiving community news by email?" in page


def test_unsubscribe_page_records_a_reason(tree, client, smtp_peer, publish):
    subscription = SubscriptionFactory(confirmed_email=True, content_types=["notice"])
    SubscriptionFactory.with_push(
        {"endpoint": "http://127.0.0.1:9/push/x", "keys": {"p256dh": "x", "auth": "y"}}
    )
    publish(NoticePageFactory(parent=tree.a.notices, audience=["elderly"]))
    [message] = smtp_peer.wait_for(1)
    path = urlsplit(_header_url(message)).path
    assert "退订" in client.get(path).content.decode()
    client.post(path, {"reason": "消息太多"})
    assert Unsubscription.objects.get().reason == "消息太多"
    assert not Subscription.objects.filter(pk=subscription.pk).exists()


def _readable(token: str) -> str:
    """Everything a link's token says to whoever holds it: each part decoded as base64 (and zlib)."""
    said = [token]
    for part in re.split(r"[:.]", token):
        try:
            raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        except ValueError:
            continue
        with contextlib.suppress(zlib.error):
            raw = zlib.decompress(raw)
        said.append(raw.decode("utf-8", "replace"))
    return " ".join(said)


@freeze_time("2026-11-23 10:00:00+08:00")
def test_the_confirmation_link_names_no_one_and_dies_with_its_address(
    tree, client, smtp_peer, run_on_commit
):
    response = run_on_commit(
        client.post,
        "/api/v1/subscriptions/",
        {
            "email": "wang.ayi@example.org",
            "resident_categories": ["elderly"],
            "content_types": ["notice"],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    [confirmation] = smtp_peer.wait_for(1)
    path = _link(confirmation.text, "/subscriptions/confirm/")
    token = path.rstrip("/").rsplit("/", 1)[1]

    # A mail log or a browser history holding the link holds no address.
    assert "wang" not in _readable(token) and "example.org" not in _readable(token)
    # The address is still what the link confirms: changed, the link is void.
    address = Subscription.objects.get().address("email")
    Address.objects.filter(pk=address.pk).update(address="li@example.org")
    assert client.post(path).status_code == 400
    Address.objects.filter(pk=address.pk).update(address="wang.ayi@example.org")
    assert client.post(path).status_code == 200
    assert Subscription.objects.get().address("email").live


def test_an_unsubscribe_link_works_for_sixty_days_then_says_it_has_expired(
    tree, client, smtp_peer, publish
):
    sent = timezone.now()
    subscription = SubscriptionFactory(confirmed_email=True, content_types=["notice"])
    with freeze_time(sent):
        publish(NoticePageFactory(parent=tree.a.notices, audience=["elderly"]))
        [message] = smtp_peer.wait_for(1)
    path = urlsplit(_header_url(message)).path
    token = path.rstrip("/").rsplit("/", 1)[1]
    one_click = {"List-Unsubscribe": "One-Click"}

    with freeze_time(sent + timedelta(days=59)):
        assert client.get(path).status_code == 200
    with freeze_time(sent + timedelta(days=61)):
        late = client.get(path)
        late_one_click = client.post(path, one_click)
        late_api = client.post(
            "/api/v1/subscriptions/unsubscribe/", {"token": token}, content_type="application/json"
        )

    assert late.status_code == late_one_click.status_code == 410
    assert "已超过 60 天" in late.content.decode()
    assert 'href="/subscriptions/manage/"' in late.content.decode()
    assert late_api.status_code == 400
    assert late_api.json()["error"]["code"] == "invalid_token"
    assert "60" in late_api.json()["error"]["message"]
    assert Subscription.objects.filter(pk=subscription.pk).exists()


def test_web_push_is_encrypted_signed_and_carries_ttl_urgency_topic(tree, push_peer, publish):
    browser = push_peer.new_subscription()
    SubscriptionFactory.with_push(
        browser, resident_categories=["elderly"], content_types=["notice"]
    )
    valid_until = timezone.now() + timedelta(days=2)
    page = NoticePageFactory(
        parent=tree.a.notices,
        title="停水通知",
        summary="明天 9:00–17:00 停水，请提前储水。",
        urgency=NoticePage.Urgency.URGENT,
        valid_until=valid_until,
        audience=["all"],
    )
    publish(page)
    [message] = push_peer.wait_for(1)
    assert push_peer.rejections == []
    assert message.json["title"] == "【紧急】停水通知"
    assert message.json["body"] == "明天 9:00–17:00 停水，请提前储水。"
    assert message.json["url"].startswith("http://testserver/")
    assert message.urgency == "high"
    assert message.topic and len(message.topic) <= 32
    # The TTL reaches the notice's expiry (two days), not a default.
    assert 2 * 86400 - 120 <= message.ttl <= 2 * 86400
    assert message.vapid_claims["sub"].startswith("mailto:")


def test_push_410_deactivates_the_push_subscription(tree, push_peer, publish):
    browser = push_peer.new_subscription()
    push_peer.gone(browser["endpoint"])
    subscription = SubscriptionFactory.with_push(browser)
    publish(NoticePageFactory(parent=tree.a.notices, audience=["elderly"]))
    assert not subscription.address("webpush").active
    assert Delivery.objects.get().status == Delivery.Status.CANCELLED
    # The next notice is not even planned for it.
    publish(NoticePageFactory(parent=tree.a.notices, audience=["elderly"]))
    assert Delivery.objects.count() == 1


def test_web_push_goes_through_the_proxy_the_environment_names(
    tree, push_peer, publish, monkeypatch
):
    # A street office behind an HTTP proxy: nothing listens on port 9, so the
    # push can only fail, and the push service never hears of it.
    for name in ("http_proxy", "no_proxy", "NO_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    SubscriptionFactory.with_push(push_peer.new_subscription())
    publish(NoticePageFactory(parent=tree.a.notices, audience=["elderly"]))
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    assert "push service unreachable" in delivery.last_error
    assert push_peer.attempts == 0


def test_failed_pushes_retry_with_backoff_then_succeed(tree, push_peer, publish, settings):
    browser = push_peer.new_subscription()
    push_peer.respond(browser["endpoint"], [500, 503, 201])
    SubscriptionFactory.with_push(browser)
    publish(NoticePageFactory(parent=tree.a.notices, audience=["elderly"]))
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    assert "500" in delivery.last_error
    first_wait = delivery.next_attempt_at - timezone.now()
    assert timedelta(seconds=20) < first_wait < timedelta(seconds=40)

    # Not due yet: a sweep leaves it alone.
    push_sweep()
    assert deliveries_send() == 0
    # Due: the sweep queues it; the second attempt fails again, waiting about twice as long.
    push_sweep(now=delivery.next_attempt_at + timedelta(seconds=1))
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    deliveries_send()
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED and delivery.attempts == 2
    assert timedelta(seconds=40) < delivery.next_attempt_at - timezone.now() < timedelta(seconds=80)
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    deliveries_send()
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT and delivery.attempts == 3
    assert push_peer.attempts_for(browser["endpoint"]) == 3
    assert len(push_peer.messages_for(browser["endpoint"])) == 1


def test_retries_stop_after_the_retry_window_and_the_delivery_is_dead(tree, push_peer, publish):
    browser = push_peer.new_subscription()
    push_peer.respond(browser["endpoint"], [503])
    SubscriptionFactory.with_push(browser)
    publish(NoticePageFactory(parent=tree.a.notices, audience=["elderly"]))
    # A day later the next backoff would overrun the window.
    Delivery.objects.update(
        created_at=timezone.now() - timedelta(hours=23, minutes=59, seconds=50),
        next_attempt_at=timezone.now(),
    )
    deliveries_send()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.DEAD
    assert "503" in delivery.last_error


def test_webhook_signed_per_standard_webhooks_with_item_locale_and_audience(
    tree, webhook_peer, publish
):
    WebhookEndpointFactory(url=webhook_peer.url(), secret=webhook_peer.secret, locale="zh-hant")
    page = NoticePageFactory(
        parent=tree.a.notices, title="关于发放高龄津贴的通知", audience=["elderly"]
    )
    publish(page)
    [message] = webhook_peer.wait_for(1)
    assert webhook_peer.rejections == []
    data = message.payload["data"]
    assert message.payload["type"] == "notice.published"
    assert data["locale"] == "zh-hant"
    assert data["audience"] == ["elderly"]
    assert data["community"] == "dongyuan"
    assert data["item"]["id"] == page.pk
    assert data["item"]["title"] == "關於發放高齡津貼的通知"  # converted for traditional readers
    assert message.id == f"msg_{delivery_key(Delivery.objects.get())}"


def test_webhook_secret_rotation_signs_with_both_secrets(tree, webhook_peer, publish):
    endpoint = WebhookEndpointFactory(url=webhook_peer.url())
    endpoint.previous_secret = webhook_peer.secret  # the gateway still has the old one
    endpoint.previous_secret_until = timezone.now() + timedelta(hours=1)
    endpoint.save()
    publish(NoticePageFactory(parent=tree.a.notices, audience=["elderly"]))
    webhook_peer.wait_for(1)
    assert webhook_peer.rejections == []


def test_webhook_410_disables_the_endpoint_and_tells_staff(
    tree, webhook_peer, publish, admin_client
):
    webhook_peer.respond([410])
    endpoint = WebhookEndpointFactory(
        url=webhook_peer.url(), secret=webhook_peer.secret, name="短信平台"
    )
    publish(NoticePageFactory(parent=tree.a.notices, audience=["elderly"]))
    endpoint.refresh_from_db()
    assert not endpoint.active and "410" in endpoint.disabled_reason
    dashboard = admin_client.get("/admin/").content.decode()
    assert "网关“短信平台”已自动停用" in dashboard


def test_a_crashed_send_is_released_by_the_sweep_and_sent_once(
    tree, push_peer, publish, settings, run_on_commit
):
    browser = push_peer.new_subscription()
    SubscriptionFactory.with_push(browser, quiet_start=None, quiet_end=None)
    with pytest.MonkeyPatch.context() as patch:
        # The worker claims the batch and dies before sending: nothing sends now.
        patch.setattr("subscriptions.tasks.send_tasks_needed", lambda due: 0)
        publish(NoticePageFactory(parent=tree.a.notices, audience=["elderly"]))
        deliveries_claim()
    assert Delivery.objects.get().status == Delivery.Status.SENDING
    later = timezone.now() + timedelta(seconds=settings.LINLI_PUSH_LEASE_SECONDS + 1)
    with freeze_time(later):
        report = run_on_commit(push_sweep)
    assert report["released"] == 1 and report["queued"] == 1
    assert Delivery.objects.get().status == Delivery.Status.SENT
    assert len(push_peer.wait_for(1)) == 1


def _received_with_keys(channel, smtp_peer, push_peer, webhook_peer) -> list[tuple]:
    """(recipient, idempotency key) of each message a peer took, oldest first."""
    if channel == "email":
        return [(m.rcpt_tos[0], m.message["Message-ID"]) for m in smtp_peer.messages]
    if channel == "webpush":
        return [(m.endpoint, m.json["id"]) for m in push_peer.messages]
    return [(m.path, m.id) for m in webhook_peer.messages]


@pytest.mark.parametrize("channel", ["email", "webpush", "webhook"])
def test_a_message_sent_again_after_its_worker_died_carries_the_same_key(
    channel, tree, smtp_peer, push_peer, webhook_peer, publish, run_on_commit
):
    if channel == "email":
        SubscriptionFactory(confirmed_email=True, content_types=["notice"])
    elif channel == "webpush":
        SubscriptionFactory.with_push(push_peer.new_subscription())
    else:
        WebhookEndpointFactory(url=webhook_peer.url(), secret=webhook_peer.secret)
    publish(NoticePageFactory(parent=tree.a.notices, audience=["elderly"]))
    [first] = _received_with_keys(channel, smtp_peer, push_peer, webhook_peer)
    # The worker died after the receiver took the message, before it could write so down.
    Delivery.objects.update(
        status=Delivery.Status.SENDING,
        claim="dead-worker",
        lease_until=timezone.now() - timedelta(seconds=1),
    )
    assert run_on_commit(push_sweep)["released"] == 1
    assert Delivery.objects.get().status == Delivery.Status.SENT
    assert _received_with_keys(channel, smtp_peer, push_peer, webhook_peer) == [first, first]


def test_a_worker_whose_lease_ran_out_sends_nothing_the_sweep_gave_back(
    tree, push_peer, publish, settings
):
    for _ in range(2):
        SubscriptionFactory.with_push(push_peer.new_subscription())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("subscriptions.tasks.send_tasks_needed", lambda due: 0)
        publish(NoticePageFactory(parent=tree.a.notices, audience=["elderly"]))
    claim, rows = deliveries_claim()
    outcomes = Outcomes(claim, rows)
    # The worker stalled past its lease; the sweep handed its rows back to the queue.
    later = timezone.now() + timedelta(seconds=settings.LINLI_PUSH_LEASE_SECONDS + 1)
    with freeze_time(later):
        assert push_sweep()["released"] == 2
        with pytest.raises(ClaimLost):
            outcomes.before_send()
    assert push_peer.attempts == 0


def test_a_live_worker_renews_its_lease_as_it_sends(tree, push_peer, publish, settings):
    SubscriptionFactory.with_push(push_peer.new_subscription())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("subscriptions.tasks.send_tasks_needed", lambda due: 0)
        publish(NoticePageFactory(parent=tree.a.notices, audience=["elderly"]))
    claim, rows = deliveries_claim()
    outcomes = Outcomes(claim, rows)
    halfway = timezone.now() + timedelta(seconds=settings.LINLI_PUSH_LEASE_SECONDS * 0.6)
    with freeze_time(halfway):
        outcomes.before_send()
    renewed = Delivery.objects.get().lease_until
    assert renewed >= halfway + timedelta(seconds=settings.LINLI_PUSH_LEASE_SECONDS - 1)


def test_notification_counts_in_the_report(tree, push_peer, publish, admin_client):
    for _ in range(3):
        SubscriptionFactory.with_push(push_peer.new_subscription())
    publish(NoticePageFactory(parent=tree.a.notices, title="报告里的通知", audience=["elderly"]))
    report = admin_client.get("/admin/reports/notifications/").content.decode()
    row = re.search(r'<tr data-notification="\d+">(.*?)</tr>', report, re.S).group(1)
    assert "报告里的通知" in row
    assert re.search(r"<td data-sent>3</td>", row)
    assert Notification.objects.get().audience_size == 3
    assert WebhookEndpoint.objects.count() == 0
