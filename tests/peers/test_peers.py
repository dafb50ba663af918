"""Self-tests: each loopback peer speaks its protocol with a real client."""

import base64
import hashlib
import hmac
import json
import socket
import time
from datetime import UTC, datetime

from django.core import mail

import pytest
import requests
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from py_vapid import Vapid01, Vapid02
from py_vapid.utils import b64urlencode
from pywebpush import WebPusher, WebPushException, webpush
from standardwebhooks import Webhook

from tests.peers.sink import FastSink
from tests.peers.smtp import SmtpPeer
from tests.peers.webhook import WebhookPeer
from tests.peers.webpush import PushPeer

# -- SMTP -------------------------------------------------------------------------------


def test_smtp_peer_receives_mail_from_django(smtp_peer):
    message = mail.EmailMultiAlternatives(
        subject="Water off on Linden Street",
        body="The water is off from 9 to 12.\nSorry for the trouble.",
        from_email="office@example.org",
        to=["resident@example.org"],
        bcc=["archive@example.org"],
    )
    message.attach_alternative("<p>The water is <b>off</b> from 9 to 12.</p>", "text/html")
    assert message.send() == 1

    [received] = smtp_peer.wait_for(1)
    assert received.mail_from == "office@example.org"
    assert received.rcpt_tos == ["resident@example.org", "archive@example.org"]
    assert received.subject == "Water off on Linden Street"
    assert received.message["To"] == "resident@example.org"
    assert "Bcc" not in received.message
    assert received.text.rstrip() == "The water is off from 9 to 12.\nSorry for the trouble."
    assert received.html.rstrip() == "<p>The water is <b>off</b> from 9 to 12.</p>"

    smtp_peer.clear()
    assert smtp_peer.messages == []


def test_smtp_peer_keeps_non_ascii_mail(smtp_peer):
    mail.send_mail("Straßenfest 🎉", "Grüße aus dem Büro", "büro@example.org", ["a@example.org"])
    [received] = smtp_peer.wait_for(1)
    assert received.subject == "Straßenfest 🎉"
    assert received.text.rstrip() == "Grüße aus dem Büro"


def test_smtp_peer_wait_for_times_out_with_a_clear_message():
    with SmtpPeer() as peer, pytest.raises(AssertionError, match="expected at least 1 email"):
        peer.wait_for(1, timeout=0.05)


# -- Web Push ---------------------------------------------------------------------------


@pytest.fixture
def vapid():
    key = Vapid02()
    key.generate_keys()
    return key


def _public_key(key: Vapid01) -> str:
    point = key.public_key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    return b64urlencode(point)


def _push(subscription, vapid, payload, **kwargs):
    return webpush(
        subscription,
        data=json.dumps(payload),
        vapid_private_key=vapid,
        vapid_claims={"sub": "mailto:ops@example.org"},
        **kwargs,
    )


def test_push_peer_decrypts_a_pywebpush_notification(push_peer, vapid):
    subscription = push_peer.new_subscription()
    notice = {"title": "Street party", "body": "Saturday from 14:00", "url": "/notices/42/"}

    response = webpush(
        subscription,
        data=json.dumps(notice),
        vapid_private_key=vapid,
        vapid_claims={"sub": "mailto:ops@example.org"},
        ttl=600,
        headers={"Urgency": "high", "Topic": "notice-42"},
    )

    assert response.status_code == 201
    assert response.headers["Location"].startswith(f"{push_peer.url}/message/")
    [message] = push_peer.wait_for(1)
    assert push_peer.rejections == []
    assert message.json == notice
    assert message.payload == json.dumps(notice).encode()
    assert message.ttl == 600
    assert message.urgency == "high"
    assert message.topic == "notice-42"
    assert message.endpoint == subscription["endpoint"]
    assert message.headers["content-encoding"] == "aes128gcm"
    assert message.vapid_claims["aud"] == push_peer.url
    assert message.vapid_claims["sub"] == "mailto:ops@example.org"
    assert message.vapid_public_key == _public_key(vapid)
    assert push_peer.messages_for(subscription["endpoint"]) == [message]
    assert push_peer.attempts_for(subscription["endpoint"]) == 1


