"""No way out to internal addresses: refused when saved, resolved and pinned when sent.

The tests' own peers listen on loopback and are allowed by name in the test
settings (`LINLI_PUSH_INTERNAL_HOSTS`, `LINLI_WEBHOOK_INTERNAL_HOSTS`); the
tests here take that allowance away. Names are answered by a resolver
override (what a DNS server pointing them at 127.0.0.1 would answer), and
connections are counted by a real listener on loopback.
"""

import ipaddress
import socket
import threading

import pytest

from core.testing import post_admin_form
from notices.factories import NoticePageFactory
from subscriptions.factories import SubscriptionFactory, WebhookEndpointFactory
from subscriptions.models import Delivery, Subscription, WebhookEndpoint

pytestmark = pytest.mark.django_db

URL = "/api/v1/subscriptions/"
KEYS = {"p256dh": "B" + "A" * 86, "auth": "A" * 22}


class Listener:
    """A TCP listener on a loopback address that counts the connections it accepts."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.socket = socket.create_server((host, port))
        self.port = self.socket.getsockname()[1]
        self.accepted = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.accepted += 1
            connection.close()

    def close(self):
        self.socket.close()


@pytest.fixture
def listener():
    trap = Listener()
    yield trap
    trap.close()


@pytest.fixture
def dns(monkeypatch):
    """Answers the names put in it with the addresses given, in turn; other names as usual."""
    answers: dict[str, list[str]] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
        name = host.rstrip(".").lower() if isinstance(host, str) else host
        if name in answers:
            queue = answers[name]
            address = queue.pop(0) if len(queue) > 1 else queue[0]
            return real(address, port, family, type, proto, flags | socket.AI_NUMERICHOST)
        return real(host, port, family, type, proto, flags)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


def subscribe(client, endpoint: str):
    body = {"web_push": {"endpoint": endpoint, "keys": KEYS}, "content_types": ["notice"]}
    return client.post(URL, body, content_type="application/json")


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://metadata.google.internal/computeMetadata/v1/",
        "https://vm.localhost:8812/",
        "https://localhost/push/1",
        "https://localhost./push/1",
        "https://localhost.localdomain/",
        "https://printer.local/",
        "https://router.home.arpa/",
        "https://push.test/",
        "https://push.invalid/",
        "https://push.example/",
        "https://vm.localhost.:8812/",
        "https://metadata/",
        "https://[64:ff9b::7f00:1]/",
        "https://[64:ff9b::a00:1]/",
        "https://[::ffff:10.0.0.1]/",
        "https://[2002:a00:1::]/",
        "https://[::1]/",
        "https://[fe80::1]/",
        "https://[fc00::1]/",
        "https://[fec0::1]/",
        "https://[ff02::1]/",
        "https://127.0.0.1/",
        "https://10.0.0.1/",
        "https://169.254.169.254/latest/meta-data/",
        "https://100.64.0.1/",
        "https://0.0.0.0/",
        "https://224.0.0.1/",
        "https://127.1/",
        "https://0x7f.0.0.1/",
        "http://push.example.com/",
    ],
)
def test_push_endpoints_that_lead_inside_are_refused_at_subscription(
    tree, client, settings, endpoint
):
    settings.LINLI_PUSH_INTERNAL_HOSTS = []
    response = subscribe(client, endpoint)
    assert response.status_code == 400, response.json()
    assert response.json()["error"]["field"] == "web_push"
    assert not Subscription.objects.exists()


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://fcm.googleapis.com/fcm/send/abc",
        "https://updates.push.services.mozilla.com/wpush/v2/abc",
        "https://WEB.PUSH.APPLE.COM./abc",
        "https://[2606:4700::1111]/abc",
        "https://[64:ff9b::808:808]/abc",
        "https://8.8.8.8/abc",
    ],
)
def test_public_push_services_are_accepted(tree, client, settings, endpoint):
    settings.LINLI_PUSH_INTERNAL_HOSTS = []
    assert subscribe(client, endpoint).status_code == 201


def _publish_to_one(publish, tree):
    publish(NoticePageFactory(parent=tree.a.notices, audience=["elderly"]))
    return Delivery.objects.get()


@pytest.mark.parametrize("answer", ["127.0.0.1", "::ffff:127.0.0.1", "64:ff9b::7f00:1"])
def test_a_push_service_name_that_resolves_inside_is_refused_when_sending(
    tree, publish, settings, dns, listener, push_peer, answer
):
    settings.LINLI_PUSH_INTERNAL_HOSTS = []
    name = f"push-{listener.port}.example.net"
    dns[name] = [answer]
    endpoint = f"https://{name}:{listener.port}/push/abc"
    keys = push_peer.new_subscription()["keys"]  # real keys: the message is encrypted first
    subscription = SubscriptionFactory.with_push({"endpoint": endpoint, "keys": keys})
    delivery = _publish_to_one(publish, tree)
    assert listener.accepted == 0
    assert delivery.status == Delivery.Status.DEAD
    shown = ipaddress.ip_address(answer)
    assert f"resolves to {shown}, which is not a public address" in delivery.last_error
    assert not subscription.address("webpush").active  # not tried again


def test_an_endpoint_saved_before_the_check_is_refused_when_sending(
    tree, publish, settings, listener, push_peer
):
    settings.LINLI_PUSH_INTERNAL_HOSTS = []
    endpoint = f"https://vm.localhost:{listener.port}/"
    keys = push_peer.new_subscription()["keys"]
    SubscriptionFactory.with_push({"endpoint": endpoint, "keys": keys})
    delivery = _publish_to_one(publish, tree)
    assert listener.accepted == 0
    assert delivery.status == Delivery.Status.DEAD
    assert "special-use name" in delivery.last_error


def test_a_gateway_that_resolves_inside_is_disabled_unless_listed(
    tree, publish, settings, dns, listener, webhook_peer
):
    settings.LINLI_WEBHOOK_INTERNAL_HOSTS = []
    name = f"sms-{listener.port}.example.net"
    dns[name] = ["127.0.0.1"]
    endpoint = WebhookEndpointFactory(url=f"http://{name}:{listener.port}/hook")
    delivery = _publish_to_one(publish, tree)
    assert listener.accepted == 0
    assert delivery.status == Delivery.Status.DEAD
    assert "not a public address" in delivery.last_error
    endpoint.refresh_from_db()
    assert not endpoint.active and "127.0.0.1" in endpoint.disabled_reason

    # An administrator lists the office's gateway network: it is reached by its name.
    settings.LINLI_WEBHOOK_INTERNAL_HOSTS = ["127.0.0.0/8"]
    gateway = f"gateway-{webhook_peer.port}.example.net"
    dns[gateway] = ["127.0.0.1"]
    WebhookEndpointFactory(
        url=f"http://{gateway}:{webhook_peer.port}/hook", secret=webhook_peer.secret
    )
    publish(NoticePageFactory(parent=tree.a.notices, audience=["elderly"]))
    [message] = webhook_peer.wait_for(1)
    assert message.headers["host"] == f"{gateway}:{webhook_peer.port}"


def test_the_connection_goes_to_the_address_that_was_checked(
    tree, publish, settings, dns, webhook_peer
):
    # The name first resolves to the listed gateway, then (rebinding) to another
    # internal address: the message goes to the first, where it was checked.
    settings.LINLI_WEBHOOK_INTERNAL_HOSTS = ["127.0.0.1"]
    trap = Listener("127.0.0.2", webhook_peer.port)
    try:
        name = f"rebind-{webhook_peer.port}.example.net"
        dns[name] = ["127.0.0.1", "127.0.0.2"]
        WebhookEndpointFactory(
            url=f"http://{name}:{webhook_peer.port}/hook", secret=webhook_peer.secret
        )
        delivery = _publish_to_one(publish, tree)
        assert delivery.status == Delivery.Status.SENT
        assert len(webhook_peer.messages) == 1
        assert trap.accepted == 0
    finally:
        trap.close()


ADD_GATEWAY = "/admin/snippets/subscriptions/webhookendpoint/add/"


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.5.7/sms",
        "https://metadata.google.internal/",
        "http://localhost:8080/",
        "https://sms.corp/",
    ],
)
def test_staff_cannot_register_a_gateway_inside_the_network_unless_listed(
    tree, admin_client, settings, url
):
    settings.LINLI_WEBHOOK_INTERNAL_HOSTS = []
    form = {"name": "短信平台", "url": url, "locale": "zh-hans"}
    response = post_admin_form(admin_client, ADD_GATEWAY, form, form_id="w-editor-form")
    assert response.status_code == 200
    assert "网关须是公网地址" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()

    settings.LINLI_WEBHOOK_INTERNAL_HOSTS = ["10.0.5.0/24", "metadata.google.internal"]
    settings.LINLI_WEBHOOK_INTERNAL_HOSTS += ["localhost", "sms.corp"]
    response = post_admin_form(admin_client, ADD_GATEWAY, form, form_id="w-editor-form")
    assert response.status_code == 302
    assert WebhookEndpoint.objects.get().url == url


def test_credentials_in_a_gateway_url_are_sent_as_basic_auth(tree, publish, webhook_peer):
    url = webhook_peer.url().replace("http://", "http://linli:s%40fe@")
    WebhookEndpointFactory(url=url, secret=webhook_peer.secret)
    publish(NoticePageFactory(parent=tree.a.notices, audience=["elderly"]))
    [message] = webhook_peer.wait_for(1)
    assert message.headers["authorization"] == "Basic bGlubGk6c0BmZQ=="  # linli:s@fe
