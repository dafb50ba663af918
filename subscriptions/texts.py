"""Words residents read in messages (email, web push, digests), by key.

gettext messages with the simplified Chinese wording as msgid; the traditional
and English wording is in `locale/*/LC_MESSAGES/django.po`.
Cached per locale like `front.texts`; callers treat the dict as read-only.
"""

from functools import lru_cache

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext


@lru_cache(maxsize=8)
def texts(locale: str) -> dict[str, str]:
    """The messages' words by key, in `locale`."""
    with translation.override(locale):
        return {
            "site": _("邻里 · 社区服务信息"),
            "type_notice": pgettext("content type", "通知"),
            "type_service": pgettext("content type", "服务"),
            "type_event": pgettext("content type", "活动"),
            "urgent": _("紧急"),
            "correction_cancelled": _("活动已取消"),
            "correction_postponed": _("活动已延期"),
            "correction_withdrawn": _("通知已撤回"),
            "correction_body": _("您之前收到的这条消息已不再有效，请以最新信息为准。"),
            "digest_daily": _("今日社区信息摘要"),
            "digest_weekly": _("本周社区信息摘要"),
            "digest_intro": _("以下是您订阅的最新社区信息："),
            "more": _("查看详情"),
            "confirm_subject": _("请确认您的社区信息订阅"),
            "confirm_body": _(
                "您好！有人用这个邮箱订阅了邻里社区服务信息。如果是您本人，请在 7 天内打开下面的链接确认；如果不是，请忽略本邮件，我们不会再给您发信。"
            ),
            "confirm_button": _("确认订阅"),
            "footer": _("您收到这封邮件，是因为订阅了邻里社区服务信息。"),
            "unsubscribe": _("退订"),
            "manage": _("管理订阅"),
            "on_behalf_lead": _("您为{who}订阅的社区信息："),
            "relay_title": _("请转告：{title}"),
            "relay_lead": _(
                "您是这条紧急通知的转告人。请告诉您负责的住户，特别是老人、独居和不用手机的住户；"
                "转告完，请打开下面的链接，点“已转告”。"
            ),
            "relay_button": _("打开通知，转告后点“已转告”"),
        }
