from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone, translation

import pytest

from events.factories import EventPageFactory
from events.models import EventPage


def errors_of(page) -> dict[str, list[str]]:
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        page.full_clean()
    return caught.value.message_dict


def test_an_event_cannot_end_before_it_starts(db):
    start = timezone.now() + timedelta(days=2)
    page = EventPageFactory.build(starts_at=start, ends_at=start - timedelta(hours=1))

    assert errors_of(page)["ends_at"] == ["结束时间必须晚于开始时间。"]


def test_an_event_needs_a_place(db):
    page = EventPageFactory.build(venue=None, venue_address="")

    assert errors_of(page)["venue_address"] == [
        "请选择活动地点（服务点），或者填写其他地点的地址。"
    ]


@pytest.mark.parametrize("status", [EventPage.Status.CANCELLED, EventPage.Status.POSTPONED])
def test_a_cancelled_or_postponed_event_says_why(db, status):
    page = EventPageFactory.build(status=status, status_reason="")

    assert errors_of(page)["status_reason"] == ["活动延期或取消时，必须写明原因。"]


def test_registration_needs_instructions_and_a_deadline_before_the_start(db):
    page = EventPageFactory.build(registration=EventPage.Registration.REQUIRED)
    page.registration_deadline = page.starts_at + timedelta(hours=1)

    errors = errors_of(page)

    assert errors["registration_how"] == ["需要报名的活动，必须写明怎么报名。"]
    assert errors["registration_deadline"] == ["报名截止时间不能晚于活动开始时间。"]


def test_the_event_list_keeps_cancelled_events_but_not_past_ones(tree, client):
    now = timezone.now()
    made = {
        "upcoming": EventPageFactory(parent=tree.a.events, live=False),
        "cancelled": EventPageFactory(
            parent=tree.a.events,
            live=False,
            status=EventPage.Status.CANCELLED,
            status_reason="天气原因",
        ),
        "past": EventPageFactory(
            parent=tree.a.events,
            live=False,
            starts_at=now - timedelta(days=2),
            ends_at=now - timedelta(days=2) + timedelta(hours=2),
        ),
    }
    for page in made.values():
        page.save_revision().publish()

    listed = client.get("/api/v1/events/").json()["results"]

    # Residents see that a cancelled event is off instead of missing it.
    assert {item["id"] for item in listed} == {made["upcoming"].pk, made["cancelled"].pk}
