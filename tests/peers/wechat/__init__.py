"""WeChat's official-account API on loopback for wechatpy: see `peer.WeChatPeer`."""

from .events import SEND_STATUSES, EventAnswer, wechat_signature
from .peer import WeChatError, WeChatPeer
from .templates import KEYWORD_RULES, TemplateMessage, WeChatTemplate

__all__ = [
    "KEYWORD_RULES",
    "SEND_STATUSES",
    "EventAnswer",
    "TemplateMessage",
    "WeChatError",
    "WeChatPeer",
    "WeChatTemplate",
    "wechat_signature",
]
