"""The RFC 5545 writer: escaping, folding, time zones."""

from datetime import UTC, datetime, timedelta

import pytest

from feeds.ical import CalendarEvent, ical_calendar, ical_fold, ical_text
from feeds.tests.ical_reader import read_calendar


def _event(**overrides) -> CalendarEvent:
    starts = datetime(2026, 12, 1, 1, 30, tzinfo=UTC)
    values = {
        "uid": "event-1@testserver",
        "sequence": 3,
        "stamp": datetime(2026, 11, 20, 8, 0, 5, 123456, tzinfo=UTC),
        "created": datetime(2026, 11, 19, 8, 0, tzinfo=UTC),
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
        "summary": "老歌大家唱",
        "description": "",
        "location": "",
        "url": "http://testserver/events/1/",
        "status": "CONFIRMED",
    }
    return CalendarEvent(**{**values, **overrides})


def test_text_escapes_backslashes_semicolons_commas_and_newlines():
    assert ical_text("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"


def test_text_drops_control_characters_but_keeps_tabs():
    assert ical_text("a\x00b\x1bc\td\x7f") == "ab" + "c\td"


def test_short_line_is_left_whole():
    assert ical_fold("SUMMARY:老歌大家唱") == "SUMMARY:老歌大家唱"


@pytest.mark.parametrize(
    "value",
    ["x" * 200, "长者助餐" * 40, "a" + "长" * 60, "家" * 24 + "a😀" * 30],
    ids=["ascii", "chinese", "offset-chinese", "emoji"],
)
def test_fold_keeps_every_line_within_75_octets_and_whole_characters(value):
    folded = ical_fold("DESCRIPTION:" + value)

    physical = folded.split("\r\n")
    assert len(physical) > 1
    for number, line in enumerate(physical):
        encoded = line.encode()
        assert len(encoded) <= 75
        if number:
            assert line.startswith(" ")
        # Each physical line decodes on its own: no character was cut in two.
        encoded.decode("utf-8", errors="strict")
    assert folded.replace("\r\n ", "") == "DESCRIPTION:" + value


def test_fold_fills_lines_rather_than_breaking_early():
    physical = ical_fold("x" * 149).split("\r\n")

    assert [len(line) for line in physical] == [75, 75]


def test_calendar_uses_crlf_and_shanghai_local_times():
    body = ical_calendar(name="邻里 · 文化活动", events=[_event()])

    assert body.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")
    calendar = read_calendar(body)
    (event,) = calendar.all("VEVENT")
    # 01:30 UTC is 09:30 in Beijing.
    assert event.value("DTSTART") == "20261201T093000"
    assert event.params("DTSTART") == {"TZID": "Asia/Shanghai"}
    assert event.value("DTEND") == "20261201T113000"
    assert event.value("DTSTAMP") == "20261120T080005Z"
    (zone,) = calendar.all("VTIMEZONE")
    assert zone.value("TZID") == "Asia/Shanghai"
    (standard,) = zone.all("STANDARD")
    assert standard.value("TZOFFSETTO") == "+0800"
    assert not zone.all("DAYLIGHT")


def test_calendar_output_depends_only_on_its_events():
    assert ical_calendar(name="x", events=[_event()]) == ical_calendar(name="x", events=[_event()])


def test_url_is_written_as_a_uri_not_escaped_text():
    body = ical_calendar(name="x", events=[_event(url="http://testserver/a?x=1,2;b")])

    assert "URL:http://testserver/a?x=1,2;b\r\n" in body.decode()
