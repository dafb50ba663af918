"""The change feed as a kiosk uses it: snapshot, then deltas from its cursor."""

from datetime import timedelta

from django.db import DatabaseError, connection
from django.urls import reverse
from django.utils import timezone

import pytest

from core.testing import post_admin_form, published
from items.models import Change
from items.projection import feed_prune
from notices.factories import NoticePageFactory
from services.factories import ServicePageFactory


def read_all(client, query):
    """Follow the feed until it has nothing more; returns entries and the last cursor."""
    entries, cursor = [], query.pop("cursor", None)
    while True:
        body = client.get(
            "/api/v1/feed/", {**query, **({"cursor": cursor} if cursor else {})}
        ).json()
        entries += body["entries"]
        cursor = body["next"]
        if not body["has_more"]:
            return entries, cursor


def test_a_new_kiosk_gets_a_snapshot_page_by_page_then_a_cursor(tree, client):
    for number in range(5):
        published(ServicePageFactory, parent=tree.a.services, title=f"服务{number}")

    entries, cursor = read_all(client, {"limit": 2})

    assert [e["item"]["title"] for e in entries] == [f"服务{n}" for n in range(5)]
    assert {e["op"] for e in entries} == {"updated"}
    assert client.get("/api/v1/feed/", {"cursor": cursor}).json()["entries"] == []
    assert client.get("/api/v1/feed/").json()["poll_seconds"] > 0


def test_a_kiosk_back_online_learns_what_was_published_and_withdrawn(tree, client):
    kept = published(ServicePageFactory, parent=tree.a.services, title="助餐")
    withdrawn = published(NoticePageFactory, parent=tree.a.notices, title="停水通知")
    _entries, cursor = read_all(client, {})

    withdrawn.unpublish()
    kept.title = "助餐（新价格）"
    kept.save_revision().publish()
    entries, _cursor = read_all(client, {"cursor": cursor})

    assert {(e["op"], e["id"]) for e in entries} == {
        ("deleted", withdrawn.pk),
        ("updated", kept.pk),
    }
    updated = next(e for e in entries if e["op"] == "updated")
    assert updated["item"]["title"] == "助餐（新价格）"


def test_an_item_moved_out_of_a_community_reaches_its_kiosks_as_deleted(tree, client):
    service = published(ServicePageFactory, parent=tree.a.services)
    _entries, cursor = read_all(client, {"community": tree.a.page.code})
    tree.b.services.delete()

    tree.a.services.move(tree.b.page, pos="last-child")
    entries, _cursor = read_all(client, {"community": tree.a.page.code, "cursor": cursor})

    assert entries == [{"op": "deleted", "type": "service", "id": service.pk}]


def test_a_notice_passing_its_end_is_a_removal(tree, client):
    from items.projection import feed_sweep_time_boundaries

    notice = published(
        NoticePageFactory,
        parent=tree.street.notices,
        valid_until=timezone.now() + timedelta(minutes=5),
    )
    _entries, cursor = read_all(client, {"type": "notice"})

    later = timezone.now() + timedelta(minutes=6)
    feed_sweep_time_boundaries(now=later)

    from core.params import cursor as parse
    from items.selectors import ItemFilter, feed_read

    page = feed_read(
        query=ItemFilter(type="notice"), cursor=parse("cursor", cursor), limit=10, now=later
    )
    assert [(op, page_id) for op, _t, page_id, _d in page.entries] == [("deleted", notice.pk)]


def test_a_cursor_older_than_the_kept_changes_must_resync(tree, client):
    published(ServicePageFactory, parent=tree.a.services)
    _entries, cursor = read_all(client, {})
    published(ServicePageFactory, parent=tree.a.services)

    feed_prune(before=timezone.now() + timedelta(seconds=1))
    response = client.get("/api/v1/feed/", {"cursor": cursor})

    assert response.status_code == 410
    assert response.json()["error"]["code"] == "resync_required"
    assert client.get("/api/v1/feed/").status_code == 200


@pytest.mark.parametrize("cursor", ["%%%", "eyJ4IjoxfQ", "bnVsbA"])
def test_a_damaged_cursor_is_a_400(tree, client, cursor):
    response = client.get("/api/v1/feed/", {"cursor": cursor})

    assert response.status_code == 400
    assert response.json()["error"]["field"] == "cursor"


def test_a_publish_that_cannot_be_logged_does_not_happen(tree, client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "r@linli.invalid", "x"))
    page = ServicePageFactory(parent=tree.a.services, live=False)

    # The change log's table gone (rolled back with the test's transaction).
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"ALTER TABLE {quote(Change._meta.db_table)} RENAME TO {quote('api_change_away')}"
        )
    with pytest.raises(DatabaseError):
        post_admin_form(
            client,
            reverse("wagtailadmin_pages:edit", args=(page.pk,)),
            {
                "action-publish": "1",
                "description": {"count": "0"},
                "costs": {"count": "0"},
                "documents": {"count": "0"},
                "steps": {"count": "0"},
            },
        )

    page.refresh_from_db()
    assert not page.live
