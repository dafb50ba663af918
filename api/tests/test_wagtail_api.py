"""Wagtail's own API v2 stays available for generic Wagtail clients."""

from wagtail.models import Site

import pytest

from core.testing import published
from events.factories import EventPageFactory
from notices.factories import NoticePageFactory
from services.factories import ServicePageFactory


@pytest.mark.parametrize(
    ("factory", "index", "model", "field"),
    [
        (ServicePageFactory, "services", "services.ServicePage", "fee_mode"),
        (NoticePageFactory, "notices", "notices.NoticePage", "valid_until"),
        (EventPageFactory, "events", "events.EventPage", "starts_at"),
    ],
)
def test_every_page_type_is_served_with_its_fields(tree, client, factory, index, model, field):
    Site.objects.filter(is_default_site=True).update(root_page=tree.street.page)
    page = factory(parent=getattr(tree.a, index))

    response = client.get("/api/wagtail/v2/pages/", {"type": model, "fields": "*"})

    assert response.status_code == 200
    item = response.json()["items"][0]
    assert item["id"] == page.pk
    assert field in item
    assert item["summary"] == page.summary


def test_absolute_urls_name_the_public_host_not_the_site_records(tree, client, settings):
    # A fresh installation's Site record says http://localhost; the hub is served on
    # LINLI_PUBLIC_URL (http://testserver in the tests, `make run`'s HOST:PORT).
    assert settings.LINLI_PUBLIC_URL == "http://testserver"
    site = Site.objects.get(is_default_site=True)
    Site.objects.filter(pk=site.pk).update(root_page=tree.street.page, hostname="localhost")
    page = published(ServicePageFactory, parent=tree.a.services, slug="canteen")

    listed = client.get("/api/wagtail/v2/pages/", {"type": "services.ServicePage"}).json()
    item = listed["items"][0]
    detail = client.get(f"/api/wagtail/v2/pages/{page.pk}/").json()
    found = client.get("/api/wagtail/v2/pages/find/", {"html_path": page.url})

    assert item["meta"]["detail_url"] == f"http://testserver/api/wagtail/v2/pages/{page.pk}/"
    assert item["meta"]["html_url"] == f"http://testserver{page.url}"
    assert detail["meta"]["html_url"] == item["meta"]["html_url"]
    assert found.status_code == 302
    assert found["Location"].startswith(f"http://testserver/api/wagtail/v2/pages/{page.pk}/")
