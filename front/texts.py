"""Words of the resident's phone pages (home, lists, details, search).

They are gettext messages: the simplified Chinese wording is the msgid and
`locale/<locale>/LC_MESSAGES/django.po` holds the traditional and English
wording (docs/recipes.md, "Add a translated word"). Templates read them as
`t.<key>`; the labels of the API's enumerations come from the models' choices,
translated the same way.

Each function is cached per locale, as Django keeps each locale's catalog for
the life of the process: building the dict is a hundred lookups, and a page
asks for it once per card. Callers treat the dicts as read-only.
"""

from functools import lru_cache

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext


@lru_cache(maxsize=8)
def resident_words(locale: str) -> dict[str, str]:
    """The pages' words by key, in `locale`."""
    with translation.override(locale):
        return {
            "site": _("邻里 · 社区服务信息"),
            "skip_link": _("跳到主要内容"),
            "lang_nav": _("选择语言"),
            "main_nav": _("主要栏目"),
            "home": _("首页"),
            "services": _("服务"),
            "notices": _("通知"),
            "events": _("活动"),
            "search": _("搜索"),
            "search_label": _("搜索服务、通知和活动"),
            "search_hint": _("可以输入汉字、拼音或拼音首字母，例如 ylfw（养老服务）。"),
            "search_button": _("搜索"),
            "suggestions": _("猜您想找"),
            "search_results": _("搜索结果"),
            "search_count": _("找到 {count} 条"),
            "search_none": _("没有找到相关内容。可以换个说法，或打服务热线问一问。"),
            "search_in_default": _("没有找到这种语言的内容，以下是简体中文的结果。"),
            "urgent_banner": _("紧急通知"),
            "latest_notices": _("最新通知"),
            "upcoming_events": _("近期活动"),
            "service_categories": _("按服务类别找"),
            "resident_categories": _("按人群找服务"),
            "all_services": _("全部服务"),
            "all_notices": _("全部通知"),
            "all_events": _("全部活动"),
            "subscribe_title": _("订阅社区信息"),
            "subscribe_pitch": _("有新通知、新活动时，通过邮件或浏览器通知告诉您。"),
            "subscribe_link": _("去订阅"),
            "filters": _("筛选"),
            "filter_apply": pgettext("filter button", "筛选"),
            "filter_clear": _("清除筛选"),
            "any": _("全部"),
            "community": _("社区"),
            "resident_category": _("适合人群"),
            "service_category": _("服务类别"),
            "fee_mode": _("收费方式"),
            "delivery_mode": _("办理方式"),
            "urgency": _("紧急程度"),
            "from": _("从哪天"),
            "to": _("到哪天"),
            "list_empty": _("暂时没有符合条件的内容。"),
            "more": _("下一页"),
            "back_to_first": _("回到第一页"),
            "fallback_note": _("还没有译文，以简体中文显示。"),
            "machine_note": _("本页由简体中文自动转换为繁体。"),
            "audience": _("适合人群"),
            "eligibility": _("谁可以办"),
            "age": _("年龄"),
            "age_from": _("{min} 岁以上"),
            "age_to": _("{max} 岁以下"),
            "age_between": _("{min} 至 {max} 岁"),
            "fee": _("收费"),
            "yuan_per": _("{amount} 元/{unit}"),
            "yuan": _("{amount} 元"),
            "free": _("免费"),
            "where": _("在哪里办"),
            "address": _("地址"),
            "phone": _("电话"),
            "hours": _("开放时间"),
            "today": _("今天"),
            "open_now": _("现在开放"),
            "closed_now": _("现在不开放"),
            "closed_today": _("今天不开放"),
            "open_today": _("今天 {hours} 开放"),
            "special_days": _("特殊日期"),
            "closed": _("不开放"),
            "accessibility": _("无障碍"),
            "how_delivered": _("办理方式"),
            "documents": _("要带的材料"),
            "original": _("原件"),
            "copies": _("复印件 {n} 份"),
            "steps": _("办理步骤"),
            "promised": _("多久办好"),
            "on_the_spot": _("当场办好"),
            "working_days": _("{days} 个工作日内办好"),
            "provider": _("服务提供方"),
            "hotline": _("咨询电话"),
            "call": _("打电话 {phone}"),
            "apply_online": pgettext("link", "网上办理"),
            "last_verified": _("信息核实日期"),
            "details": _("详细说明"),
            "valid": _("有效期"),
            "valid_open": _("{start} 起长期有效"),
            "notice_expired": _("此通知已于 {end} 失效，仅供查阅。"),
            "notice_upcoming": _("此通知尚未生效，{start} 起生效。"),
            "issuer": _("发布单位"),
            "document_number": _("文号"),
            "attachments": _("附件"),
            "published": _("发布时间"),
            "when": _("时间"),
            "venue": _("地点"),
            "registration": _("报名"),
            "registration_required": _("需要报名"),
            "registration_none": _("不用报名，直接来"),
            "deadline": _("报名截止"),
            "capacity": _("名额"),
            "capacity_n": _("{n} 人"),
            "organiser": _("主办"),
            "add_to_calendar": _("加到我的日历"),
            "cancelled": _("活动已取消"),
            "postponed": _("活动已延期"),
            "reason": _("原因"),
            "share": _("分享"),
            "share_button": _("分享给家人"),
            "copy_link": _("复制链接"),
            "copied": _("链接已复制，可以粘贴到微信或短信里。"),
            "page_link": _("本页链接"),
            "bad_filter_title": _("筛选条件有误"),
            "bad_filter_text": _("“{field}”的值“{value}”无法识别，可能链接不完整。请重新选择。"),
            "not_found_title": _("找不到这条信息"),
            "not_found_text": _("这条信息可能已经过期或被撤下。请回到首页查看最新内容。"),
            "back_home": _("回到首页"),
            "hall": _("社区服务站"),
            "street_hall": _("街道社区服务中心"),
            "until": _("至"),
            "weekday_0": _("周一"),
            "weekday_1": _("周二"),
            "weekday_2": _("周三"),
            "weekday_3": _("周四"),
            "weekday_4": _("周五"),
            "weekday_5": _("周六"),
            "weekday_6": _("周日"),
            "date": _("{month_name}{day}日"),
            "date_year": _("{year}年{month_name}{day}日"),
            "day_with_weekday": _("{date}（{weekday}）"),
        }


