"""A bare HTTP/1.1 sink for benchmarks: answers every request `201 Created` as fast as it can."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Self

LOOPBACK = "127.0.0.1"
RESPONSE = b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"
BAD_REQUEST = b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
MAX_HEAD = 64 * 1024


class _Incomplete(Exception):
    """More bytes are needed before the request can be consumed."""


def _chunked_end(buf: bytearray, pos: int) -> int:
    """Index just past a chunked body starting at `pos`."""
    while True:
        line_end = buf.find(b"\r\n", pos)
        if line_end < 0:
            raise _Incomplete
        size = int(bytes(buf[pos:line_end]).split(b";", 1)[0], 16)
        pos = line_end + 2
        if size == 0:
            while True:  # optional trailers, then an empty line
                line_end = buf.find(b"\r\n", pos)
                if line_end < 0:
                    raise _Incomplete
                if line_end == pos:
                    return pos + 2
                pos = line_end + 2
        pos += size + 2
        if pos > len(buf):
            raise _Incomplete


def _request_end(buf: bytearray, start: int) -> tuple[int, bool]:
    """(index just past the request at `start`, whether the client asked to close)."""
    head_end = buf.find(b"\r\n\r\n", start)
    if head_end < 0:
        if len(buf) - start > MAX_HEAD:
            raise ValueError("request head too large")
        raise _Incomplete
    head = bytes(buf[start:head_end]).lower()
    body_start = head_end + 4
    close = b"\r\nconnection: close" in head or (
        head.split(b"\r\n", 1)[0].endswith(b"http/1.0") and b"connection: keep-alive" not in head
    )
    if b"\r\ntransfer-encoding:" in head and b"chunked" in head:
        return _chunked_end(buf, body_start), close
    marker = head.find(b"\r\ncontent-length:")
    if marker < 0:
        return body_start, close
    value_start = marker + len(b"\r\ncontent-length:")
    value_end = head.find(b"\r\n", value_start)
    length = int(head[value_start : value_end if value_end >= 0 else None])
    if length < 0:
        raise ValueError("negative Content-Length")
    end = body_start + length
    if end > len(buf):
        raise _Incomplete
    return end, close


class _SinkProtocol(asyncio.Protocol):
    def __init__(self, sink: FastSink) -> None:
        self._sink = sink
        self._buf = bytearray()
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport  # type: ignore[assignment]
        self._sink._transports.add(transport)
        self._sink.connections += 1

    def connection_lost(self, exc: Exception | None) -> None:
        self._sink._transports.discard(self._transport)  # type: ignore[arg-type]

    def data_received(self, data: bytes) -> None:
        buf = self._buf
        buf += data
        pos = answered = 0
        close = False
        tail = b""
        while pos < len(buf) and not close:
            try:
                pos, close = _request_end(buf, pos)
            except _Incomplete:
                break
            except ValueError:
                close, tail = True, BAD_REQUEST
                break
            answered += 1
        del buf[:pos]
        if answered:
            self._sink._counted(answered)
        if self._transport is not None:
            if answered or tail:
                self._transport.write(RESPONSE * answered + tail)
            if close:
                self._transport.close()


class FastSink:
    """An asyncio HTTP/1.1 server on `127.0.0.1:<free port>` in its own thread.

    Keep-alive and pipelined requests are fine; bodies are framed by Content-Length or
    chunked encoding and discarded. `count` is the number of requests answered and
    `first_at`/`last_at` the `time.monotonic()` of the first and latest of them;
    `connections` counts the TCP connections accepted.
    """

    def __init__(self) -> None:
        self.count = 0
        self.connections = 0
        self.first_at: float | None = None
        self.last_at: float | None = None
        self._transports: set[asyncio.BaseTransport] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.AbstractServer | None = None
        self._thread: threading.Thread | None = None
        self._port = 0

    def _counted(self, answered: int) -> None:
        now = time.monotonic()
        if self.first_at is None:
            self.first_at = now
        self.last_at = now
        self.count += answered

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FastSink is not running")
        return self._port

    @property
    def url(self) -> str:
        """`http://127.0.0.1:<port>`; any path is accepted."""
        return f"http://{LOOPBACK}:{self.port}"

    def reset(self) -> None:
        """Zero the counters (call while no requests are in flight)."""
        self.count = self.connections = 0
        self.first_at = self.last_at = None

    def wait_for(self, count: int, timeout: float = 10) -> None:
        """Block until at least `count` requests were answered."""
        deadline = time.monotonic() + timeout
        while self.count < count:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"expected at least {count} request(s) within {timeout}s, got {self.count}"
                )
            time.sleep(0.002)

    def start(self) -> Self:
        """Bind a free loopback port and serve from a daemon thread.

        The loop lives entirely in that thread: the caller's thread may already
        run an event loop of its own (Playwright's sync API does).
        """
        if self._thread is not None:
            raise RuntimeError("FastSink is already running")
        ready = threading.Event()
        self._thread = threading.Thread(
            target=self._serve, args=(ready,), name="FastSink", daemon=True
        )
        self._thread.start()
        if not ready.wait(timeout=5) or self._server is None:
            raise RuntimeError("FastSink did not start")
        return self

    def _serve(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        try:
            server = loop.run_until_complete(
                loop.create_server(lambda: _SinkProtocol(self), LOOPBACK, 0, backlog=1024)
            )
            self._port = server.sockets[0].getsockname()[1]
            self._loop, self._server = loop, server
        finally:
            ready.set()
        loop.run_forever()
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()

    def _shutdown(self) -> None:
        assert self._server is not None and self._loop is not None
        self._server.close()
        for transport in list(self._transports):
            transport.close()
        self._loop.stop()

    def stop(self) -> None:
        """Close the listener and every connection, then end the thread."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        loop.call_soon_threadsafe(self._shutdown)
        thread.join(timeout=5)
        self._loop = self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
