from django.urls import reverse

from core.testing import post_admin_form, streamfield
from events.models import EventPage
from home.factories import OrganisationFactory, ServicePointFactory, resident_categories


def event_form(**changes):
    return {
        "title": "老歌大家唱",
        "slug": "sing-old-songs",
        "summary": "每周三下午一起唱老歌，不用报名，直接来。",
        "event_type": EventPage.EventType.ARTS,
        "status": EventPage.Status.SCHEDULED,
        "starts_at": "2026-12-09 14:30",
        "ends_at": "2026-12-09 16:30",
        "venue": str(ServicePointFactory(name="星光老年之家").pk),
        "organiser": str(OrganisationFactory(name="安华里社区居委会").pk),
        "audience": [str(c.pk) for c in resident_categories("elderly")],
        "registration": EventPage.Registration.NONE,
        "fee": "0",
        "body": streamfield([]),
        **changes,
    }


def test_an_event_round_trips_through_the_admin(tree, admin_client):
    add = reverse("wagtailadmin_pages:add", args=("events", "eventpage", tree.a.events.pk))

    response = post_admin_form(admin_client, add, {**event_form(), "action-publish": "1"})

    assert response.status_code == 302, response.context["form"].errors
    event = EventPage.objects.get(slug="sing-old-songs")
    assert event.live
    assert event.venue.name == "星光老年之家"
    assert event.community_id == tree.a.page.pk

    edit = reverse("wagtailadmin_pages:edit", args=(event.pk,))
    response = post_admin_form(
        admin_client,
        edit,
        {
            **event_form(status=EventPage.Status.CANCELLED, status_reason="寒潮预警，暂停户外活动"),
            "action-publish": "1",
        },
    )

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == EventPage.Status.CANCELLED
    assert event.status_reason == "寒潮预警，暂停户外活动"


def test_the_admin_refuses_an_event_that_ends_before_it_starts(tree, admin_client):
    add = reverse("wagtailadmin_pages:add", args=("events", "eventpage", tree.a.events.pk))

    response = post_admin_form(
        admin_client, add, {**event_form(ends_at="2026-12-09 13:00"), "action-publish": "1"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["ends_at"] == ["结束时间必须晚于开始时间。"]