@lru_cache(maxsize=8)
def month_name(month: int, locale: str) -> str:
    """The short name of a month (1-12) for dates written with one, as English ones are."""
    with translation.override(locale):
        return [
            pgettext("month", "1月"),
            pgettext("month", "2月"),
            pgettext("month", "3月"),
            pgettext("month", "4月"),
            pgettext("month", "5月"),
            pgettext("month", "6月"),
            pgettext("month", "7月"),
            pgettext("month", "8月"),
            pgettext("month", "9月"),
            pgettext("month", "10月"),
            pgettext("month", "11月"),
            pgettext("month", "12月"),
        ][month - 1]


def _label_choices() -> dict:
    from events.models import EventPage
    from notices.models import NoticePage
    from services.models import ServicePage

    return {
        "kind": ServicePage.Kind.choices,
        "fee_mode": ServicePage.FeeMode.choices,
        "delivery_mode": ServicePage.DeliveryMode.choices,
        "service_status": ServicePage.Status.choices,
        "urgency": NoticePage.Urgency.choices,
        "event_status": EventPage.Status.choices,
        "event_type": EventPage.EventType.choices,
    }


@lru_cache(maxsize=8)
def resident_labels(locale: str) -> dict[str, dict[str, str]]:
    """Labels of the API's enumerations by group and code, in `locale`."""
    with translation.override(locale):
        return {
            group: {code: str(label) for code, label in choices}
            for group, choices in _label_choices().items()
        }
