"""A small RFC 5545 writer: just what a published calendar of community events needs.

Written by hand to avoid a dependency for ~100 lines: escaping of TEXT values,
folding at 75 octets without splitting a UTF-8 character, CRLF line endings,
and a fixed VTIMEZONE for Asia/Shanghai (UTC+8, no daylight saving since 1991).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

TZID = "Asia/Shanghai"
PRODID = "-//Linli//Community events//ZH"
ICAL_CONTENT_TYPE = "text/calendar; charset=utf-8"
CRLF = "\r\n"
LINE_OCTETS = 75
# Calendar apps poll a subscribed calendar about this often (RFC 7986 and Outlook's name for it).
REFRESH_INTERVAL = "PT1H"

# China last observed daylight saving in 1991; events are current, so one rule suffices.
VTIMEZONE = (
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    f"X-LIC-LOCATION:{TZID}",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0800",
    "TZOFFSETTO:+0800",
    "TZNAME:CST",
    "DTSTART:19700101T000000",
    "END:STANDARD",
    "END:VTIMEZONE",
)


@dataclass(frozen=True)
class CalendarEvent:
    """One VEVENT, already in the reader's language."""

    uid: str
    sequence: int
    stamp: datetime
    created: datetime | None
    starts_at: datetime
    ends_at: datetime
    summary: str
    description: str
    location: str
    url: str
    status: str  # CONFIRMED, TENTATIVE or CANCELLED
    geo: tuple[float, float] | None = None


def ical_text(value: str) -> str:
    """A TEXT value escaped per RFC 5545 3.3.11; control characters other than tab are dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(ch for ch in value if ch in "\t\n" or ord(ch) >= 32 and ord(ch) != 127)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def ical_fold(line: str) -> str:
    """`line` folded into physical lines of at most 75 octets, never inside a UTF-8 character."""
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for ch in line:
        width = len(ch.encode())
        # Continuation lines start with a space, which counts towards their 75 octets.
        limit = LINE_OCTETS if not parts else LINE_OCTETS - 1
        if size + width > limit:
            parts.append("".join(current))
            current, size = [], 0
        current.append(ch)
        size += width
    parts.append("".join(current))
    return (CRLF + " ").join(parts)


def ical_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def ical_local(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo(TZID)).strftime("%Y%m%dT%H%M%S")


def _event_lines(event: CalendarEvent) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{ical_text(event.uid)}",
        f"DTSTAMP:{ical_utc(event.stamp)}",
        f"LAST-MODIFIED:{ical_utc(event.stamp)}",
    ]
    if event.created:
        lines.append(f"CREATED:{ical_utc(event.created)}")
    lines += [
        f"SEQUENCE:{event.sequence}",
        f"DTSTART;TZID={TZID}:{ical_local(event.starts_at)}",
        f"DTEND;TZID={TZID}:{ical_local(event.ends_at)}",
        f"SUMMARY:{ical_text(event.summary)}",
    ]
    if event.description:
        lines.append(f"DESCRIPTION:{ical_text(event.description)}")
    if event.location:
        lines.append(f"LOCATION:{ical_text(event.location)}")
    if event.geo:
        lines.append(f"GEO:{event.geo[0]:.6f};{event.geo[1]:.6f}")
    # URL is a URI value, not TEXT: commas and semicolons stay as they are.
    lines += [f"URL:{event.url}", f"STATUS:{event.status}", "END:VEVENT"]
    return lines


def ical_calendar(*, name: str, events: Iterable[CalendarEvent]) -> bytes:
    """A VCALENDAR with the Asia/Shanghai VTIMEZONE and `events`, as UTF-8 with CRLF lines.

    No METHOD: this is a published calendar, not a scheduling message, so
    DTSTAMP is when each event last changed and the output depends only on
    the events (which keeps ETags stable).
    """
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"NAME:{ical_text(name)}",
        f"X-WR-CALNAME:{ical_text(name)}",
        f"X-WR-TIMEZONE:{TZID}",
        f"REFRESH-INTERVAL;VALUE=DURATION:{REFRESH_INTERVAL}",
        f"X-PUBLISHED-TTL:{REFRESH_INTERVAL}",
        *VTIMEZONE,
    ]
    for event in events:
        lines += _event_lines(event)
    lines.append("END:VCALENDAR")
    return "".join(ical_fold(line) + CRLF for line in lines).encode()
