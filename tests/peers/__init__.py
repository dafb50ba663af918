"""Real protocol peers on loopback for tests: SMTP, Web Push, webhooks, Aliyun and Tencent
SMS/voice, the WeChat official-account API, and an inbox standing in for callback URLs."""

from .aliyun import AliyunPeer
from .inbox import InboxPeer, InboxRequest
from .sink import FastSink
from .smtp import SmtpMessage, SmtpPeer
from .tencent import TencentPeer
from .webhook import WebhookMessage, WebhookPeer
from .webpush import PushMessage, PushPeer
from .wechat import WeChatPeer

__all__ = [
    "AliyunPeer",
    "FastSink",
    "InboxPeer",
    "InboxRequest",
    "PushMessage",
    "PushPeer",
    "SmtpMessage",
    "SmtpPeer",
    "TencentPeer",
    "WeChatPeer",
    "WebhookMessage",
    "WebhookPeer",
]
