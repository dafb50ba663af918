"""The resident's phone pages, as a resident's phone receives them: server-rendered from the API's items."""

import json
import re
from datetime import time, timedelta
from decimal import Decimal

from django.utils import timezone

from wagtail.models import Site

import pytest

from core.testing import published
from events.factories import EventPageFactory
from events.models import EventPage
from home.factories import OrganisationFactory, ServicePointFactory
from home.models import OpeningHours
from items.models import Item
from notices.factories import NoticePageFactory
from notices.models import NoticePage
from services.factories import ServicePageFactory
from services.models import ServiceCategory, ServicePage


@pytest.fixture
def hub(tree):
    """The test tree as the default site, with a service, notices and events published in it."""
    site = Site.objects.get(is_default_site=True)
    site.root_page = tree.street.page
    site.save()
    canteen = ServicePointFactory(name="和平长者饭堂", address="和平路16号")
    OpeningHours.objects.create(
        point=canteen, days=[0, 1, 2, 3, 4, 5, 6], opens=time(0, 0), closes=time(23, 59)
    )
    provider = OrganisationFactory(name="和美餐饮公司", phone="010-6402 6688")
    meals = ServicePageFactory(
        live=False,
        parent=tree.street.services,
        title="长者饭堂助餐",
        slug="elderly-canteen",
        audience=["elderly"],
        fee_mode=ServicePage.FeeMode.LOW_COST,
        costs=[("cost", {"amount": Decimal("6.00"), "unit": "份", "description": "标准套餐"})],
        delivery_modes=[
            ServicePage.DeliveryMode.SERVICE_POINT,
            ServicePage.DeliveryMode.HOME_VISIT,
        ],
        provider=provider,
        eligibility="本街道60岁以上的老人",
        min_age=60,
        documents=[("document", {"name": "身份证", "original": True, "copies": 1, "note": ""})],
        steps=[("step", {"title": "办卡", "detail": "带身份证到饭堂办卡"})],
        promised_days=0,
        hotline="010-6402 6688",
    )
    meals.service_categories = [ServiceCategory.objects.get(code="meals", locale=meals.locale)]
    meals.service_points = [canteen]
    meals.save()
    meals.save_revision().publish()
    legal = published(
        ServicePageFactory, parent=tree.a.services, title="东园法律咨询", audience=["all"]
    )
    other = published(
        ServicePageFactory, parent=tree.b.services, title="西里理发", audience=["all"]
    )
    urgent = published(
        NoticePageFactory,
        parent=tree.a.notices,
        title="东园明天停水",
        slug="water-outage",
        urgency=NoticePage.Urgency.URGENT,
        document_number="东园〔2026〕3号",
    )
    current = published(NoticePageFactory, parent=tree.street.notices, title="高龄津贴发放通知")
    expired = published(
        NoticePageFactory,
        parent=tree.street.notices,
        title="过期的旧通知",
        slug="old-notice",
        valid_from=timezone.now() - timedelta(days=10),
        valid_until=timezone.now() - timedelta(days=1),
    )
    walk = published(
        EventPageFactory,
        parent=tree.street.events,
        title="冬季健步走",
        slug="winter-walk",
        status=EventPage.Status.CANCELLED,
        status_reason="寒潮预警，路面结冰",
    )
    songs = published(EventPageFactory, parent=tree.a.events, title="老歌大家唱", slug="songs")
    return {
        "tree": tree,
        "meals": meals,
        "legal": legal,
        "other": other,
        "urgent": urgent,
        "current": current,
        "expired": expired,
        "walk": walk,
        "songs": songs,
    }


