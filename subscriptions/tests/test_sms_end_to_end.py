"""Issue 13's "done when", through the API, the outbox and channel_inbound as `make run` has them."""

from io import StringIO

from django.core.management import call_command

from wagtail.models import Site

import pytest

from notices.factories import NoticePageFactory
from notices.models import NoticePage

pytestmark = pytest.mark.django_db

PHONE = "+8613800138000"


def _urgent(tree, title):
    return NoticePageFactory(
        parent=tree.a.notices, title=title, urgency=NoticePage.Urgency.URGENT, audience=["elderly"]
    )


def test_subscribe_by_phone_receive_one_sms_reply_td_and_receive_nothing_more(
    tree, client, sms_outbox, publish, run_on_commit
):
    Site.objects.filter(is_default_site=True).update(root_page=tree.street.page)

    # Subscribe with a phone number, for a category.
    answer = run_on_commit(
        client.post,
        "/api/v1/subscriptions/",
        {"phone": "138 0013 8000", "resident_categories": ["elderly"], "content_types": ["notice"]},
        content_type="application/json",
    )
    assert answer.status_code == 201

    # Confirm with the code from the outbox.
    [code_message] = sms_outbox.to(PHONE)
    confirmed = client.post(
        "/api/v1/subscriptions/phone/confirm/",
        {"phone": "13800138000", "code": code_message["params"]["code"]},
        content_type="application/json",
    )
    assert confirmed.status_code == 200

    # An urgent notice for the category: one SMS, one billed message, with its short link.
    page = _urgent(tree, "关于今晚八点至明早六点东园社区全域停电检修的紧急通知，请提前做好准备")
    publish(page)
    notices = [m for m in sms_outbox.to(PHONE) if m["template"] != "code"]
    assert len(notices) == 1
    [sms] = notices
    assert sms["text"].startswith("【临里街道】紧急通知：关于今晚八点")
    assert len(sms["text"]) <= 70
    short = f"http://testserver/s/{sms['params']['code']}"
    assert sms["text"].endswith(short)
    assert client.get(short.removeprefix("http://testserver"))["Location"] == sms["url"]
    assert sms["url"] == f"http://testserver{page.url}"

    # The resident replies TD.
    out = StringIO()
    call_command("channel_inbound", "sms", "13800138000", "TD", stdout=out)
    assert out.getvalue() == "1 subscription(s) changed\n"

    # Published again: nothing more reaches the phone.
    publish(_urgent(tree, "停电检修延期"))
    assert len(sms_outbox.to(PHONE)) == 2  # the code and the one notice

    # The first notice's reach: one resident, reached, confirmed by the (outbox's) receipt.
    from django.contrib.auth import get_user_model

    from subscriptions.models import Notification

    first = Notification.objects.filter(page=page).get()
    staff = get_user_model().objects.create_superuser("reach", "reach@example.org", "x")
    client.force_login(staff)
    reach = client.get(f"/admin/reports/notifications/{first.pk}/reach/").text
    total = reach[reach.index("data-targeted") :][:200]
    assert "<td data-targeted>1</td><td>1</td><td>0</td><td>0</td><td>0</td>" in reach, total
