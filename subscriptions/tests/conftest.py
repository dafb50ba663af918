"""Real loopback peers (SMTP, web push service, webhook receiver) and publishing helpers."""

import pytest

from subscriptions.tests.sms_fixtures import sms_aliyun, sms_outbox, sms_tencent  # noqa: F401
from subscriptions.tests.voice_fixtures import voice_aliyun, voice_outbox, voice_tencent  # noqa: F401
from subscriptions.tests.wechat_fixtures import wechat_account, wechat_outbox  # noqa: F401
from tests.peers.fixtures import *  # noqa: F403


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Publish a page the way Wagtail does, running what commits would start (planning, sending)."""

    def _publish(page):
        with django_capture_on_commit_callbacks(execute=True):
            revision = page.save_revision()
            revision.publish()
        page.refresh_from_db()
        return revision

    return _publish


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    def _run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return _run
