"""What WeChat pushes to the account's server URL: signed XML events (plaintext mode).

The query carries `signature` = sha1 of the sorted token, timestamp and nonce, with
`timestamp`, `nonce` and `openid`; the body is the event XML. The server must answer
HTTP 200 with an empty body or "success" within 5 seconds, or WeChat retries (3 times).
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from dataclasses import dataclass
from urllib.parse import urlencode

import requests

from .._sms import PeerClock
from .templates import TemplateMessage

#: TEMPLATESENDJOBFINISH statuses.
SEND_STATUSES = ("success", "failed:user block", "failed: system failed")


@dataclass(frozen=True)
class EventAnswer:
    """How the account's server answered a pushed event."""

    status: int
    body: bytes
    accepted: bool


def _cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def wechat_signature(token: str, timestamp: str, nonce: str) -> str:
    """sha1 of the sorted token, timestamp and nonce, as WeChat signs its pushes."""
    return hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()  # noqa: S324 - WeChat's scheme


class WeChatEvents:
    """Event pushes for WeChatPeer (which provides the state)."""

    _lock: threading.Lock
    _followers: dict[str, bool]
    token: str
    original_id: str
    clock: PeerClock

    def _xml(self, openid: str, fields: dict[str, str | int]) -> str:
        body = "".join(
            f"<{name}>{value}</{name}>"
            if isinstance(value, int)
            else f"<{name}>{_cdata(value)}</{name}>"
            for name, value in fields.items()
        )
        return (
            f"<xml><ToUserName>{_cdata(self.original_id)}</ToUserName>"
            f"<FromUserName>{_cdata(openid)}</FromUserName>"
            f"<CreateTime>{int(self.clock.now())}</CreateTime>{body}</xml>"
        )

    def template_finish_event(self, message: TemplateMessage, status: str = "success") -> str:
        """The TEMPLATESENDJOBFINISH event XML for `message`."""
        if status not in SEND_STATUSES:
            raise ValueError(f"status must be one of {SEND_STATUSES}")
        return self._xml(
            message.touser,
            {
                "MsgType": "event",
                "Event": "TEMPLATESENDJOBFINISH",
                "MsgID": message.msgid,
                "Status": status,
            },
        )

    def unsubscribe_event(self, openid: str) -> str:
        """The `unsubscribe` event XML; the follower stops receiving template messages."""
        with self._lock:
            self._followers[openid] = False
        return self._xml(openid, {"MsgType": "event", "Event": "unsubscribe", "EventKey": ""})

    def subscribe_event(self, openid: str) -> str:
        """The `subscribe` event XML; the follower receives template messages again."""
        with self._lock:
            self._followers[openid] = True
        return self._xml(openid, {"MsgType": "event", "Event": "subscribe", "EventKey": ""})

    def signed_query(self, openid: str | None = None) -> dict[str, str]:
        """The query WeChat adds to the server URL: signature, timestamp, nonce (, openid)."""
        timestamp = str(int(self.clock.now()))
        nonce = str(secrets.randbelow(10**10))
        query = {
            "signature": wechat_signature(self.token, timestamp, nonce),
            "timestamp": timestamp,
            "nonce": nonce,
        }
        if openid is not None:
            query["openid"] = openid
        return query

    def post_event(self, url: str, xml: str, openid: str | None = None) -> EventAnswer:
        """POST a signed event to the account's server URL."""
        separator = "&" if "?" in url else "?"
        response = requests.post(
            f"{url}{separator}{urlencode(self.signed_query(openid))}",
            data=xml.encode("utf-8"),
            headers={"Content-Type": "text/xml"},
            timeout=5,
        )
        accepted = response.status_code == 200 and response.text.strip() in ("", "success")
        return EventAnswer(response.status_code, response.content, accepted)

    def post_template_finish(
        self, url: str, message: TemplateMessage, status: str = "success"
    ) -> EventAnswer:
        """Push TEMPLATESENDJOBFINISH for `message`."""
        return self.post_event(url, self.template_finish_event(message, status), message.touser)

    def post_unsubscribe(self, url: str, openid: str) -> EventAnswer:
        """Push `unsubscribe` for `openid` (who stops receiving template messages)."""
        return self.post_event(url, self.unsubscribe_event(openid), openid)

    def verify_server(self, url: str) -> bool:
        """WeChat's server-URL check: GET with `echostr`; the server must echo it back."""
        echostr = str(secrets.randbelow(10**18))
        query = urlencode({**self.signed_query(), "echostr": echostr})
        separator = "&" if "?" in url else "?"
        response = requests.get(f"{url}{separator}{query}", timeout=5)
        return response.status_code == 200 and response.text == echostr
