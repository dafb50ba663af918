"""Wagtail's own API v2 stays available for generic Wagtail clients."""

from wagtail.models import Site

import pytest

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
