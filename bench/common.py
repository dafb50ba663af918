"""What every benchmark shares: how it fails, prints and times its steps."""

import time


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
