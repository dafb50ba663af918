"""Voice calls for urgent notices: a text-to-speech call with the title and a one-line summary.

Only for residents who ask for it ("紧急通知打电话给我", the API's
`voice_phone`) and only for urgent notices: planning never makes a voice
delivery for anything else (`urgent_only`), and a resident who was called
about an urgent notice is called again if it is withdrawn (a correction).
The number is confirmed by the SMS channel's 6-digit code
(`subscriptions.phone`): one code confirms a number for both channels when a
subscription chose both, and a number the subscription already confirmed for
one channel needs no code for the other.

Like SMS, a provider plays only text-to-speech templates it approved, so a
call is a template from `TEMPLATES` and its parameters, played
`LINLI_VOICE_PLAY_TIMES` times (2: the text, then once again). The wording to
register is in docs/push.md (`manage.py voice_templates` prints it with this
hub's name); it is fixed Chinese wording, not gettext messages. Nothing in it
names the resident's category: a call may be answered by anyone in the home.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from subscriptions.channels import Rejected
from subscriptions.channels.base import MESSAGE, Channel, Unavailable, delivery_key
from subscriptions.channels.clouds import ApprovedTemplate
from subscriptions.channels.registry import register
from subscriptions.channels.sms import PARAM_MAX_CHARS, phone_e164
from subscriptions.channels.voice_providers import Call, provider_new
from subscriptions.errors import message as error_message
from subscriptions.models import Notification
from subscriptions.texts import texts

# What is said when a page has no summary: the template needs every variable.
NO_SUMMARY = "详情请查看社区通知"
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")
_TRIM = " \t\r\n，,、：:。.；;"


@dataclass(frozen=True)
class Template(ApprovedTemplate):
    """An approved text-to-speech template; {sign} is the organisation's name, fixed in it."""

    def fixed(self) -> dict[str, str]:
        return {"sign": settings.LINLI_SMS_SIGN_NAME}


TEMPLATES = {
    template.name: template
    for template in (
        Template("urgent", "这里是{sign}。紧急通知：{title}。{summary}。"),
        Template("correction", "这里是{sign}。通知更正：{title}。{summary}。"),
    )
}


def _cut(text: str, room: int = PARAM_MAX_CHARS) -> str:
    """At most `room` characters, without the punctuation a sentence of the template adds."""
    return " ".join(text.split())[:room].strip(_TRIM)


def one_line(summary: str) -> str:
    """The first sentence of a summary, cut to one template variable."""
    first = _SENTENCE_END.split(summary.strip(), maxsplit=1)[0]
    return _cut(first) or NO_SUMMARY


def notification_call(to: str, message, key: str) -> Call:
    """The call about one urgent message: the title, a line of summary, played twice."""
    notification = message.notification
    item = message.item or {}
    title = _cut(item.get("title") or (notification.title if notification else "") or "")
    if message.kind == "correction":
        words = texts(message.locale)
        reason = notification.reason if notification else ""
        params = {"title": title, "summary": words.get(f"correction_{reason}", NO_SUMMARY)}
        template = TEMPLATES["correction"]
    else:
        params = {"title": title, "summary": one_line(item.get("summary") or "")}
        template = TEMPLATES["urgent"]
    if not params["title"]:
        raise Rejected("nothing to say: the page has no title")
    return Call(
        to=to,
        template=template.name,
        params=params,
        text=template.render(**params),
        play_times=settings.LINLI_VOICE_PLAY_TIMES,
        key=key,
        url=message.url,
    )


class VoiceSender:
    """A provider's client for one batch (made after the worker forked, as both SDKs need)."""

    def __init__(self):
        self.provider = provider_new()

    def close(self):
        self.provider.close()

    def send(self, address, message, key: str) -> str:
        """Call one `Address` row; returns the provider's id for the call."""
        return self.provider.call(notification_call(address.address, message, key))


class VoiceChannel(Channel):
    """A mainland mobile number called for urgent notices, confirmed by the SMS code."""

    code = "voice"
    label = _("紧急电话")
    confirmation = MESSAGE
    # The code is the SMS channel's: short-lived and limited per number (subscriptions.phone).
    one_pending_confirmation = False
    forget_on_unsubscribe = True
    urgent_only = True
    encrypt_address = True  # a phone number identifies a person
    # A resident who ticked 紧急通知打电话给我 is called about every urgent notice, beside
    # their first channel, not only when it failed; answered is a receipt.
    beside_fallback = True
    fallback_rank = 30
    receipts = True
    sender_class = VoiceSender
    off_reason = "voice calls turned off"
    api_field = "voice_phone"

    def clean(self, address: str, data: dict) -> tuple[str, dict]:
        number = phone_e164(address)
        if number is None:
            raise ValidationError({"voice_phone": error_message("phone_invalid")})
        return number, dict(data)

    def confirmation_send(self, address) -> bool:
        from subscriptions.phone import phone_code_send

        return phone_code_send(address)

    def from_api(self, value) -> tuple[str, dict] | None:
        value = (value or "").strip()
        return (value, {}) if value else None

    def recipient(self, delivery):
        notification = delivery.notification
        # Corrections reach only those told before: here, those called about an urgent notice.
        if not notification.urgent and notification.kind != Notification.Kind.CORRECTION:
            # Planning makes no such row; one made otherwise is not called either.
            raise Unavailable("voice calls carry urgent notices only")
        return super().recipient(delivery)

    def send(self, sender, recipient, message, delivery) -> None:
        from subscriptions.receipts import receipt_accepted

        call_id = sender.send(recipient, message, key=delivery_key(delivery))
        receipt_accepted(
            delivery_id=delivery.pk, provider=sender.provider.name, provider_id=call_id
        )

    def api_repr(self, address) -> dict:
        return {
            "voice_phone": address.address if address else None,
            "voice_phone_confirmed": bool(address and address.confirmed_at),
        }

    def api_export(self, address) -> dict:
        confirmed_at = address.confirmed_at if address else None
        return {
            **self.api_repr(address),
            "voice_phone_confirmed_at": confirmed_at.isoformat() if confirmed_at else None,
        }


register(VoiceChannel())