def test_push_peer_keeps_subscriptions_apart_over_one_connection(push_peer, vapid):
    first, second = push_peer.new_subscription(), push_peer.new_subscription()
    with requests.Session() as session:
        for number, subscription in enumerate([first, second, first]):
            _push(subscription, vapid, {"n": number}, ttl=60, requests_session=session)

    push_peer.wait_for(3)
    assert [m.json for m in push_peer.messages_for(first["endpoint"])] == [{"n": 0}, {"n": 2}]
    assert [m.json for m in push_peer.messages_for(second["endpoint"])] == [{"n": 1}]
    assert [m.urgency for m in push_peer.messages] == [None, None, None]
    assert push_peer.rejections == []


def test_push_peer_accepts_the_older_webpush_crypto_key_form(push_peer):
    legacy = Vapid01()
    legacy.generate_keys()
    subscription = push_peer.new_subscription()
    claims = {"sub": "https://example.org", "aud": push_peer.url}
    headers = legacy.sign(claims)
    assert headers["Authorization"].startswith("WebPush ")

    response = WebPusher(subscription).send(b"legacy hello", headers=headers, ttl=30)

    assert response.status_code == 201, response.text
    [message] = push_peer.wait_for(1)
    assert message.payload == b"legacy hello"
    assert message.json is None
    assert message.vapid_public_key == _public_key(legacy)


def test_push_peer_rejects_a_token_signed_by_another_key(push_peer, vapid):
    impostor = Vapid02()
    impostor.generate_keys()
    subscription = push_peer.new_subscription()
    token = impostor.sign({"sub": "mailto:ops@example.org", "aud": push_peer.url})
    token = token["Authorization"].split(",k=")[0]
    forged = {"Authorization": f"{token},k={_public_key(vapid)}"}

    response = WebPusher(subscription).send(b'{"a": 1}', headers=forged, ttl=60)

    assert response.status_code == 400
    assert "signature does not match" in response.text
    assert push_peer.messages == []
    assert len(push_peer.rejections) == 1
    assert "signature does not match" in push_peer.rejections[0]
    assert push_peer.attempts_for(subscription["endpoint"]) == 1


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"aud": "http://127.0.0.1:1"}, "aud must be"),
        ({"exp": int(time.time()) - 5}, "expired"),
        ({"exp": int(time.time()) + 25 * 3600}, "more than 24 hours ahead"),
        ({"sub": "ops@example.org"}, "sub must be"),
    ],
)
def test_push_peer_rejects_bad_vapid_claims(push_peer, claims, reason):
    key = Vapid02(conf={"no-strict": True})
    key.generate_keys()
    subscription = push_peer.new_subscription()
    full_claims = {"sub": "mailto:ops@example.org", "aud": push_peer.url} | claims

    response = WebPusher(subscription).send(b"x", headers=key.sign(full_claims), ttl=60)

    assert response.status_code == 400
    assert reason in response.text
    assert push_peer.messages == []
    assert reason in push_peer.rejections[0]


def test_push_peer_rejects_missing_ttl_wrong_encoding_and_foreign_keys(push_peer, vapid):
    subscription, other = push_peer.new_subscription(), push_peer.new_subscription()
    auth = vapid.sign({"sub": "mailto:ops@example.org", "aud": push_peer.url})
    body = WebPusher(subscription).encode(b"hello")["body"]

    no_ttl = requests.post(
        subscription["endpoint"],
        data=body,
        headers={**auth, "Content-Encoding": "aes128gcm"},
        timeout=5,
    )
    old_encoding = WebPusher(subscription).send(
        b"hello", headers=dict(auth), ttl=60, content_encoding="aesgcm"
    )
    # Encrypted for `other` but posted to `subscription`: the peer cannot decrypt it.
    misaddressed = WebPusher(dict(other, endpoint=subscription["endpoint"])).send(
        b"hello", headers=dict(auth), ttl=60
    )
    no_auth = requests.post(
        subscription["endpoint"],
        data=body,
        headers={"Content-Encoding": "aes128gcm", "TTL": "60"},
        timeout=5,
    )
    bad_urgency = WebPusher(subscription).send(
        b"hello", headers={**auth, "Urgency": "urgent"}, ttl=60
    )

    responses = [no_ttl, old_encoding, misaddressed, no_auth, bad_urgency]
    assert [r.status_code for r in responses] == [400] * 5
    reasons = push_peer.rejections
    assert "missing TTL header" in reasons[0]
    assert "Content-Encoding must be aes128gcm" in reasons[1]
    assert "does not decrypt" in reasons[2]
    assert "missing Authorization header" in reasons[3]
    assert "Urgency must be one of" in reasons[4]
    assert push_peer.messages == []
    assert push_peer.attempts_for(subscription["endpoint"]) == 5


