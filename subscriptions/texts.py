"""Words residents read in messages and on the subscribe pages, in the three reading locales.

Kept as data rather than gettext catalogs: the set is small, editors of the
wording can read it in one place, and nothing needs compiling.
"""

TEXTS: dict[str, dict[str, str]] = {
    "zh-hans": {
        "site": "邻里 · 社区服务信息",
        "type_notice": "通知",
        "type_service": "服务",
        "type_event": "活动",
        "urgent": "紧急",
        "correction_cancelled": "活动已取消",
        "correction_postponed": "活动已延期",
        "correction_withdrawn": "通知已撤回",
        "correction_body": "您之前收到的这条消息已不再有效，请以最新信息为准。",
        "digest_daily": "今日社区信息摘要",
        "digest_weekly": "本周社区信息摘要",
        "digest_intro": "以下是您订阅的最新社区信息：",
        "more": "查看详情",
        "confirm_subject": "请确认您的社区信息订阅",
        "confirm_body": "您好！有人用这个邮箱订阅了邻里社区服务信息。如果是您本人，请在 7 天内打开下面的链接确认；如果不是，请忽略本邮件，我们不会再给您发信。",
        "confirm_button": "确认订阅",
        "footer": "您收到这封邮件，是因为订阅了邻里社区服务信息。",
        "unsubscribe": "退订",
        "manage": "管理订阅",
    },
    "zh-hant": {
        "site": "鄰里 · 社區服務資訊",
        "type_notice": "通知",
        "type_service": "服務",
        "type_event": "活動",
        "urgent": "緊急",
        "correction_cancelled": "活動已取消",
        "correction_postponed": "活動已延期",
        "correction_withdrawn": "通知已撤回",
        "correction_body": "您之前收到的這條消息已不再有效，請以最新資訊為準。",
        "digest_daily": "今日社區資訊摘要",
        "digest_weekly": "本週社區資訊摘要",
        "digest_intro": "以下是您訂閱的最新社區資訊：",
        "more": "查看詳情",
        "confirm_subject": "請確認您的社區資訊訂閱",
        "confirm_body": "您好！有人用這個郵箱訂閱了鄰里社區服務資訊。如果是您本人，請在 7 天內打開下面的連結確認；如果不是，請忽略本郵件，我們不會再給您發信。",
        "confirm_button": "確認訂閱",
        "footer": "您收到這封郵件，是因為訂閱了鄰里社區服務資訊。",
        "unsubscribe": "退訂",
        "manage": "管理訂閱",
    },
    "en": {
        "site": "Linli community information",
        "type_notice": "Notice",
        "type_service": "Service",
        "type_event": "Event",
        "urgent": "Urgent",
        "correction_cancelled": "Event cancelled",
        "correction_postponed": "Event postponed",
        "correction_withdrawn": "Notice withdrawn",
        "correction_body": "A message you received earlier is no longer valid; please rely on the latest information.",
        "digest_daily": "Today's community news",
        "digest_weekly": "This week's community news",
        "digest_intro": "The latest news you subscribed to:",
        "more": "Read more",
        "confirm_subject": "Please confirm your community news subscription",
        "confirm_body": "Someone used this address to subscribe to Linli community news. If it was you, open the link below within 7 days to confirm. If not, ignore this message and we will not write again.",
        "confirm_button": "Confirm subscription",
        "footer": "You receive this because you subscribed to Linli community news.",
        "unsubscribe": "Unsubscribe",
        "manage": "Manage subscription",
    },
}


def texts(locale: str) -> dict[str, str]:
    return TEXTS.get(locale) or TEXTS["zh-hans"]
