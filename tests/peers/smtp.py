"""An SMTP server on loopback (aiosmtpd) that keeps every message it receives."""

from __future__ import annotations

import asyncio
import email
import email.policy
import threading
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any, Self, cast

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class SmtpMessage:
    """One message as delivered: the envelope and the parsed content."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    raw: bytes

    @property
    def subject(self) -> str:
        return str(self.message["Subject"] or "")

    @property
    def text(self) -> str:
        """The text/plain body with \\n line ends ('' if there is none)."""
        return self._body("plain")

    @property
    def html(self) -> str:
        """The text/html body with \\n line ends ('' if there is none)."""
        return self._body("html")

    def _body(self, subtype: str) -> str:
        part = self.message.get_body((subtype,))
        if part is None:
            return ""
        return cast(str, part.get_content()).replace("\r\n", "\n")


class _Handler:
    """aiosmtpd handler: parses each message and hands it to a callback."""

    def __init__(self, deliver: Callable[[SmtpMessage], None]) -> None:
        self._deliver = deliver

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or cast(bytes, envelope.content) or b""
        message = cast(EmailMessage, email.message_from_bytes(raw, policy=email.policy.default))
        self._deliver(
            SmtpMessage(
                mail_from=envelope.mail_from or "",
                rcpt_tos=list(envelope.rcpt_tos),
                message=message,
                raw=raw,
            )
        )
        return "250 Message accepted for delivery"


class _LoopbackController(Controller):
    """A threaded aiosmtpd controller that lets the OS pick a free port."""

    def _create_server(self) -> Any:
        return self._bind_free_port()

    async def _bind_free_port(self) -> asyncio.AbstractServer:
        server = await self.loop.create_server(self._factory_invoker, host=self.hostname, port=0)
        self.port = server.sockets[0].getsockname()[1]
        return server


class SmtpPeer:
    """An SMTP server on `127.0.0.1:<free port>` that records what it is sent."""

    def __init__(self) -> None:
        self._messages: list[SmtpMessage] = []
        self._changed = threading.Condition()
        self._controller: _LoopbackController | None = None

    def _deliver(self, message: SmtpMessage) -> None:
        with self._changed:
            self._messages.append(message)
            self._changed.notify_all()

    @property
    def host(self) -> str:
        return LOOPBACK

    @property
    def port(self) -> int:
        if self._controller is None:
            raise RuntimeError("SmtpPeer is not running")
        return self._controller.port

    @property
    def messages(self) -> list[SmtpMessage]:
        """Received messages, oldest first."""
        with self._changed:
            return list(self._messages)

    def wait_for(self, count: int, timeout: float = 10) -> list[SmtpMessage]:
        """Block until at least `count` messages arrived; return them all."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self._messages) >= count, timeout):
                raise AssertionError(
                    f"expected at least {count} email(s) within {timeout}s, "
                    f"got {len(self._messages)}: {[m.subject for m in self._messages]}"
                )
            return list(self._messages)

    def clear(self) -> None:
        """Forget the received messages."""
        with self._changed:
            self._messages.clear()

    def start(self) -> Self:
        """Listen on a free loopback port."""
        if self._controller is not None:
            raise RuntimeError("SmtpPeer is already running")
        controller = _LoopbackController(
            _Handler(self._deliver),
            hostname=LOOPBACK,
            port=0,
            server_hostname="smtp-peer.localhost",
        )
        controller.start()
        self._controller = controller
        return self

    def stop(self) -> None:
        """Stop listening."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
