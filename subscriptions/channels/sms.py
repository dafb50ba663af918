"""Text messages to mainland mobiles: approved templates, one billed message, a short link.

A provider sends only templates it approved, under the organisation's
signature (签名), so the hub never writes free text: each message is a
template from `TEMPLATES` with its parameters. 70 characters, the
【signature】 included, bill as one message (longer ones as parts of 67):
the title is cut to what is left once the signature, the template's words
and the short link (`/s/<code>`, served by the hub) are counted. The wording
to register with the provider is in docs/push.md (`manage.py sms_templates`
prints it with this hub's signature and link base). The templates are fixed
Chinese wording, not gettext messages: the provider approved that text and
no other.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

import phonenumbers

from subscriptions.channels import DeliveryError, Rejected
from subscriptions.channels.base import MESSAGE, Channel, delivery_key
from subscriptions.channels.clouds import ApprovedTemplate
from subscriptions.channels.registry import register
from subscriptions.channels.sms_providers import Sms, provider_new
from subscriptions.errors import message as error_message

# One billed message: 70 characters, the 【signature】 included.
SINGLE_SMS_CHARS = 70
# Aliyun's limit for one template variable; the title never needs more.
PARAM_MAX_CHARS = 35
ELLIPSIS = "…"


@dataclass(frozen=True)
class Template(ApprovedTemplate):
    """An approved text template; {link} is the configured short-link base, fixed in it."""

    kind: str  # notify (通知) or verify (验证码)

    def fixed(self) -> dict[str, str]:
        return {"link": settings.LINLI_SMS_LINK_BASE}


TEMPLATES = {
    template.name: template
    for template in (
        Template("notice", "社区信息：{title}，详见 {link}{code}", "notify"),
        Template("urgent", "紧急通知：{title}，详见 {link}{code}", "notify"),
        # 为家人订阅: the carer reads whom the message is for ({who}: 母亲, 邻居…).
        Template("carer_notice", "您为{who}订阅的社区信息：{title}，详见 {link}{code}", "notify"),
        Template("carer_urgent", "您为{who}订阅的紧急通知：{title}，详见 {link}{code}", "notify"),
        # To a relay (网格员, 楼栋长): the link opens the notice with the 已转告 button.
        Template("relay", "请转告紧急通知：{title}，转告后点 {link}{code}", "notify"),
        Template(
            "code", "验证码{code}，10分钟内有效，用于订阅社区信息。如非本人操作请忽略。", "verify"
        ),
    )
}


def signed(text: str) -> str:
    """What the phone shows: the provider puts the signature in front."""
    return f"【{settings.LINLI_SMS_SIGN_NAME}】{text}"


def phone_e164(value: str) -> str | None:
    """A mainland mobile number in E.164 (+86…), from any way of writing it; else None."""
    try:
        number = phonenumbers.parse(str(value).strip(), "CN")
    except phonenumbers.NumberParseException:
        return None
    mobile = phonenumbers.number_type(number) in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )
    if number.country_code != 86 or not mobile or not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def number_scrubbed(text: str, number: str) -> str:
    """A provider's error text without the number it may quote (kept and logged as it is)."""
    for form in (number, number.removeprefix("+86"), number.removeprefix("+")):
        text = text.replace(form, "<number>")
    return text


def template_name(message) -> str:
    """Which template a message goes on: to a relay, a carer, or the resident."""
    urgent = bool(message.urgent) and message.kind == "published"
    if message.relay:
        return "relay"
    if message.on_behalf:
        return "carer_urgent" if urgent else "carer_notice"
    return "urgent" if urgent else "notice"


def call_key(notification, template: str) -> str:
    """The key of a call carrying many numbers (Aliyun's OutId, Tencent's SessionContext).

    A provider takes one key per call, so messages going together share it: the
    same for every call of one notification on one template, so a call repeated
    after a crash, however its numbers were grouped, carries the key the first
    did, and the key with the number names the message.
    """
    stamp = f"{notification.pk}:{notification.created_at.isoformat()}:{template}".encode()
    return f"n{notification.pk}-{template}-{hashlib.sha256(stamp).hexdigest()[:16]}"


def notification_sms(to: str, message, link_code: str, key: str = "") -> Sms:
    """The text about one message, cut to one billed SMS with its short link."""
    template = TEMPLATES[template_name(message)]
    # The urgent template says 紧急 itself; the message's own 【紧急】 prefix would not fit.
    title = message.item["title"] if message.kind == "published" and message.item else message.title
    given = {"who": message.on_behalf, "code": link_code}
    room = SINGLE_SMS_CHARS - len(signed(template.render(title="", **given)))
    room = min(room, PARAM_MAX_CHARS)
    if room < 4:
        raise Rejected("the signature and the link leave no room for a title")
    if len(title) > room:
        title = title[: room - len(ELLIPSIS)] + ELLIPSIS
    given["title"] = title
    # In the template's order: Tencent numbers its variables.
    params = {name: given[name] for name in template.variables()}
    text = signed(template.render(**params))
    return Sms(to=to, template=template.name, params=params, text=text, url=message.url, key=key)


def code_sms(to: str, code: str) -> Sms:
    """The verification code's text."""
    template = TEMPLATES["code"]
    return Sms(
        to=to, template="code", params={"code": code}, text=signed(template.render(code=code))
    )


