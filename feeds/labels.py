"""Words the feeds add around the content, read in each feed's locale with `label`.

gettext messages (lazy, read when a feed is rendered); the traditional and
English wording is in `locale/*/LC_MESSAGES/django.po`.
"""

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, pgettext_lazy

FEED_TITLES = {
    "services": gettext_lazy("服务事项"),
    "notices": gettext_lazy("政策通知"),
    "events": gettext_lazy("文化活动"),
    "all": gettext_lazy("全部信息"),
}

# Put before an event's title and its reason when it is not going ahead as planned.
STATUS_PREFIX = {
    "cancelled": pgettext_lazy("feed title prefix", "【已取消】"),
    "postponed": pgettext_lazy("feed title prefix", "【延期】"),
}

LIST_SEPARATOR = pgettext_lazy("list separator", "，")


def label(word: Promise, locale: str) -> str:
    """`word` in `locale`."""
    with translation.override(locale):
        return str(word)
