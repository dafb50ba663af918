from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone, translation

import pytest

from notices.factories import NoticePageFactory
from notices.models import NoticePage


def errors_of(page) -> dict[str, list[str]]:
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        page.full_clean()
    return caught.value.message_dict


def test_a_notice_cannot_expire_before_it_starts(db):
    start = timezone.now()
    page = NoticePageFactory.build(valid_from=start, valid_until=start - timedelta(days=1))

    assert errors_of(page)["valid_until"] == ["失效时间必须晚于生效时间。"]


def test_an_urgent_notice_needs_a_summary(db):
    page = NoticePageFactory.build(urgency=NoticePage.Urgency.URGENT, summary="  ")

    assert errors_of(page)["summary"] == [
        "紧急通知必须填写摘要：推送和自助机顶部横幅显示的就是它。"
    ]


def test_a_normal_notice_may_go_without_a_summary(tree):
    page = NoticePageFactory(parent=tree.street.notices, summary="")

    page.full_clean()

    assert page.summary == ""


def test_a_summary_longer_than_a_push_message_is_refused(db):
    page = NoticePageFactory.build(summary="通" * 141)

    assert errors_of(page)["summary"] == ["确保该变量包含不超过 140 字符 (目前字符数 141)。"]


def test_current_notices_leave_out_expired_and_future_ones(tree):
    now = timezone.now()
    current = NoticePageFactory(parent=tree.street.notices)
    open_ended = NoticePageFactory(parent=tree.street.notices, valid_until=None)
    NoticePageFactory(
        parent=tree.street.notices,
        valid_from=now - timedelta(days=10),
        valid_until=now - timedelta(days=1),
    )
    NoticePageFactory(parent=tree.street.notices, valid_from=now + timedelta(days=1))

    assert set(NoticePage.objects.current()) == {current, open_ended}
