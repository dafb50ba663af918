"""Strict reading of query parameters: anything unknown or malformed is a 400 naming the field."""

import base64
import binascii
import json
from collections.abc import Callable
from datetime import datetime, time

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from core.errors import ApiError

Parser = Callable[[str, str], object]
MAX_LIMIT = 100
DEFAULT_LIMIT = 20


def parse(query: QueryDict, spec: dict[str, Parser], *, defaults: dict | None = None) -> dict:
    """Values of `query` parsed by `spec`; unknown names and repeated values are refused."""
    out = dict(defaults or {})
    for name in query:
        if name not in spec:
            raise ApiError(
                "unknown_parameter",
                f"Unknown query parameter '{name}'. Known: {', '.join(sorted(spec))}.",
                field=name,
            )
        values = query.getlist(name)
        if len(values) > 1:
            raise ApiError("repeated_parameter", f"Give '{name}' only once.", field=name)
        if not valid_text(values[0]):
            raise ApiError("invalid_text", f"'{name}' may not hold a NUL character.", field=name)
        out[name] = spec[name](name, values[0])
    return out


def choice(options: Callable[[], set[str]] | set[str]) -> Parser:
    """One of a fixed set (documented as an enum) or of codes read from the database."""

    def parser(name: str, value: str) -> str:
        allowed = options() if callable(options) else options
        if value not in allowed:
            raise ApiError(
                "invalid_choice",
                f"'{value}' is not a known {name}. Known: {', '.join(sorted(allowed))}.",
                field=name,
            )
        return value

    parser.openapi = {"type": "string", **({} if callable(options) else {"enum": sorted(options)})}
    return parser


def locale(name: str, value: str) -> str:
    return choice({code for code, _ in settings.WAGTAIL_CONTENT_LANGUAGES})(name, value)


locale.openapi = {"type": "string", "enum": ["en", "zh-hans", "zh-hant"], "default": "zh-hans"}


def boolean(name: str, value: str) -> bool:
    lowered = value.lower()
    if lowered in {"true", "1", "yes"}:
        return True
    if lowered in {"false", "0", "no"}:
        return False
    raise ApiError("invalid_boolean", f"'{name}' must be true or false.", field=name)


boolean.openapi = {"type": "boolean"}


def limit(name: str, value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= MAX_LIMIT:
        raise ApiError(
            "invalid_limit", f"'{name}' must be a whole number from 1 to {MAX_LIMIT}.", field=name
        )
    return number


limit.openapi = {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}


def moment(name: str, value: str) -> datetime:
    """A date (start of that day, Beijing time) or an ISO 8601 date-time."""
    parsed = None
    try:
        parsed = parse_datetime(value)
        if parsed is None and (day := parse_date(value)):
            parsed = datetime.combine(day, time.min)
    except ValueError:
        parsed = None
    if parsed is None:
        raise ApiError(
            "invalid_datetime",
            f"'{name}' must be a date (2026-12-01) or a date-time (2026-12-01T08:00:00+08:00).",
            field=name,
        )
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


moment.openapi = {"type": "string", "description": "a date or an ISO 8601 date-time"}


def encode_cursor(payload: dict) -> str:
    raw = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# The largest whole number a database column holds (a signed 64-bit integer).
INT_MAX = 2**63 - 1


def plain(value) -> bool:
    """Whether a decoded value holds only what this server writes into cursors.

    Strings of valid Unicode without NUL, whole numbers a database holds, null,
    and lists and objects of those: no floats, no booleans, nothing a database
    driver would refuse.
    """
    if value is None:
        return True
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -INT_MAX <= value <= INT_MAX
    if isinstance(value, str):
        return valid_text(value)
    if isinstance(value, list):
        return all(plain(entry) for entry in value)
    if isinstance(value, dict):
        return all(valid_text(key) and plain(entry) for key, entry in value.items())
    return False


def valid_text(value: str) -> bool:
    """Text a database stores and UTF-8 encodes: no lone surrogates, no NUL."""
    if "\x00" in value:
        return False
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def cursor(name: str, value: str) -> dict:
    try:
        padded = value + "=" * (-len(value) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeError, RecursionError):
        payload = None
    if not isinstance(payload, dict) or not plain(payload):
        raise ApiError(
            "invalid_cursor",
            "This cursor was not made by this server; start again without it.",
            field=name,
        )
    return payload


cursor.openapi = {"type": "string", "description": "the `next` of the previous answer"}
