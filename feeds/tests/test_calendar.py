"""The events calendar and single-event .ics files."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from wagtail.models import Locale
from wagtail.rich_text import RichText
from wagtail_localize.operations import translate_object

from events.factories import EventPageFactory
from events.models import EventPage
from feeds.tests.conftest import publish
from feeds.tests.ical_reader import read_calendar
from home.factories import ServicePointFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _calendar(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return read_calendar(response.content)


def _only_event(client, url: str):
    (event,) = _calendar(client, url).all("VEVENT")
    return event


def test_event_is_written_in_beijing_time_with_the_shanghai_timezone(tree, client):
    starts = datetime(2026, 12, 24, 19, 30, tzinfo=SHANGHAI)
    publish(
        EventPageFactory(
            parent=tree.street.events, starts_at=starts, ends_at=starts + timedelta(hours=2)
        )
    )

    calendar = _calendar(client, "/feeds/events.ics")

    (zone,) = calendar.all("VTIMEZONE")
    assert zone.value("TZID") == "Asia/Shanghai"
    assert zone.all("STANDARD")[0].value("TZOFFSETTO") == "+0800"
    (event,) = calendar.all("VEVENT")
    assert event.params("DTSTART") == {"TZID": "Asia/Shanghai"}
    assert event.value("DTSTART") == "20261224T193000"
    assert event.value("DTEND") == "20261224T213000"


def test_event_carries_summary_description_location_and_url(site, client):
    venue = ServicePointFactory(name="东园社区活动室", address="和平路 12 号")
    event = publish(
        EventPageFactory(
            parent=site.a.events,
            title="书法讲座, 第一讲; 入门",
            summary="免费参加。",
            venue=venue,
            venue_address="",
        )
    )

    vevent = _only_event(client, "/feeds/events.ics")

    assert vevent.text("SUMMARY") == "书法讲座, 第一讲; 入门"
    assert "书法讲座\\, 第一讲\\; 入门" in vevent.value("SUMMARY")
    assert vevent.text("DESCRIPTION") == "免费参加。"
    assert vevent.text("LOCATION") == "东园社区活动室，和平路 12 号"
    assert vevent.value("URL") == f"http://testserver{event.url}"
    assert vevent.value("STATUS") == "CONFIRMED"


def test_description_joins_the_summary_and_the_body_text(tree, client):
    publish(
        EventPageFactory(
            parent=tree.street.events,
            summary="一起唱老歌。",
            body=[
                ("heading", "报名须知"),
                ("paragraph", RichText("<p>请带水杯；雨天照常举行，\\不另行通知。</p>")),
            ],
        )
    )

    description = _only_event(client, "/feeds/events.ics").text("DESCRIPTION")

    assert description.startswith("一起唱老歌。\n\n报名须知")
    assert description.endswith("请带水杯；雨天照常举行，\\不另行通知。")


def test_event_uid_stays_the_same_across_an_edit_and_across_locales(tree, client):
    event = publish(EventPageFactory(parent=tree.street.events, title="老歌大家唱"))
    before = _only_event(client, "/feeds/events.ics").value("UID")

    event.title = "老歌大家唱（改期）"
    event.starts_at += timedelta(days=1)
    event.ends_at += timedelta(days=1)
    publish(event)
    after = _only_event(client, "/feeds/events.ics")

    assert after.text("SUMMARY") == "老歌大家唱（改期）"
    assert after.value("UID") == before == f"event-{event.translation_key}@testserver"
    assert _only_event(client, "/feeds/events.ics?locale=en").value("UID") == before
    assert _only_event(client, f"/feeds/events/{event.pk}.ics").value("UID") == before


def test_sequence_rises_every_time_the_event_is_republished(tree, client):
    event = publish(EventPageFactory(parent=tree.street.events))
    first = int(_only_event(client, "/feeds/events.ics").value("SEQUENCE"))

    publish(event)
    second = int(_only_event(client, "/feeds/events.ics").value("SEQUENCE"))
    event.summary = "名额有限，请提前报名。"
    publish(event)
    third = int(_only_event(client, "/feeds/events.ics").value("SEQUENCE"))

    assert first < second < third


def test_sequence_does_not_fall_when_a_translation_replaces_the_fallback(tree, client):
    event = publish(EventPageFactory(parent=tree.street.events, title="灯谜会"))
    for _ in range(3):
        event = publish(event)
    fallback = _only_event(client, "/feeds/events.ics?locale=en")

    translate_object(event, [Locale.objects.get(language_code="en")])
    english = EventPage.objects.get(
        translation_key=event.translation_key, locale__language_code="en"
    )
    english.title = "Lantern riddles"
    publish(english)
    translated = _only_event(client, "/feeds/events.ics?locale=en")

    assert translated.text("SUMMARY") == "Lantern riddles"
    assert translated.value("UID") == fallback.value("UID")
    assert int(translated.value("SEQUENCE")) > int(fallback.value("SEQUENCE"))


def test_cancelled_event_stays_in_the_calendar_as_cancelled(tree, client):
    event = publish(EventPageFactory(parent=tree.street.events, title="灯谜会"))
    sequence = int(_only_event(client, "/feeds/events.ics").value("SEQUENCE"))

    event.status = EventPage.Status.CANCELLED
    event.status_reason = "天气原因，改日再办。"
    publish(event)
    vevent = _only_event(client, "/feeds/events.ics")

    assert vevent.value("STATUS") == "CANCELLED"
    assert int(vevent.value("SEQUENCE")) > sequence
    assert vevent.text("SUMMARY") == "【已取消】灯谜会"
    assert vevent.text("DESCRIPTION").startswith("【已取消】天气原因，改日再办。\n\n")


def test_postponed_event_is_tentative(tree, client):
    publish(
        EventPageFactory(
            parent=tree.street.events,
            status=EventPage.Status.POSTPONED,
            status_reason="场地维修",
        )
    )

    assert _only_event(client, "/feeds/events.ics").value("STATUS") == "TENTATIVE"


def test_long_chinese_description_is_folded_without_splitting_characters(tree, client):
    summary = "重阳节敬老活动，" * 17  # 136 characters, about 400 octets
    publish(EventPageFactory(parent=tree.street.events, summary=summary))

    body = client.get("/feeds/events.ics").content

    physical = body.split(b"\r\n")
    assert max(len(line) for line in physical) <= 75
    for line in physical:
        line.decode("utf-8", errors="strict")
    description = [i for i, line in enumerate(physical) if line.startswith(b"DESCRIPTION:")][0]
    assert physical[description + 1].startswith(b" ")
    assert _only_event(client, "/feeds/events.ics").text("DESCRIPTION") == summary.strip()


def test_long_past_events_leave_the_calendar_but_recent_ones_stay(tree, client, settings):
    now = timezone.now()
    publish(
        EventPageFactory(
            parent=tree.street.events,
            title="上周",
            starts_at=now - timedelta(days=7),
            ends_at=now - timedelta(days=7) + timedelta(hours=2),
        )
    )
    publish(
        EventPageFactory(
            parent=tree.street.events,
            title="去年",
            starts_at=now - timedelta(days=settings.LINLI_PAST_EVENTS_DAYS + 10),
            ends_at=now - timedelta(days=settings.LINLI_PAST_EVENTS_DAYS + 9),
        )
    )

    events = _calendar(client, "/feeds/events.ics").all("VEVENT")

    assert [event.text("SUMMARY") for event in events] == ["上周"]


def test_calendar_filters_by_community(tree, client):
    publish(EventPageFactory(parent=tree.street.events, title="街道"))
    publish(EventPageFactory(parent=tree.a.events, title="东园"))
    publish(EventPageFactory(parent=tree.b.events, title="西里"))

    events = _calendar(client, "/feeds/events.ics?community=xili").all("VEVENT")

    assert sorted(event.text("SUMMARY") for event in events) == ["街道", "西里"]


def test_single_event_is_found_by_the_id_of_any_translation_in_any_locale(tree, client):
    event = publish(EventPageFactory(parent=tree.street.events, title="灯谜会"))
    publish(EventPageFactory(parent=tree.street.events, title="别的活动"))

    vevent = _only_event(client, f"/feeds/events/{event.pk}.ics?locale=zh-hant")

    # No traditional version yet: zh-hant readers get the text converted by machine.
    assert vevent.text("SUMMARY") == "燈謎會"


def test_unknown_event_is_a_json_404(tree, client):
    event = publish(EventPageFactory(parent=tree.street.events))

    for key in ("999999", "abc", "١٢", str(tree.street.events.pk)):
        response = client.get(f"/feeds/events/{key}.ics")
        assert response.status_code == 404, key
        assert response.json()["error"]["code"] == "not_found"
    assert client.get(f"/feeds/events/{event.pk}.ics").status_code == 200


def test_single_event_refuses_a_community_parameter(tree, client):
    event = publish(EventPageFactory(parent=tree.street.events))

    response = client.get(f"/feeds/events/{event.pk}.ics?community=dongyuan")

    assert response.status_code == 400
    assert response.json()["error"]["field"] == "community"