def test_push_peer_plays_scripted_statuses(push_peer, vapid):
    subscription = push_peer.new_subscription()
    push_peer.respond(subscription["endpoint"], [500, 503, 201], retry_after=7)

    for attempt in (1, 2):
        with pytest.raises(WebPushException) as failure:
            _push(subscription, vapid, {"attempt": attempt}, ttl=60)
        assert failure.value.response.status_code == {1: 500, 2: 503}[attempt]
        assert failure.value.response.headers["Retry-After"] == "7"
    _push(subscription, vapid, {"attempt": 3}, ttl=60)
    _push(subscription, vapid, {"attempt": 4}, ttl=60)

    assert push_peer.attempts_for(subscription["endpoint"]) == 4
    assert [m.json for m in push_peer.wait_for(2)] == [{"attempt": 3}, {"attempt": 4}]
    assert push_peer.rejections == []


def test_push_peer_answers_gone_and_not_found(push_peer, vapid):
    gone, alive = push_peer.new_subscription(), push_peer.new_subscription()
    push_peer.gone(gone["endpoint"])

    for _ in range(2):
        with pytest.raises(WebPushException) as failure:
            _push(gone, vapid, {"x": 1}, ttl=60)
        assert failure.value.response.status_code == 410
    unknown = dict(alive, endpoint=f"{push_peer.url}/push/no-such-id")
    with pytest.raises(WebPushException) as failure:
        _push(unknown, vapid, {"x": 1}, ttl=60)
    assert failure.value.response.status_code == 404
    _push(alive, vapid, {"x": 2}, ttl=60)

    assert push_peer.attempts_for(gone["endpoint"]) == 2
    assert push_peer.messages_for(gone["endpoint"]) == []
    assert [m.json for m in push_peer.messages] == [{"x": 2}]


def test_push_peer_wait_for_reports_rejections():
    with PushPeer() as peer:
        subscription = peer.new_subscription()
        requests.post(subscription["endpoint"], data=b"x", timeout=5)
        with pytest.raises(AssertionError, match="missing Authorization header"):
            peer.wait_for(1, timeout=0.05)
        peer.clear()
        assert peer.rejections == []
        assert peer.attempts_for(subscription["endpoint"]) == 0


# -- Standard Webhooks ------------------------------------------------------------------


def _sign(secret: str, msg_id: str, timestamp: int, body: str) -> str:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    digest = hmac.new(key, f"{msg_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def _deliver(peer: WebhookPeer, body: str, signature: str, msg_id="msg_1", timestamp=None):
    timestamp = int(time.time()) if timestamp is None else timestamp
    return requests.post(
        peer.url("/hooks/notices"),
        data=body.encode(),
        headers={
            "Content-Type": "application/json",
            "Webhook-Id": msg_id,
            "Webhook-Timestamp": str(timestamp),
            "Webhook-Signature": signature,
        },
        timeout=5,
    )


def test_webhook_peer_accepts_a_hand_signed_delivery(webhook_peer):
    body = json.dumps({"type": "notice.published", "data": {"id": 42, "title": "Fête"}})
    timestamp = int(time.time())
    signature = _sign(webhook_peer.secret, "msg_2abc", timestamp, body)
    assert signature == Webhook(webhook_peer.secret).sign(
        "msg_2abc", datetime.fromtimestamp(timestamp, tz=UTC), body
    )

    response = _deliver(webhook_peer, body, signature, "msg_2abc", timestamp)

    assert response.status_code == 200
    [message] = webhook_peer.wait_for(1)
    assert webhook_peer.rejections == []
    assert message.id == "msg_2abc"
    assert message.timestamp == timestamp
    assert message.payload == {"type": "notice.published", "data": {"id": 42, "title": "Fête"}}
    assert message.raw == body.encode()
    assert message.path == "/hooks/notices"
    assert message.headers["webhook-signature"] == signature
    assert webhook_peer.attempts == 1


def test_webhook_peer_rejects_a_wrong_signature(webhook_peer):
    body = json.dumps({"type": "notice.published"})
    wrong = _sign("whsec_" + base64.b64encode(b"another secret!!").decode(), "m", 1, body)

    response = _deliver(webhook_peer, body, wrong, "m")

    assert response.status_code == 401
    assert webhook_peer.messages == []
    assert len(webhook_peer.rejections) == 1
    assert "No matching signature found" in webhook_peer.rejections[0]


def test_webhook_peer_ignores_a_request_cut_off_mid_body(webhook_peer):
    # A sender killed mid-request: the body never arrives whole, so the peer neither
    # records a delivery nor blames the signature.
    body = json.dumps({"type": "notice.published"}).encode()
    timestamp = int(time.time())
    signature = _sign(webhook_peer.secret, "m", timestamp, body.decode())
    head = (
        f"POST /hooks/notices HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        f"webhook-id: m\r\nwebhook-timestamp: {timestamp}\r\n"
        f"webhook-signature: {signature}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", webhook_peer.port), 5) as client:
        client.sendall(head + body[:10])
        client.shutdown(socket.SHUT_WR)
        assert client.recv(1024) == b""

    assert webhook_peer.rejections == []
    assert webhook_peer.messages == []


