"""The SMS channel: numbers, one billed message with a short link, the outbox's files."""

import pytest

from notices.factories import NoticePageFactory
from notices.models import NoticePage
from subscriptions.channels.registry import channel
from subscriptions.channels.sms import SINGLE_SMS_CHARS, TEMPLATES, phone_e164
from subscriptions.models import Delivery, Receipt, ShortLink
from subscriptions.tests.sms_fixtures import phone_subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(tree):
    """The street as the default site, so pages have addresses to link to."""
    from wagtail.models import Site

    Site.objects.filter(is_default_site=True).update(root_page=tree.street.page)
    return tree


LONG_TITLE = "关于临里社区一至六号楼明天上午九点至下午五点因供水管网改造临时停水的紧急通知"


@pytest.mark.parametrize(
    ("written", "e164"),
    [
        ("13800138000", "+8613800138000"),
        ("138 0013 8000", "+8613800138000"),
        ("+86 138-0013-8000", "+8613800138000"),
        ("008613800138000", "+8613800138000"),
        ("8613800138000", "+8613800138000"),
        ("19912345678", "+8619912345678"),
        ("010 6552 9988", None),  # a Beijing landline cannot read a text
        ("+85291234567", None),  # Hong Kong: not a mainland mobile
        ("1380013800", None),
        ("短信", None),
    ],
)
def test_numbers_are_mainland_mobiles_in_e164(written, e164):
    assert phone_e164(written) == e164


def test_a_number_that_is_no_mainland_mobile_is_refused_on_the_phone_field():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        channel("sms").clean("010 6552 9988", {})
    assert "phone" in caught.value.message_dict


def test_the_outbox_writes_one_file_per_message_as_the_resident_reads_it(
    site, sms_outbox, publish, client
):
    tree = site
    phone_subscriber("+8613800138000")
    page = NoticePageFactory(
        parent=tree.a.notices, title=LONG_TITLE, urgency=NoticePage.Urgency.URGENT, audience=["all"]
    )
    publish(page)

    [message] = sms_outbox.messages()
    assert message["to"] == "+8613800138000"
    assert message["template"] == "urgent"
    text = message["text"]
    assert text.startswith("【临里街道】紧急通知：关于临里社区")
    assert len(text) == SINGLE_SMS_CHARS  # the title was cut to fill one message exactly
    assert "…，详见 http://testserver/s/" in text
    code = message["params"]["code"]
    assert text.endswith(f"http://testserver/s/{code}")
    assert message["params"]["title"] in text
    assert message["url"] == f"http://testserver{page.url}"
    # The short link opens the notice.
    answer = client.get(f"/s/{code}")
    assert answer.status_code == 302
    assert answer["Location"] == message["url"]
    assert client.get("/s/nothing").status_code == 404
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.SENT
    assert delivery.receipt.provider == "outbox"
    assert delivery.receipt.provider_id == message["id"]


def test_a_short_title_is_sent_whole_in_the_notice_template(tree, sms_outbox, publish):
    phone_subscriber()
    publish(NoticePageFactory(parent=tree.a.notices, title="社区义诊", audience=["all"]))

    [message] = sms_outbox.messages()
    assert message["template"] == "notice"
    assert message["params"]["title"] == "社区义诊"
    assert message["text"] == TEMPLATES["notice"].render(**message["params"]).join(
        ["【临里街道】", ""]
    )
    assert len(message["text"]) < SINGLE_SMS_CHARS


def test_readers_of_one_page_share_its_short_link(tree, sms_outbox, publish):
    phone_subscriber("+8613800138000")
    phone_subscriber("+8613900139000")
    publish(NoticePageFactory(parent=tree.a.notices, audience=["all"]))

    first, second = sms_outbox.messages()
    assert first["params"]["code"] == second["params"]["code"]
    link = ShortLink.objects.get()
    assert len(link.code) == 7
    assert {message["to"] for message in (first, second)} == {"+8613800138000", "+8613900139000"}


def test_an_unconfirmed_number_gets_no_notification(tree, sms_outbox, publish):
    subscription = phone_subscriber()
    subscription.addresses.update(confirmed_at=None)
    publish(NoticePageFactory(parent=tree.a.notices, audience=["all"]))

    assert sms_outbox.messages() == []
    assert not Receipt.objects.exists()


def test_sms_templates_prints_the_wording_to_register_in_each_providers_syntax(settings):
    from io import StringIO

    from django.core.management import call_command

    settings.LINLI_SMS_LINK_BASE = "https://l.example.gov.cn/s/"
    out = StringIO()
    call_command("sms_templates", provider="tencent", stdout=out)
    assert "紧急通知：{1}，详见 https://l.example.gov.cn/s/{2}" in out.getvalue()
    out = StringIO()
    call_command("sms_templates", provider="aliyun", stdout=out)
    assert "紧急通知：${title}，详见 https://l.example.gov.cn/s/${code}" in out.getvalue()
    assert "验证码${code}，10分钟内有效" in out.getvalue()