def text_of(response) -> str:
    """The visible text of a page, roughly: tags out, whitespace squeezed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def json_ld(response) -> dict:
    found = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    assert found, "no JSON-LD in the page"
    return json.loads(found.group(1))


def test_the_home_page_shows_urgent_notices_latest_notices_events_and_ways_in(hub, client):
    response = client.get("/")

    assert response.status_code == 200
    text = text_of(response)
    assert "紧急通知" in text and "东园明天停水" in text
    assert "高龄津贴发放通知" in text
    assert "老歌大家唱" in text and "冬季健步走" in text
    assert "养老服务" in text  # a service category tile
    assert "老年人" in text  # a resident category tile
    assert 'href="/subscribe/"' in response.content.decode()
    assert "过期的旧通知" not in text
    assert '<html lang="zh-hans">' in response.content.decode()


def test_a_community_home_shows_its_own_and_street_wide_content_only(hub, client):
    response = client.get(hub["tree"].b.page.url)

    text = text_of(response)
    assert response.status_code == 200
    assert "西里社区" in text
    assert "高龄津贴发放通知" in text  # street-wide
    assert "东园明天停水" not in text  # another community's


def test_the_service_page_has_everything_needed_to_act(hub, client):
    response = client.get("/services/elderly-canteen/")

    assert response.status_code == 200
    text = text_of(response)
    assert "长者饭堂助餐" in text
    assert "低偿（优惠收费）" in text and "6.00 元/份 标准套餐" in text
    assert "本街道60岁以上的老人" in text and "60 岁以上" in text
    assert "和平长者饭堂" in text and "和平路16号" in text
    assert "现在开放" in text  # open 00:00–23:59 every day
    assert "到服务点、上门服务" in text
    assert "身份证 （原件） 复印件 1 份" in text and "办卡" in text
    assert "当场办好" in text
    assert "和美餐饮公司" in text
    assert 'href="tel:010-64026688"' in response.content.decode()


def test_the_service_page_describes_itself_to_crawlers_as_a_government_service(hub, client):
    data = json_ld(client.get("/services/elderly-canteen/"))

    assert data["@type"] == "GovernmentService"
    assert data["name"] == "长者饭堂助餐"
    assert data["provider"]["name"] == "和美餐饮公司"
    assert data["offers"][0]["price"] == "6.00" and data["offers"][0]["priceCurrency"] == "CNY"
    location = data["availableChannel"]["serviceLocation"][0]
    assert location["address"] == "和平路16号"
    assert location["openingHoursSpecification"][0]["dayOfWeek"][0] == "Monday"


def test_the_notice_page_shows_validity_issuer_number_and_urgency(hub, client):
    response = client.get(hub["urgent"].url)

    text = text_of(response)
    assert "东园明天停水" in text and "紧急" in text
    assert "东园〔2026〕3号" in text
    assert "有效期" in text
    data = json_ld(response)
    assert data["@type"] == "Article"
    assert data["headline"] == "东园明天停水"
    assert data["identifier"] == "东园〔2026〕3号"
    assert data["expires"]


def test_a_cancelled_event_is_marked_with_its_reason(hub, client):
    response = client.get("/events/winter-walk/")

    text = text_of(response)
    assert "活动已取消" in text and "寒潮预警，路面结冰" in text
    assert json_ld(response)["eventStatus"] == "https://schema.org/EventCancelled"
    listing = text_of(client.get("/events/"))
    assert "冬季健步走" in listing and "取消" in listing


def test_an_event_page_offers_the_calendar_file_and_sharing(hub, client):
    response = client.get(hub["songs"].url)

    html = response.content.decode()
    data = json_ld(response)
    assert data["@type"] == "Event"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["location"]["address"] == "和平路 12 号社区活动室"
    assert f'href="/feeds/events/{hub["songs"].pk}.ics?locale=zh-hans"' in html
    assert client.get(f"/feeds/events/{hub['songs'].pk}.ics").status_code == 200
    assert "data-share" in html and 'value="http://testserver/' in html


def test_an_expired_notice_is_not_listed_but_its_page_says_it_has_expired(hub, client):
    assert "过期的旧通知" not in text_of(client.get("/notices/"))
    assert "高龄津贴发放通知" in text_of(client.get("/notices/"))

    response = client.get("/notices/old-notice/")
    english = client.get("/en/notices/old-notice/")

    # A link from an old message or the API's archive (current=false) still answers.
    assert response.status_code == 200
    assert "过期的旧通知" in text_of(response)
    assert "此通知已于" in text_of(response) and "仅供查阅" in text_of(response)
    assert "expired" in text_of(english)


def test_traditional_chinese_readers_get_traditional_text(hub, client):
    home = text_of(client.get("/zh-hant/"))
    service = client.get("/zh-hant/services/elderly-canteen/")

    assert "緊急通知" in home and "東園明天停水" in home
    assert "長者飯堂助餐" in text_of(service)
    assert "低償（優惠收費）" in text_of(service)
    assert "本頁由簡體中文自動轉換為繁體" in text_of(service)
    assert '<html lang="zh-hant">' in service.content.decode()
    assert (
        'href="/zh-hant/services/elderly-canteen/"'
        in client.get("/zh-hant/services/").content.decode()
    )


def test_english_readers_get_english_pages_around_untranslated_content(hub, client):
    response = client.get("/en/services/elderly-canteen/")

    html = response.content.decode()
    text = text_of(response)
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert "Low cost (subsidised)" in text and "What to bring" in text
    assert "Not translated yet" in text
    assert '<main id="main" tabindex="-1" lang="zh-hans">' in html
    assert "Urgent notices" in text_of(client.get("/en/"))


def test_every_page_offers_the_three_languages(hub, client):
    html = client.get("/services/elderly-canteen/").content.decode()

    assert 'href="/zh-hant/services/elderly-canteen/"' in html
    assert 'href="/en/services/elderly-canteen/"' in html
    assert (
        'href="/services/elderly-canteen/" lang="zh-hans" hreflang="zh-hans" aria-current="page"'
        in html
    )


def test_lists_filter_like_the_api(hub, client):
    low_cost = text_of(client.get("/services/", {"fee_mode": "low_cost"}))
    free = text_of(client.get("/services/", {"fee_mode": "free", "community": "dongyuan"}))
    elderly_care = text_of(
        client.get("/services/", {"resident_category": "elderly", "fee_mode": ""})
    )

    assert "长者饭堂助餐" in low_cost and "东园法律咨询" not in low_cost
    assert "东园法律咨询" in free and "西里理发" not in free
    assert "长者饭堂助餐" in elderly_care


def test_a_community_list_shows_that_community_and_the_street(hub, client):
    text = text_of(client.get(hub["tree"].a.services.url))

    assert "东园法律咨询" in text and "长者饭堂助餐" in text
    assert "西里理发" not in text


def test_a_long_list_has_a_more_link_that_follows_the_cursor(hub, client):
    for number in range(21):
        published(
            ServicePageFactory, parent=hub["tree"].street.services, title=f"便民服务{number:02}"
        )

    first = client.get("/services/")
    more = re.search(r'href="(/services/\?cursor=[^"]+)" rel="next"', first.content.decode())
    assert more
    second = client.get(more.group(1).replace("&amp;", "&"))

    assert second.status_code == 200
    assert "西里理发" in text_of(second)
    assert "西里理发" not in text_of(first)


@pytest.mark.parametrize(
    "query", [{"fee_mode": "cheap"}, {"community": "nowhere"}, {"colour": "red"}, {"from": "soon"}]
)
def test_an_unknown_filter_value_is_a_clear_400_page(hub, client, query):
    path = "/events/" if "from" in query else "/services/"

    response = client.get(path, query)

    assert response.status_code == 400
    text = text_of(response)
    assert "筛选条件有误" in text
    assert "清除筛选" in text


def test_search_works_without_javascript_and_links_to_the_pages(hub, client):
    response = client.get("/search/", {"q": "助餐"})

    text = text_of(response)
    assert "长者饭堂助餐" in text
    assert 'href="/services/elderly-canteen/"' in response.content.decode()
    assert "找到 1 条" in text


def test_a_suggestion_link_leads_to_the_page_in_the_readers_language(hub, client):
    response = client.get(f"/zh-hant/items/{hub['meals'].pk}/")

    assert response.status_code == 302
    assert response["Location"] == "/zh-hant/services/elderly-canteen/"
    assert client.get("/items/999999/").status_code == 404


def test_a_page_without_an_item_is_not_found(hub, client):
    Item.objects.filter(page_id=hub["songs"].pk).delete()

    assert client.get(hub["songs"].url).status_code == 404


def test_pages_are_cached_briefly_and_revalidated_with_an_etag(hub, client):
    response = client.get("/")

    assert response["Cache-Control"] == "public, max-age=60"
    again = client.get("/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


@pytest.mark.parametrize(
    ("path", "most"),
    [
        ("/", 16),
        ("/zh-hant/", 17),
        ("{community}", 22),
        ("/services/", 20),
        ("/services/?resident_category=elderly", 21),
        ("/notices/", 17),
        ("/events/", 17),
        ("/services/elderly-canteen/", 11),
        ("/zh-hant/services/elderly-canteen/", 12),
        ("/events/winter-walk/", 11),
        ("/search/?q=助餐", 12),
    ],
)
def test_a_page_costs_a_few_queries_whatever_the_content(
    hub, client, django_assert_max_num_queries, path, most
):
    # More rows must not mean more queries.
    for number in range(4):
        published(ServicePageFactory, parent=hub["tree"].street.services, title=f"便民服务{number}")
        published(EventPageFactory, parent=hub["tree"].a.events, title=f"讲座{number}")
        published(NoticePageFactory, parent=hub["tree"].street.notices, title=f"通知{number}")
    path = path.format(community=hub["tree"].a.page.url)

    with django_assert_max_num_queries(most):
        response = client.get(path)

    assert response.status_code == 200


def test_a_preview_of_a_draft_still_shows_the_page_fields(hub, admin_client):
    from django.urls import reverse

    page = hub["meals"]
    page.title = "长者饭堂助餐（草稿）"
    page.save_revision()

    response = admin_client.get(reverse("wagtailadmin_pages:view_draft", args=(page.pk,)))

    assert response.status_code == 200
    assert "pages/preview.html" in [t.name for t in response.templates]
    assert "长者饭堂助餐（草稿）" in response.content.decode()