class SmsSender:
    """A provider's client for one batch (made after the worker forked, as both SDKs need)."""

    def __init__(self):
        self.provider = provider_new()
        self._links: dict[str, str] = {}

    def close(self):
        self.provider.close()

    def link_code(self, url: str) -> str:
        from subscriptions.shortlinks import short_link_code

        if url not in self._links:
            self._links[url] = short_link_code(url)
        return self._links[url]

    def sms(self, address, message, key: str = "") -> Sms:
        return notification_sms(address.address, message, self.link_code(message.url), key)

    def send(self, address, message, key: str = "") -> str:
        """Send to one `Address` row; returns the provider's id for the message."""
        return self.provider.send(self.sms(address, message, key))

    def send_many(self, items: list[tuple]) -> list[str | Exception]:
        """Send to many (address, message, key); per item the provider's id, or what refused it."""
        results: list[str | Exception | None] = [None] * len(items)
        ready: list[tuple[int, Sms]] = []
        for n, (address, message, key) in enumerate(items):
            try:
                ready.append((n, self.sms(address, message, key)))
            except DeliveryError as exc:  # this message cannot go (its text): the rest can
                results[n] = exc
        sent = self.provider.send_batch([sms for _, sms in ready]) if ready else []
        for (n, _sms), result in zip(ready, sent, strict=True):
            results[n] = result
        return results


class SmsChannel(Channel):
    """A mainland mobile number (E.164): confirmed by a 6-digit code, forgotten on unsubscribe."""

    code = "sms"
    # Codes live 10 minutes and are limited per number (subscriptions.phone): each sign-up gets one.
    one_pending_confirmation = False
    label = _("短信")
    confirmation = MESSAGE
    forget_on_unsubscribe = True
    sender_class = SmsSender
    off_reason = "sms turned off"
    api_field = "phone"
    encrypt_address = True
    # Read on any phone, and the carrier says whether it arrived: tried first.
    fallback_rank = 10
    receipts = True

    def clean(self, address: str, data: dict) -> tuple[str, dict]:
        number = phone_e164(address)
        if number is None:
            raise ValidationError({"phone": error_message("phone_invalid")})
        return number, dict(data)

    def confirmation_send(self, address) -> bool:
        from subscriptions.phone import phone_code_send

        return phone_code_send(address)

    def from_api(self, value) -> tuple[str, dict] | None:
        value = (value or "").strip()
        return (value, {}) if value else None

    def send(self, sender, recipient, message, delivery) -> None:
        try:
            provider_id = sender.send(recipient, message, key=delivery_key(delivery))
        except DeliveryError as exc:
            # The error is kept on the delivery and logged: never with the number in it.
            exc.args = (number_scrubbed(str(exc), recipient.address),)
            raise
        self._accepted(sender, [(delivery.pk, provider_id)])

    def batch_size(self, sender) -> int:
        return max(1, min(sender.provider.batch_size, settings.LINLI_SMS_BATCH))

    def batch_key(self, recipient, message, delivery):
        # One notification's messages on one template (a relay's, a carer's, a resident's);
        # Tencent further needs the same parameters, and sorts them itself.
        return delivery.notification_id, template_name(message)

    def send_batch(self, sender, items: list[tuple]) -> list[Exception | None]:
        key = call_key(items[0][2].notification, template_name(items[0][1]))
        results = sender.send_many([(recipient, message, key) for recipient, message, _ in items])
        numbers = {recipient.address for recipient, _, _ in items}
        scrubbed: set[int] = set()
        for result in results:
            # One refusal may stand for the whole call: never keep any of its numbers.
            if isinstance(result, Exception) and id(result) not in scrubbed:
                scrubbed.add(id(result))
                text = str(result)
                for number in numbers:
                    text = number_scrubbed(text, number)
                result.args = (text,)
        self._accepted(
            sender,
            [
                (delivery.pk, result)
                for (_, _, delivery), result in zip(items, results, strict=True)
                if isinstance(result, str)
            ],
        )
        return [None if isinstance(result, str) else result for result in results]

    def _accepted(self, sender, accepted: list[tuple[int, str]]) -> None:
        """Keep each delivery's receipt; the outbox reports them delivered at once."""
        from subscriptions.receipts import Report, receipts_accepted, receipts_report

        provider = sender.provider.name
        receipts_accepted(provider=provider, accepted=accepted)
        if accepted and sender.provider.reports_at_once:
            reports = [
                Report(provider_id=provider_id, phone="", delivered=True, code="OUTBOX")
                for provider_id in dict.fromkeys(provider_id for _, provider_id in accepted)
            ]
            receipts_report(channel=self.code, provider=provider, reports=reports)

    def reminder_send(self, address, message, *, key: str) -> None:
        sender = self.new_sender()
        try:
            sender.send(address, message, key=key)  # the notice template: a title and a short link
        except DeliveryError as exc:
            exc.args = (number_scrubbed(str(exc), address.address),)
            raise
        finally:
            sender.close()

    def inbound(self, address: str, text: str) -> int:
        from subscriptions.sms_inbound import sms_inbound

        return sms_inbound(phone=address, text=text)

    def api_repr(self, address) -> dict:
        return {
            "phone": address.address if address else None,
            "phone_confirmed": bool(address and address.confirmed_at),
        }

    def api_export(self, address) -> dict:
        confirmed_at = address.confirmed_at if address else None
        return {
            **self.api_repr(address),
            "phone_confirmed_at": confirmed_at.isoformat() if confirmed_at else None,
        }


register(SmsChannel())
