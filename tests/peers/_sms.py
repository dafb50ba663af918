"""What the Chinese SMS and voice peers share: templates, billing, numbers, limits, callbacks."""

from __future__ import annotations

import json
import math
import re
import time
from collections import defaultdict, deque
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests

#: One SMS carries 70 characters, the 【signature】 included; a longer text is sent in parts
#: of 67 (both providers bill each part).
SINGLE_SMS_CHARS = 70
PART_CHARS = 67
#: The longest text either provider accepts for one message, signature included.
MAX_SMS_CHARS = 500

_MAINLAND_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_PREFIXES = ("+86", "0086", "86")


def mainland_mobile(number: str) -> str | None:
    """The 11-digit mainland mobile number in `number` (with or without +86/0086/86), or None."""
    number = number.strip()
    for prefix in _PREFIXES:
        if number.startswith(prefix) and len(number) == len(prefix) + 11:
            number = number[len(prefix) :]
            break
    return number if _MAINLAND_MOBILE.fullmatch(number) else None


def billed_parts(text: str) -> int:
    """How many messages the provider bills for `text` (the 【signature】 included)."""
    if len(text) <= SINGLE_SMS_CHARS:
        return 1
    return math.ceil(len(text) / PART_CHARS)


@dataclass(frozen=True)
class Template:
    """A template approved by the provider: its code, its text and its variable names in order."""

    code: str
    text: str
    kind: str
    variables: tuple[str, ...]

    def render(self, values: Mapping[str, str], pattern: re.Pattern[str]) -> str:
        """The text with each variable replaced by its value."""
        return pattern.sub(lambda match: values[match[1]], self.text)


@dataclass(frozen=True)
class SmsMessage:
    """One SMS the provider accepted for one number: what the resident's phone shows."""

    provider: str
    id: str
    phone: str
    sign_name: str
    template: str
    params: dict[str, str]
    text: str
    parts: int
    out_id: str
    sent_at: float


@dataclass(frozen=True)
class VoiceCall:
    """One text-to-speech call the provider accepted: what the resident hears."""

    provider: str
    id: str
    phone: str
    template: str
    params: dict[str, str]
    text: str
    play_times: int
    out_id: str
    called_at: float


@dataclass
class Receipt:
    """The carrier's word on one message, once the peer has been told to report it."""

    success: bool
    code: str
    description: str
    reported_at: float


@dataclass(frozen=True)
class CallbackAnswer:
    """How the customer's callback URL answered a report the peer pushed."""

    status: int
    body: bytes
    json: Any
    accepted: bool


def post_json(
    url: str, payload: Any, accepted: Callable[[int, Any], bool], timeout: float = 5
) -> CallbackAnswer:
    """POST `payload` as UTF-8 JSON the way the provider pushes callbacks; judge the answer."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    response = requests.post(
        url,
        data=body,
        headers={"Content-Type": "application/json; charset=utf-8"},
        timeout=timeout,
    )
    try:
        decoded = response.json()
    except ValueError:
        decoded = None
    return CallbackAnswer(
        status=response.status_code,
        body=response.content,
        json=decoded,
        accepted=accepted(response.status_code, decoded),
    )


@dataclass
class SlidingLimits:
    """Per-key send counts over rolling windows, e.g. {60: 1, 3600: 5, 86400: 10}."""

    windows: dict[int, int]
    _sent: defaultdict[Hashable, deque[float]] = field(default_factory=lambda: defaultdict(deque))

    def blocked(self, key: Hashable, now: float) -> tuple[int, int] | None:
        """(window, limit) of the shortest window already full for `key`, or None."""
        sent = self._sent[key]
        longest = max(self.windows, default=0)
        while sent and sent[0] <= now - longest:
            sent.popleft()
        for window, limit in sorted(self.windows.items()):
            if sum(1 for at in sent if at > now - window) >= limit:
                return window, limit
        return None

    def count(self, key: Hashable, now: float) -> None:
        """Count one send for `key` at `now`."""
        self._sent[key].append(now)

    def clear(self) -> None:
        self._sent.clear()


class PeerClock:
    """Wall-clock time plus an offset that tests move forward with `advance()`."""

    def __init__(self) -> None:
        self.offset = 0.0

    def now(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds

    def to_beijing_noon(self) -> None:
        """Move forward to the next 12:00 Beijing time, far from a change of date."""
        self.offset += (12 * 3600 - (self.now() + 8 * 3600)) % 86400


def format_time(at: float) -> str:
    """`YYYY-MM-DD HH:MM:SS` in Beijing time, as both providers write times in callbacks."""
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(at + 8 * 3600))


class SmsPeerRecords:
    """What an SMS and voice peer records, read under its lock: shared by the Aliyun and Tencent peers.

    The peer sets `clock`, `_lock`, `_messages`, `_calls`, `_rejections` and
    `_attempts`, and has HTTPPeer's `_wait_until`.
    """

    def advance(self, seconds: float) -> None:
        """Move the peer's clock (limits, send and report times) forward."""
        self.clock.advance(seconds)

    @property
    def messages(self) -> list[SmsMessage]:
        """Accepted SMS, one per number, oldest first."""
        with self._lock:
            return list(self._messages)

    @property
    def calls(self) -> list[VoiceCall]:
        """Accepted text-to-speech calls, oldest first."""
        with self._lock:
            return list(self._calls)

    @property
    def rejections(self) -> list[str]:
        """One line per refusal: `<Action>: <Code>: <Message>` (per number where the provider answers so)."""
        with self._lock:
            return list(self._rejections)

    @property
    def attempts(self) -> int:
        """Requests received, whatever the answer."""
        with self._lock:
            return self._attempts

    def wait_for(self, count: int, timeout: float = 10) -> list[SmsMessage]:
        """Block until at least `count` SMS were accepted; return them all."""

        def describe() -> str:
            return (
                f"expected at least {count} SMS within {timeout}s, got {len(self._messages)}; "
                f"attempts: {self._attempts}; rejections: {self._rejections}"
            )

        self._wait_until(lambda: len(self._messages) >= count, timeout, describe)
        return self.messages

    def wait_for_calls(self, count: int, timeout: float = 10) -> list[VoiceCall]:
        """Block until at least `count` text-to-speech calls were accepted; return them all."""

        def describe() -> str:
            return (
                f"expected at least {count} calls within {timeout}s, got {len(self._calls)}; "
                f"attempts: {self._attempts}; rejections: {self._rejections}"
            )

        self._wait_until(lambda: len(self._calls) >= count, timeout, describe)
        return self.calls
