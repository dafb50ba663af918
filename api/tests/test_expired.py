"""What an expired notice (and a long-past event) is to each client: every endpoint agrees."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from wagtail.models import Site

import pytest

from core.testing import published
from events.factories import EventPageFactory
from notices.factories import NoticePageFactory


@pytest.fixture
def site(tree):
    Site.objects.filter(is_default_site=True).update(root_page=tree.street.page)
    Site.clear_site_root_paths_cache()
    return tree


def v1_titles(client, path: str, **query) -> list[str]:
    return [item["title"] for item in client.get(path, query).json()["results"]]


def v2_pages(client, model: str) -> dict[str, dict]:
    answer = client.get("/api/wagtail/v2/pages/", {"type": model, "limit": 20}).json()
    return {item["title"]: item for item in answer["items"]}


def test_an_expired_notice_is_an_archived_record_whose_links_all_work(site, client):
    now = timezone.now()
    published(NoticePageFactory, parent=site.street.notices, title="有效通知")
    expired = published(
        NoticePageFactory,
        parent=site.street.notices,
        title="过期通知",
        slug="old-notice",
        valid_from=now - timedelta(days=10),
        valid_until=now - timedelta(days=1),
    )
    upcoming = published(
        NoticePageFactory,
        parent=site.street.notices,
        title="下月通知",
        slug="next-month",
        valid_from=now + timedelta(days=20),
    )

    # Lists of what is current leave it out…
    assert v1_titles(client, "/api/v1/notices/") == ["有效通知"]
    assert "过期通知" not in client.get("/notices/").content.decode()
    # …the archive lists it, and every link to it answers.
    archive = {
        item["title"]: item
        for item in client.get("/api/v1/notices/", {"current": "false"}).json()["results"]
    }
    assert set(archive) == {"有效通知", "过期通知", "下月通知"}
    for page, title in ((expired, "过期通知"), (upcoming, "下月通知")):
        web = client.get(archive[title]["web_url"])
        detail = client.get(f"/api/v1/notices/{page.pk}/")
        assert web.status_code == 200, title
        assert detail.status_code == 200 and detail.json()["title"] == title
        listed = v2_pages(client, "notices.NoticePage")[title]["meta"]
        assert client.get(listed["html_url"].removeprefix("http://testserver")).status_code == 200
    assert "此通知已于" in client.get(archive["过期通知"]["web_url"]).content.decode()
    assert "尚未生效" in client.get(archive["下月通知"]["web_url"]).content.decode()


def test_an_event_past_its_readable_days_is_gone_from_every_endpoint(site, client):
    now = timezone.now()
    days = settings.LINLI_PAST_EVENTS_DAYS
    published(EventPageFactory, parent=site.street.events, title="下周活动", slug="next-week")
    old = published(
        EventPageFactory,
        parent=site.street.events,
        title="去年活动",
        slug="last-year",
        starts_at=now - timedelta(days=days + 10),
        ends_at=now - timedelta(days=days + 9),
    )

    assert set(v2_pages(client, "events.EventPage")) == {"下周活动"}
    assert client.get(f"/api/wagtail/v2/pages/{old.pk}/").status_code == 404
    assert client.get(f"/api/v1/events/{old.pk}/").status_code == 404
    assert client.get("/events/last-year/").status_code == 404
    assert "去年活动" not in v1_titles(client, "/api/v1/events/", **{"from": "2000-01-01"})