def test_webhook_peer_rejects_a_signed_but_altered_body(webhook_peer):
    timestamp = int(time.time())
    signature = _sign(webhook_peer.secret, "m", timestamp, '{"amount": 1}')

    response = _deliver(webhook_peer, '{"amount": 100}', signature, "m", timestamp)

    assert response.status_code == 401
    assert webhook_peer.messages == []


def test_webhook_peer_rejects_a_stale_timestamp(webhook_peer):
    body = "{}"
    old = int(time.time()) - 600

    response = _deliver(webhook_peer, body, _sign(webhook_peer.secret, "m", old, body), "m", old)

    assert response.status_code == 401
    assert "too old" in webhook_peer.rejections[0]


def test_webhook_peer_accepts_one_valid_signature_among_several(webhook_peer):
    body = json.dumps({"type": "rotation"})
    timestamp = int(time.time())
    retired = "whsec_" + base64.b64encode(b"retired secret, 24 bytes").decode()
    signatures = " ".join(
        [
            _sign(retired, "m", timestamp, body),
            _sign(webhook_peer.secret, "m", timestamp, body),
        ]
    )

    response = _deliver(webhook_peer, body, signatures, "m", timestamp)

    assert response.status_code == 200
    assert [m.payload for m in webhook_peer.wait_for(1)] == [{"type": "rotation"}]


def test_webhook_peer_plays_scripted_statuses_and_follows_its_secret(webhook_peer):
    webhook_peer.secret = "whsec_" + base64.b64encode(b"a secret set by the test").decode()
    webhook_peer.respond([500, 200], retry_after=3)
    body = json.dumps({"n": 1})
    timestamp = int(time.time())
    signature = _sign(webhook_peer.secret, "m", timestamp, body)

    responses = [_deliver(webhook_peer, body, signature, "m", timestamp) for _ in "abc"]

    assert [r.status_code for r in responses] == [500, 200, 200]
    assert [r.headers.get("Retry-After") for r in responses] == ["3", None, None]
    assert webhook_peer.attempts == 3
    assert [m.id for m in webhook_peer.wait_for(2)] == ["m", "m"]
    webhook_peer.clear()
    assert (webhook_peer.attempts, webhook_peer.messages) == (0, [])


# -- Benchmark sink ---------------------------------------------------------------------


def test_fast_sink_answers_keep_alive_requests():
    with FastSink() as sink, requests.Session() as session:
        statuses = [
            session.post(f"{sink.url}/push/{n}", data=b"x" * n, timeout=5).status_code
            for n in range(200)
        ]
        assert statuses == [201] * 200
        assert sink.count == 200
        assert sink.connections == 1
        assert sink.first_at is not None
        assert sink.last_at is not None
        assert sink.first_at <= sink.last_at


def test_fast_sink_parses_pipelined_requests():
    requests_bytes = b"".join(
        [
            b"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
            b"POST /b HTTP/1.1\r\nHost: x\r\ncontent-length: 0\r\n\r\n",
            b"POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
            b"POST /d HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\n\r\nPOST /e HTTP",
        ]
    )
    expected = b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n" * 4
    with FastSink() as sink, socket.create_connection(("127.0.0.1", sink.port), 5) as client:
        for start in range(0, len(requests_bytes), 7):  # arrive in awkward slices
            client.sendall(requests_bytes[start : start + 7])
        received = b""
        while len(received) < len(expected):
            received += client.recv(4096)
        assert received == expected
        assert sink.count == 4
