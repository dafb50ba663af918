"""Enumeration labels in the reader's language: codes are for clients, labels are for people."""

import re

import pytest

from services.factories import ServicePageFactory
from services.models import ServicePage

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


def published(factory, **kwargs):
    page = factory(live=False, **kwargs)
    page.save_revision().publish()
    return page


def labels(value) -> list[str]:
    """Every `label` anywhere in an answer."""
    if isinstance(value, dict):
        found = [value["label"]] if isinstance(value.get("label"), str) else []
        return found + [label for child in value.values() for label in labels(child)]
    if isinstance(value, list):
        return [label for child in value for label in labels(child)]
    return []


@pytest.fixture
def free_service(tree):
    return published(
        ServicePageFactory,
        parent=tree.a.services,
        title="安华里助餐",
        fee_mode=ServicePage.FeeMode.FREE,
        kind=ServicePage.Kind.VOLUNTEER,
        delivery_modes=[ServicePage.DeliveryMode.HOME_VISIT],
    )


def test_an_english_reader_gets_the_fee_mode_in_english(free_service, client):
    item = client.get(f"/api/v1/services/{free_service.pk}/", {"locale": "en"}).json()

    assert item["fee_mode"] == {"code": "free", "label": "Free"}
    assert item["kind"] == {"code": "volunteer", "label": "Volunteer service"}
    assert item["delivery_modes"] == [{"code": "home_visit", "label": "Home visit"}]


def test_a_traditional_reader_gets_the_fee_mode_in_traditional_characters(free_service, client):
    item = client.get(f"/api/v1/services/{free_service.pk}/", {"locale": "zh-hant"}).json()

    assert item["fee_mode"] == {"code": "free", "label": "無償（免費）"}


def test_the_source_language_keeps_its_own_labels(free_service, client):
    item = client.get(f"/api/v1/services/{free_service.pk}/").json()

    assert item["fee_mode"] == {"code": "free", "label": "无偿（免费）"}


def english_items(client, plural: str) -> list[dict]:
    items, url, query = [], f"/api/v1/{plural}/", {"locale": "en", "limit": 100}
    while url:
        page = client.get(url, query).json()
        items += page["results"]
        url, query = page["next"], None
    return [
        client.get(f"/api/v1/{plural}/{item['id']}/", {"locale": "en"}).json() for item in items
    ]


@pytest.mark.parametrize("plural", ["services", "notices", "events"])
def test_no_english_item_of_the_demo_has_a_chinese_label(demo_content, db, client, plural):
    items = english_items(client, plural)

    found = [label for item in items for label in labels(item)]
    assert found, f"the demo's {plural} have labels"
    assert {label for label in found if CJK.search(label)} == set()
