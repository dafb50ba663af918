"""Lists and details as a kiosk or phone app reads them."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from core.testing import published
from notices.factories import NoticePageFactory
from services.factories import ServicePageFactory
from services.models import ServicePage


@pytest.fixture
def catalog(tree):
    return {
        "a_elderly": published(
            ServicePageFactory, parent=tree.a.services, title="安华里助餐", audience=["elderly"]
        ),
        "b_disability": published(
            ServicePageFactory, parent=tree.b.services, title="西里助残", audience=["disability"]
        ),
        "street_all": published(
            ServicePageFactory, parent=tree.street.services, title="街道法律援助", audience=["all"]
        ),
    }


def titles(response) -> list[str]:
    return [item["title"] for item in response.json()["results"]]


def test_a_community_list_shows_its_own_and_street_wide_services(catalog, client, tree):
    response = client.get("/api/v1/services/", {"community": tree.a.page.code})

    assert response.status_code == 200
    assert sorted(titles(response)) == sorted(["安华里助餐", "街道法律援助"])


def test_a_resident_category_also_sees_what_is_meant_for_everyone(catalog, client):
    response = client.get("/api/v1/services/", {"resident_category": "disability"})

    assert sorted(titles(response)) == sorted(["西里助残", "街道法律援助"])


def test_an_item_carries_what_a_resident_needs_to_act(catalog, client):
    page = catalog["a_elderly"]

    item = client.get(f"/api/v1/services/{page.pk}/").json()

    assert item["type"] == "service"
    assert item["locale"] == "zh-hans" and item["fallback"] is False
    assert item["audience"] == [{"code": "elderly", "name": "老年人"}]
    assert item["fee_mode"]["code"] == "free"
    assert item["delivery_modes"][0]["code"] == "service_point"
    assert item["summary"] == page.summary
    assert client.get(f"/api/v1/services/{page.slug}/").json()["id"] == page.pk


def test_a_locale_without_a_translation_falls_back_and_says_so(catalog, client):
    page = catalog["a_elderly"]

    item = client.get(f"/api/v1/services/{page.pk}/", {"locale": "zh-hant"}).json()

    assert item["locale"] == "zh-hant"
    assert item["content_locale"] == "zh-hans"
    assert item["fallback"] is True
    assert item["machine_converted"] is True
    assert item["title"] == "安華里助餐"
    assert item["slug"] == page.slug
    english = client.get(f"/api/v1/services/{page.pk}/", {"locale": "en"}).json()
    assert english["fallback"] is True and english["machine_converted"] is False
    assert english["title"] == "安华里助餐"


def test_an_unpublished_service_leaves_the_list_at_once(catalog, client):
    assert "西里助残" in titles(client.get("/api/v1/services/"))

    page = catalog["b_disability"]
    page.refresh_from_db()
    page.unpublish()

    assert "西里助残" not in titles(client.get("/api/v1/services/"))
    assert client.get(f"/api/v1/services/{catalog['b_disability'].pk}/").status_code == 404


def test_an_expired_notice_is_not_listed(tree, client):
    from datetime import timedelta

    from django.utils import timezone

    published(NoticePageFactory, parent=tree.street.notices, title="有效通知")
    published(
        NoticePageFactory,
        parent=tree.street.notices,
        title="过期通知",
        valid_from=timezone.now() - timedelta(days=10),
        valid_until=timezone.now() - timedelta(days=1),
    )

    assert titles(client.get("/api/v1/notices/")) == ["有效通知"]
    assert sorted(titles(client.get("/api/v1/notices/", {"current": "false"}))) == [
        "有效通知",
        "过期通知",
    ]


def test_pages_of_a_list_follow_each_other_without_gaps(tree, client):
    for number in range(7):
        published(ServicePageFactory, parent=tree.a.services, title=f"服务{number}")

    seen, cursor = [], None
    while True:
        query = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/v1/services/", query).json()
        seen += [item["title"] for item in body["results"]]
        cursor = body["next"]
        if not cursor:
            break

    assert seen == [f"服务{number}" for number in range(7)]


@pytest.mark.parametrize(
    ("query", "field", "code"),
    [
        ({"limit": "-1"}, "limit", "invalid_limit"),
        ({"limit": "abc"}, "limit", "invalid_limit"),
        ({"colour": "red"}, "colour", "unknown_parameter"),
        ({"resident_category": "martians"}, "resident_category", "invalid_choice"),
        ({"community": "atlantis"}, "community", "invalid_choice"),
        ({"cursor": "not-a-cursor"}, "cursor", "invalid_cursor"),
        ({"fee_mode": "expensive"}, "fee_mode", "invalid_choice"),
        ({"locale": "fr"}, "locale", "invalid_choice"),
    ],
)
def test_bad_input_gets_a_400_that_names_the_field(tree, client, query, field, code):
    response = client.get("/api/v1/services/", query)

    assert response.status_code == 400
    assert response.json()["error"]["field"] == field
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]


def test_events_refuse_a_range_that_ends_before_it_starts(tree, client):
    response = client.get("/api/v1/events/", {"from": "2026-12-10", "to": "2026-12-01"})

    assert response.status_code == 400
    assert response.json()["error"]["field"] == "to"


def test_a_list_costs_the_same_queries_for_five_items_and_for_a_hundred(tree, client, settings):
    settings.LINLI_API_CACHE = False
    for number in range(12):
        published(ServicePageFactory, parent=tree.a.services, title=f"服务{number}")

    counts = []
    for limit in (5, 100):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/services/", {"limit": limit, "resident_category": "all"})
        assert response.status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]
    assert len(response.json()["results"]) == ServicePage.objects.live().count()


def test_a_new_phone_number_of_a_provider_reaches_the_items_that_show_it(
    tree, client, django_capture_on_commit_callbacks
):
    from home.factories import OrganisationFactory

    provider = OrganisationFactory(name="安华里社区服务站", phone="010-1111 1111")
    page = published(ServicePageFactory, parent=tree.a.services, provider=provider)

    provider.phone = "010-2222 2222"
    with django_capture_on_commit_callbacks(execute=True):
        provider.save()

    item = client.get(f"/api/v1/services/{page.pk}/").json()
    assert item["provider"]["phone"] == "010-2222 2222"


@pytest.mark.parametrize("key", ["¹", "٣", "99999999999999999999999"])
def test_keys_that_only_look_like_ids_are_not_found_not_errors(tree, client, key):
    """Superscript and Arabic-Indic digits pass str.isdigit(); a huge number overflows a bigint."""
    response = client.get(f"/api/v1/events/{key}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
