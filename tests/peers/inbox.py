"""A loopback receiver standing in for a customer's callback URL: records what it is sent."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from ._http import HTTPPeer, PeerHandler, lower_headers


@dataclass(frozen=True)
class InboxRequest:
    """One request the inbox received."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


#: (status, body, content type) for a request.
Answer = tuple[int, bytes, str]


def json_answer(payload: Any, status: int = 200) -> Callable[[InboxRequest], Answer]:
    """An `answer` that always replies `payload` as JSON."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return lambda request: (status, body, "application/json; charset=utf-8")


class InboxPeer(HTTPPeer):
    """Accepts GET and POST on any path, records them, answers with `answer(request)`."""

    def __init__(self, answer: Callable[[InboxRequest], Answer] | None = None) -> None:
        super().__init__()
        self.answer = answer or (lambda request: (200, b"", "text/plain"))
        self._requests: list[InboxRequest] = []

    def url(self, path: str = "/callback") -> str:
        """A URL on this inbox; any path is accepted."""
        return f"{self.origin}/{path.lstrip('/')}"

    @property
    def requests(self) -> list[InboxRequest]:
        """What was received, oldest first."""
        with self._lock:
            return list(self._requests)

    def _record(self, handler: PeerHandler, body: bytes) -> None:
        parts = urlsplit(handler.path)
        request = InboxRequest(
            method=handler.command,
            path=parts.path,
            query=dict(parse_qsl(parts.query, keep_blank_values=True)),
            headers=lower_headers(handler.headers.items()),
            body=body,
        )
        with self._lock:
            self._requests.append(request)
            self._changed.notify_all()
        status, answer, content_type = self.answer(request)
        handler.reply(status, answer, content_type=content_type)

    def _on_post(self, handler: PeerHandler, body: bytes) -> None:
        self._record(handler, body)

    def _on_get(self, handler: PeerHandler) -> None:
        self._record(handler, b"")
