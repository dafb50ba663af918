"""Kiosks: registered by staff, authenticated by a token, watched for being offline."""

import io
import json
from datetime import timedelta

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

import pytest

from core.testing import published
from kiosks.models import Kiosk, hash_token
from kiosks.operations import kiosk_create, kiosk_revoke
from notices.factories import NoticePageFactory
from notices.models import NoticePage


def test_kiosk_create_prints_only_the_token_on_its_last_line(tree):
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "kiosk_create", name="大厅 1 号机", community=tree.a.page.code, stdout=out, stderr=err
    )

    token = out.getvalue().strip().splitlines()[-1]
    kiosk = Kiosk.objects.get(name="大厅 1 号机")
    assert len(token) >= 40
    assert kiosk.token_hash == hash_token(token)
    assert token not in kiosk.token_hash
    # The setup link keeps the token in its fragment, out of every server's log.
    assert f"Open http://testserver/kiosk/#token={token} on it" in err.getvalue()


def test_kiosk_create_refuses_an_unknown_community(tree):
    with pytest.raises(Exception, match="No community"):
        call_command("kiosk_create", name="x", community="atlantis", stdout=io.StringIO())


def test_a_heartbeat_records_the_kiosk_and_its_cursor(tree, client):
    kiosk, token = kiosk_create(name="大厅 1 号机")

    response = client.post(
        "/api/v1/kiosk/heartbeat/",
        data=json.dumps({"client_version": "1.2.0", "cursor": "eyJtIjoiZCIsImMiOjl9"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )

    assert response.status_code == 200
    assert response.json()["poll_seconds"] > 0
    kiosk.refresh_from_db()
    assert kiosk.client_version == "1.2.0"
    assert kiosk.feed_cursor == "eyJtIjoiZCIsImMiOjl9"
    assert kiosk.is_online


def test_a_kiosk_endpoint_without_a_valid_token_is_a_401(tree, client):
    kiosk, token = kiosk_create(name="旧机器")
    kiosk_revoke(kiosk=kiosk)

    for headers in (
        {},
        {"HTTP_AUTHORIZATION": "Bearer nope"},
        {"HTTP_AUTHORIZATION": f"Bearer {token}"},
    ):
        response = client.get("/api/v1/kiosk/screen/", **headers)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "not_authenticated"


def test_a_malformed_heartbeat_is_a_400_not_a_500(tree, client):
    _kiosk, token = kiosk_create(name="大厅 1 号机")

    response = client.post(
        "/api/v1/kiosk/heartbeat/",
        data="{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_request"


def test_the_screen_puts_urgent_notices_first_for_the_kiosks_community(tree, client):
    urgent = NoticePage.Urgency.URGENT
    published(NoticePageFactory, parent=tree.a.notices, title="停水通知", urgency=urgent)
    published(NoticePageFactory, parent=tree.street.notices, title="高龄津贴", pinned=True)
    published(NoticePageFactory, parent=tree.b.notices, title="西里停电", urgency=urgent)
    _kiosk, token = kiosk_create(name="安华里机", community=tree.a.page.code)

    screen = client.get("/api/v1/kiosk/screen/", HTTP_AUTHORIZATION=f"Bearer {token}").json()

    assert [n["title"] for n in screen["urgent"]] == ["停水通知"]
    assert [n["title"] for n in screen["pinned"]] == ["高龄津贴"]
    assert screen["kiosk"]["community"] == tree.a.page.code
    elderly = next(row for row in screen["resident_categories"] if row["code"] == "elderly")
    assert elderly["count"] == 0


def test_a_kiosk_silent_for_two_poll_intervals_is_offline(tree, settings):
    kiosk, _token = kiosk_create(name="大厅 1 号机")
    kiosk.last_seen_at = timezone.now() - timedelta(
        seconds=2 * settings.LINLI_FEED_POLL_SECONDS + 5
    )

    assert not kiosk.is_online


def test_staff_create_a_kiosk_in_the_admin_and_see_its_token_once(tree, client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "r@linli.invalid", "x"))

    response = client.post(
        reverse("wagtailsnippets_kiosks_kiosk:add"),
        {"name": "大厅 2 号机", "community": "", "location": "一楼", "locale": "zh-hans"},
        follow=True,
    )

    kiosk = Kiosk.objects.get(name="大厅 2 号机")
    text = response.content.decode()
    shown = text.split("请现在复制到自助机：")[1].split("（")[0].strip()
    assert kiosk.token_hash == hash_token(shown)
    assert f"在自助机上打开 http://testserver/kiosk/#token={shown}）" in text
    again = client.get(reverse("wagtailsnippets_kiosks_kiosk:list")).content.decode()
    assert shown not in again


def test_revoking_a_kiosk_in_the_admin_stops_it_at_once(tree, client, django_user_model):
    kiosk, token = kiosk_create(name="大厅 3 号机")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    # The kiosk has polled, so its token lookup sits in the cache.
    assert (
        client.post(
            "/api/v1/kiosk/heartbeat/", data="{}", content_type="application/json", **bearer
        ).status_code
        == 200
    )
    client.force_login(django_user_model.objects.create_superuser("root", "r@linli.invalid", "x"))

    client.post(
        reverse("wagtailsnippets_kiosks_kiosk:edit", args=[kiosk.pk]),
        {"name": kiosk.name, "community": "", "location": "", "locale": "zh-hans", "revoke": "on"},
    )

    kiosk.refresh_from_db()
    assert kiosk.revoked_at is not None
    client.logout()
    response = client.post(
        "/api/v1/kiosk/heartbeat/", data="{}", content_type="application/json", **bearer
    )
    assert response.status_code == 401


def test_a_revocation_by_another_server_process_counts_at_the_next_request(tree, client):
    # Several processes serve the hub; one of them revokes the kiosk. This process
    # learns of it only through the database, where the revocation is a row's column.
    kiosk, token = kiosk_create(name="大厅 4 号机")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/v1/kiosk/screen/", **bearer).status_code == 200

    Kiosk.objects.filter(pk=kiosk.pk).update(revoked_at=timezone.now())

    heartbeat = client.post(
        "/api/v1/kiosk/heartbeat/", data="{}", content_type="application/json", **bearer
    )
    screen = client.get("/api/v1/kiosk/screen/", **bearer)
    assert [heartbeat.status_code, screen.status_code] == [401, 401]


def test_a_kiosk_moved_in_another_process_gets_its_new_communitys_screen(tree, client):
    kiosk, token = kiosk_create(name="大厅 5 号机", community=tree.a.page.code)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/v1/kiosk/screen/", **bearer).json()["kiosk"]["community"] == (
        tree.a.page.code
    )

    Kiosk.objects.filter(pk=kiosk.pk).update(community=tree.b.page.code)

    screen = client.get("/api/v1/kiosk/screen/", **bearer).json()
    assert screen["kiosk"]["community"] == tree.b.page.code
