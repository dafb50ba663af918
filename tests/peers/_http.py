"""Shared plumbing for the threaded HTTP/1.1 peers: a loopback server, a handler, scripted statuses."""

from __future__ import annotations

import contextlib
import socket
import socketserver
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

LOOPBACK = "127.0.0.1"
MAX_BODY = 1024 * 1024


class StatusScript:
    """Statuses handed out in order; the last one repeats once the list is used up."""

    def __init__(self, default: int) -> None:
        self._pending: list[int] = []
        self._sticky = default
        self.retry_after: int | None = None

    def set(self, statuses: Sequence[int], retry_after: int | None = None) -> None:
        """Answer the next requests with `statuses`, then keep answering with the last one."""
        if not statuses:
            raise ValueError("respond() needs at least one status")
        self._pending = list(statuses)
        self._sticky = self._pending[-1]
        self.retry_after = retry_after

    def next(self) -> int:
        """The status for the request being answered now."""
        if self._pending:
            return self._pending.pop(0)
        return self._sticky

    def error_headers(self, status: int) -> dict[str, str]:
        """`Retry-After` for an error status, when one was scripted."""
        if status >= 400 and self.retry_after is not None:
            return {"Retry-After": str(self.retry_after)}
        return {}


class PeerHandler(BaseHTTPRequestHandler):
    """HTTP/1.1 handler with keep-alive that hands every POST to its peer."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; without TCP_NODELAY the body waits for the
    # client's delayed ACK (about 40 ms a request on Linux).
    disable_nagle_algorithm = True
    server: LoopbackHTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output quiet."""

    def read_body(self) -> bytes:
        """The request body, from Content-Length or a chunked transfer."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0 or length > MAX_BODY:
            raise ValueError(f"unacceptable Content-Length {length}")
        body = self.rfile.read(length) if length else b""
        if len(body) < length:
            # The client hung up mid-body (a killed sender): a server never sees such a
            # request, so it is neither a delivery nor a rejection.
            raise ConnectionAbortedError(f"body cut off after {len(body)} of {length} bytes")
        return body

    def _read_chunked(self) -> bytes:
        body = bytearray()
        while True:
            size = int(self.rfile.readline(1024).split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass
                return bytes(body)
            chunk = self.rfile.read(size)
            if len(chunk) < size:
                raise ConnectionAbortedError("chunked body cut off")
            body += chunk
            self.rfile.readline(1024)
            if len(body) > MAX_BODY:
                raise ValueError("chunked body too large")

    def reply(
        self,
        status: int,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        content_type: str = "text/plain; charset=utf-8",
    ) -> None:
        """Send a complete response; Content-Length is always set so the connection stays usable."""
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if body:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def do_POST(self) -> None:
        try:
            body = self.read_body()
        except ValueError as error:
            self.close_connection = True
            self.reply(400, f"unreadable body: {error}".encode())
            return
        self.server.on_post(self, body)

    def do_GET(self) -> None:
        if self.server.on_get is None:
            self._not_allowed()
        else:
            self.server.on_get(self)

    def _not_allowed(self) -> None:
        allow = "POST" if self.server.on_get is None else "GET, POST"
        self.reply(405, f"only {allow} is accepted\n".encode(), {"Allow": allow})

    do_PUT = do_DELETE = do_PATCH = do_HEAD = _not_allowed


class LoopbackHTTPServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer on 127.0.0.1 that can cut its keep-alive connections on close."""

    daemon_threads = True

    def __init__(
        self,
        on_post: Callable[[PeerHandler, bytes], None],
        on_get: Callable[[PeerHandler], None] | None = None,
    ) -> None:
        self.on_post = on_post
        self.on_get = on_get
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__((LOOPBACK, 0), PeerHandler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the FQDN of the address; skip the DNS round trip.
        socketserver.TCPServer.server_bind(self)
        self.server_name = LOOPBACK
        self.server_port = self.server_address[1]

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client hanging up mid-request is normal for a test peer; anything else is printed.
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)

    def close_connections(self) -> None:
        """Hang up every open keep-alive connection so handler threads end."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class HTTPPeer:
    """Base for the threaded peers: start/stop, context manager and the origin URL.

    A peer that also answers GET defines `_on_get(handler)`; the others answer it 405.
    """

    _on_get: Callable[[PeerHandler], None] | None = None

    def __init__(self) -> None:
        self._server: LoopbackHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)

    def _on_post(self, handler: PeerHandler, body: bytes) -> None:
        raise NotImplementedError

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError(f"{type(self).__name__} is not running")
        return self._server.server_address[1]

    @property
    def origin(self) -> str:
        """`http://127.0.0.1:<port>`."""
        return f"http://{LOOPBACK}:{self.port}"

    def start(self) -> Self:
        """Bind a free loopback port and serve from a daemon thread."""
        if self._server is not None:
            raise RuntimeError(f"{type(self).__name__} is already running")
        self._server = LoopbackHTTPServer(self._on_post, self._on_get)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"{type(self).__name__}:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, hang up open connections and free the port."""
        server, thread = self._server, self._thread
        if server is None:
            return
        server.shutdown()
        server.close_connections()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _wait_until(
        self, ready: Callable[[], bool], timeout: float, describe: Callable[[], str]
    ) -> None:
        with self._changed:
            if not self._changed.wait_for(ready, timeout=timeout):
                raise AssertionError(describe())


def lower_headers(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Request headers as a plain dict with lowercase names (repeated names joined by ", ")."""
    headers: dict[str, str] = {}
    for name, value in items:
        key = name.lower()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return headers
