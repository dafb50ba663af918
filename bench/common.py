"""What every benchmark shares: how it fails, prints and times its steps."""

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class BenchError(RuntimeError):
    """Something in the benchmark environment did not work; the message says what."""


def bench_print(*lines: str) -> None:
    for line in lines:
        print(line, flush=True)  # noqa: T201


def step(label: str, action, *, width: int = 34):
    """Run `action`, print how long it took beside `label`; returns its value and the seconds."""
    started = time.perf_counter()
    value = action()
    elapsed = time.perf_counter() - started
    bench_print(f"  {label:<{width}} {elapsed:8.1f} s")
    return value, elapsed


def manage(env: dict, *args: str) -> str:
    """Run `manage.py` with `args` in a benchmark hub's environment; its output, or BenchError."""
    done = subprocess.run(  # noqa: S603 - our interpreter, our manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise BenchError(
            f"manage.py {' '.join(args)} failed:\n{done.stdout[-2000:]}{done.stderr[-4000:]}"
        )
    return done.stdout
