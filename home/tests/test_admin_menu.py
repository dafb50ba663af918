"""The street office's records under one menu entry, categories of services included."""

from django.test import RequestFactory

from wagtail.admin.menu import admin_menu

import pytest

pytestmark = pytest.mark.django_db


def test_the_records_menu_lists_every_shared_record(admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    group = next(
        item for item in admin_menu.menu_items_for_request(request) if item.label == "街道资料"
    )
    # In the order the sidebar shows them (it sorts by order).
    items = sorted(group.menu.menu_items_for_request(request), key=lambda item: item.order)
    assert [item.label for item in items] == ["居民类别", "服务类别", "机构", "服务点"]
