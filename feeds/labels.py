"""Words the feeds add around the content, in each reading locale.

Kept here rather than in gettext catalogues: the project ships no message
catalogues yet, and a feed reader in English should not see Chinese chrome.
"""

DEFAULT = "zh-hans"

FEED_TITLES = {
    "services": {"zh-hans": "服务事项", "zh-hant": "服務事項", "en": "Services"},
    "notices": {"zh-hans": "政策通知", "zh-hant": "政策通知", "en": "Policy notices"},
    "events": {"zh-hans": "文化活动", "zh-hant": "文化活動", "en": "Events"},
    "all": {"zh-hans": "全部信息", "zh-hant": "全部資訊", "en": "Everything"},
}

# Put before an event's title and its reason when it is not going ahead as planned.
STATUS_PREFIX = {
    "cancelled": {"zh-hans": "【已取消】", "zh-hant": "【已取消】", "en": "[Cancelled] "},
    "postponed": {"zh-hans": "【延期】", "zh-hant": "【延期】", "en": "[Postponed] "},
}

LIST_SEPARATOR = {"zh-hans": "，", "zh-hant": "，", "en": ", "}


def label(table: dict[str, str], locale: str) -> str:
    """The entry of `table` for `locale`, else the default locale's."""
    return table.get(locale, table[DEFAULT])
