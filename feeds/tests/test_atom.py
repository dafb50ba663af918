"""Atom feeds per content type and per resident category."""

from datetime import datetime, timedelta

from django.utils import timezone

import pytest

from events.factories import EventPageFactory
from feeds.tests.conftest import ATOM, atom_entries, entry_titles, publish, read_atom
from home.factories import OrganisationFactory
from home.models import ResidentCategory
from notices.factories import NoticePageFactory
from services.factories import ServicePageFactory


def test_notices_feed_lists_published_notices_newest_first(tree, client):
    publish(NoticePageFactory(parent=tree.street.notices, title="第一则"))
    publish(NoticePageFactory(parent=tree.street.notices, title="第二则"))
    NoticePageFactory(parent=tree.street.notices, title="草稿", live=False)

    assert entry_titles(client.get("/feeds/notices.atom")) == ["第二则", "第一则"]


def test_entry_carries_summary_author_dates_and_a_tag_id(tree, client):
    issuer = OrganisationFactory(name="和平街道办事处")
    notice = publish(
        NoticePageFactory(
            parent=tree.street.notices,
            summary="请于 <12 月> 前办理 & 登记",
            issuer=issuer,
            audience=["elderly"],
        )
    )

    (entry,) = atom_entries(client.get("/feeds/notices.atom"))

    assert entry.findtext(f"{ATOM}id") == f"tag:testserver,2026:notice/{notice.pk}"
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "和平街道办事处"
    # type="html": the reader unescapes once more and shows the plain text as written.
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert summary.text == "请于 &lt;12 月&gt; 前办理 &amp; 登记"
    updated = entry.findtext(f"{ATOM}updated")
    assert updated.endswith("+08:00")
    assert datetime.fromisoformat(updated) == notice.last_published_at
    assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == ["elderly"]


def test_entry_links_to_the_page_on_the_requested_host(site, client):
    service = publish(ServicePageFactory(parent=site.a.services, slug="meals"))

    (entry,) = atom_entries(client.get("/feeds/services.atom", HTTP_HOST="linli.example.cn"))

    link = entry.find(f"{ATOM}link").get("href")
    assert link == f"http://linli.example.cn{service.url}"
    assert link.endswith("/meals/")


def test_entry_without_a_web_address_links_to_the_api_item(tree, client):
    service = publish(ServicePageFactory(parent=tree.a.services))

    (entry,) = atom_entries(client.get("/feeds/services.atom?locale=en"))

    assert entry.find(f"{ATOM}link").get("href") == (
        f"http://testserver/api/v1/services/{service.pk}/?locale=en"
    )


def test_expired_notice_leaves_the_notices_feed(tree, client):
    now = timezone.now()
    publish(NoticePageFactory(parent=tree.street.notices, title="有效"))
    publish(
        NoticePageFactory(
            parent=tree.street.notices,
            title="过期",
            valid_from=now - timedelta(days=10),
            valid_until=now - timedelta(minutes=1),
        )
    )

    assert entry_titles(client.get("/feeds/notices.atom")) == ["有效"]


def test_community_filter_keeps_that_community_and_street_wide_content(tree, client):
    publish(ServicePageFactory(parent=tree.street.services, title="街道"))
    publish(ServicePageFactory(parent=tree.a.services, title="东园"))
    publish(ServicePageFactory(parent=tree.b.services, title="西里"))

    titles = entry_titles(client.get("/feeds/services.atom?community=dongyuan"))

    assert sorted(titles) == ["东园", "街道"]
    assert len(entry_titles(client.get("/feeds/services.atom"))) == 3


def test_all_feed_mixes_every_content_type(tree, client):
    publish(ServicePageFactory(parent=tree.street.services, title="服务"))
    publish(NoticePageFactory(parent=tree.street.notices, title="通知"))
    publish(EventPageFactory(parent=tree.street.events, title="活动"))

    assert entry_titles(client.get("/feeds/all.atom")) == ["活动", "通知", "服务"]


def test_feed_stops_at_fifty_entries(tree, client):
    for n in range(51):
        publish(ServicePageFactory(parent=tree.street.services, title=f"服务{n}"))

    titles = entry_titles(client.get("/feeds/services.atom"))

    assert len(titles) == 50
    assert titles[0] == "服务50"
    assert "服务0" not in titles


def test_category_feed_holds_items_for_that_category_and_for_everyone(tree, client):
    publish(NoticePageFactory(parent=tree.street.notices, title="高龄津贴", audience=["elderly"]))
    publish(EventPageFactory(parent=tree.street.events, title="全民健身", audience=["all"]))
    publish(
        ServicePageFactory(parent=tree.street.services, title="少儿托管", audience=["children"])
    )

    response = client.get("/feeds/categories/elderly.atom?locale=en")

    assert sorted(entry_titles(response)) == ["全民健身", "高龄津贴"]
    feed = read_atom(response)
    english = ResidentCategory.objects.get(code="elderly", locale__language_code="en")
    assert feed.findtext(f"{ATOM}title") == f"邻里 · {english.name}"


@pytest.mark.parametrize("code", ["dragons", "a%00b", "%E8%80%81%E4%BA%BA", "x" * 300])
def test_unknown_category_is_a_json_404(db, client, code):
    response = client.get(f"/feeds/categories/{code}.atom")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert response.json()["error"]["field"] == "category"


def test_feed_in_english_is_labelled_english_and_shows_the_fallback_text(tree, client):
    publish(EventPageFactory(parent=tree.a.events, title="老歌大家唱"))

    response = client.get("/feeds/events.atom?locale=en&community=dongyuan")

    feed = read_atom(response)
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert feed.findtext(f"{ATOM}title") == "邻里 · 东园社区 · Events"
    assert entry_titles(response) == ["老歌大家唱"]


def test_cancelled_event_is_marked_in_its_title(tree, client):
    event = publish(EventPageFactory(parent=tree.street.events, title="灯谜会"))
    event.status = event.Status.CANCELLED
    event.status_reason = "天气原因"
    publish(event)

    assert entry_titles(client.get("/feeds/events.atom")) == ["【已取消】灯谜会"]
    assert entry_titles(client.get("/feeds/events.atom?locale=en")) == ["[Cancelled] 灯谜会"]


def test_feed_without_entries_is_still_valid_atom(tree, client):
    response = client.get("/feeds/notices.atom")

    assert atom_entries(response) == []
    assert read_atom(response).findtext(f"{ATOM}updated")
    assert client.get("/feeds/notices.atom")["ETag"] == response["ETag"]
