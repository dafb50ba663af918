"""The API benchmark's world: a throwaway hub served by gunicorn, and wrk to load it."""

from __future__ import annotations

import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet

from bench.common import BenchError, bench_print, manage

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
HOST = "127.0.0.1"
HEALTHZ = "/healthz"

WRK_REPORT = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,' ..
    '"errors":%d,"bad_status":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""


# Run in `manage.py shell`: one warm-up request, then the queries of the next one.
@dataclass
class Result:
    scenario: str
    rate: float
    p50_ms: float
    p99_ms: float
    requests: int
    note: str = ""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def bench_line(output: str) -> dict:
    for line in reversed(output.splitlines()):
        if line.startswith("BENCH "):
            return json.loads(line.removeprefix("BENCH "))
    raise BenchError(f"no result in output:\n{output[-2000:]}")


class Environment:
    """The throwaway hub: a temporary var dir, its database, and the servers started on it."""

    def __init__(self, *, workers: int, folder: Path | None) -> None:
        self.workers = workers
        self.keep = folder is not None
        self.folder = folder or Path(tempfile.mkdtemp(prefix="linli-bench-api-"))
        (self.folder / "static").mkdir(parents=True, exist_ok=True)
        self.servers: list[subprocess.Popen] = []
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "LINLI_VAR_DIR": str(self.folder),
            "SECRET_KEY": secrets.token_urlsafe(64),
            "LINLI_ADDRESS_KEY": Fernet.generate_key().decode(),
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "SECURE_SSL_REDIRECT": "false",
            "DEBUG": "false",
            "LINLI_API_ANON_RATE": "0",
            "LINLI_API_CACHE": "true",
            "WAGTAILADMIN_BASE_URL": f"http://{HOST}:8000",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
        if self.env.get("REDIS_URL"):
            # Cache keys are content versions; another database's version 42 is not ours.
            self.env["CACHE_KEY_PREFIX"] = f"linli-bench-{secrets.token_hex(4)}"
        self.database = (
            self.env["DATABASE_URL"].split("://", 1)[0]
            if self.env.get("DATABASE_URL")
            else "sqlite"
        )

    def manage(self, *args: str, env: dict | None = None) -> str:
        return manage(env or self.env, *args)

    def shell(self, code: str, **overrides: str) -> dict:
        return bench_line(self.manage("shell", "-c", code, env={**self.env, **overrides}))

    def serve(self, *, cache: bool) -> int:
        """Start gunicorn on a free loopback port; returns the port once /healthz answers."""
        port = free_port()
        log = self.folder / f"gunicorn-{port}.log"
        with log.open("w") as output:
            server = subprocess.Popen(  # noqa: S603 - our interpreter, fixed arguments
                [
                    PYTHON,
                    "-m",
                    "gunicorn",
                    "config.wsgi:application",
                    f"--bind={HOST}:{port}",
                    f"--workers={self.workers}",
                    "--worker-class=sync",
                    "--backlog=2048",
                    "--timeout=60",
                ],
                cwd=ROOT,
                env={**self.env, "LINLI_API_CACHE": "true" if cache else "false"},
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.servers.append(server)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise BenchError(f"gunicorn exited:\n{log.read_text()[-3000:]}")
            try:
                status, _headers, _body = fetch(port, HEALTHZ)
            except OSError:
                time.sleep(0.2)
                continue
            if status == 200:
                return port
        raise BenchError("gunicorn did not answer /healthz within 60 s")

    def close(self) -> None:
        for server in self.servers:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGINT)  # gunicorn's quick shutdown
        for server in self.servers:
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        if not self.keep:
            shutil.rmtree(self.folder, ignore_errors=True)


def fetch(port: int, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def expect(port: int, path: str, status: int, headers: dict | None = None) -> tuple[dict, bytes]:
    got, answer_headers, body = fetch(port, path, headers)
    if got != status:
        raise BenchError(f"GET {path} answered {got}, expected {status}: {body[:300]!r}")
    return answer_headers, body


class Wrk:
    """Runs wrk against loopback with the report script; one instance per benchmark run."""

    def __init__(self, folder: Path, *, seconds: int, threads: int, connections: int) -> None:
        self.script = folder / "report.lua"
        self.script.write_text(WRK_REPORT)
        self.seconds = seconds
        self.threads = threads
        self.connections = connections

    def run(self, port: int, path: str, *, seconds: int, headers: dict | None = None) -> dict:
        command = [
            "wrk",
            f"--threads={self.threads}",
            f"--connections={self.connections}",
            f"--duration={seconds}s",
            "--timeout=10s",
            f"--script={self.script}",
        ]
        for name, value in (headers or {}).items():
            command += ["--header", f"{name}: {value}"]
        done = subprocess.run(  # noqa: S603 - wrk from PATH, loopback URL
            [*command, f"http://{HOST}:{port}{path}"],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise BenchError(f"wrk failed:\n{done.stdout}{done.stderr}")
        return bench_line(done.stdout)

    def measure(
        self, scenario: str, port: int, path: str, *, headers: dict | None = None, note: str = ""
    ) -> Result:
        # Warm-up: every worker imports, connects and fills its own cache first.
        self.run(port, path, seconds=2, headers=headers)
        report = self.run(port, path, seconds=self.seconds, headers=headers)
        if report["errors"] or report["bad_status"]:
            raise BenchError(
                f"{scenario}: {report['errors']} socket errors, {report['bad_status']} bad statuses"
            )
        result = Result(
            scenario,
            report["requests"] / (report["duration_us"] / 1e6),
            report["p50_us"] / 1000,
            report["p99_us"] / 1000,
            report["requests"],
            note,
        )
        bench_print(f"  {scenario:<34} {result.rate:8.0f} req/s")
        return result
