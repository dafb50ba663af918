"""A Standard Webhooks receiver on loopback that verifies every signature it is sent."""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from typing import Any

from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from ._http import HTTPPeer, PeerHandler, StatusScript, lower_headers


def new_secret() -> str:
    """A random `whsec_` secret in the Standard Webhooks format."""
    return "whsec_" + base64.b64encode(os.urandom(24)).decode()


@dataclass(frozen=True)
class WebhookMessage:
    """One verified delivery."""

    id: str
    timestamp: int
    headers: dict[str, str]
    payload: dict[str, Any]
    raw: bytes
    path: str


class WebhookPeer(HTTPPeer):
    """Accepts POSTs on any path; verifies them with `standardwebhooks.Webhook(secret)`.

    A bad or missing signature (or a stale timestamp) is answered 401 and recorded in
    `rejections`; a body that is not a JSON object is answered 400 and recorded too.
    Verified deliveries are recorded only when the scripted status is 2xx.
    """

    def __init__(self, secret: str | None = None) -> None:
        super().__init__()
        self.secret: str = secret or new_secret()
        self._script = StatusScript(200)
        self._messages: list[WebhookMessage] = []
        self._rejections: list[str] = []
        self._attempts = 0

    def url(self, path: str = "/hook") -> str:
        """A URL on this peer; any path is accepted."""
        return f"{self.origin}/{path.lstrip('/')}"

    def respond(self, statuses: list[int], *, retry_after: int | None = None) -> None:
        """Answer the next verified POSTs with `statuses`, then repeat the last one.

        With `retry_after`, error answers carry `Retry-After: <seconds>`.
        """
        with self._lock:
            self._script.set(statuses, retry_after)

    @property
    def messages(self) -> list[WebhookMessage]:
        """Verified deliveries, oldest first."""
        with self._lock:
            return list(self._messages)

    @property
    def rejections(self) -> list[str]:
        """One line per request that failed verification: `<path>: <reason>`."""
        with self._lock:
            return list(self._rejections)

    @property
    def attempts(self) -> int:
        """POSTs received, whatever the answer."""
        with self._lock:
            return self._attempts

    def wait_for(self, count: int, timeout: float = 10) -> list[WebhookMessage]:
        """Block until at least `count` deliveries were verified; return them all."""

        def describe() -> str:
            return (
                f"expected at least {count} webhook(s) within {timeout}s, "
                f"got {len(self._messages)}; attempts: {self._attempts}; "
                f"rejections: {self._rejections}"
            )

        self._wait_until(lambda: len(self._messages) >= count, timeout, describe)
        return self.messages

    def clear(self) -> None:
        """Forget deliveries, rejections and the attempt count; secret and script stay."""
        with self._lock:
            self._messages.clear()
            self._rejections.clear()
            self._attempts = 0

    def _reject(self, handler: PeerHandler, path: str, status: int, reason: str) -> None:
        with self._lock:
            self._rejections.append(f"{path}: {reason}")
            self._changed.notify_all()
        handler.reply(status, f"{reason}\n".encode())

    def _on_post(self, handler: PeerHandler, body: bytes) -> None:
        path = handler.path
        with self._lock:
            self._attempts += 1
            self._changed.notify_all()
        headers = lower_headers(handler.headers.items())
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            self._reject(handler, path, 400, "body is not UTF-8")
            return
        try:
            Webhook(self.secret).verify(text, headers, json_parse=False)
        except (WebhookVerificationError, ValueError) as error:
            self._reject(handler, path, 401, f"signature rejected: {error}")
            return
        try:
            payload = json.loads(text)
        except ValueError as error:
            self._reject(handler, path, 400, f"body is not JSON: {error}")
            return
        if not isinstance(payload, dict):
            self._reject(handler, path, 400, "body is not a JSON object")
            return
        message = WebhookMessage(
            id=headers["webhook-id"],
            timestamp=int(float(headers["webhook-timestamp"])),
            headers=headers,
            payload=payload,
            raw=body,
            path=path,
        )
        with self._lock:
            status = self._script.next()
            extra = self._script.error_headers(status)
            if 200 <= status < 300:
                self._messages.append(message)
            self._changed.notify_all()
        answer = b"" if status in (200, 204) else f"scripted status {status}\n".encode()
        handler.reply(status, answer, extra)
