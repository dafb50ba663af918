"""Email in the reader's locale, plain text and HTML, with one-click unsubscribe (RFC 8058)."""

import contextlib
import re
import smtplib
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import DNS_NAME, EmailMultiAlternatives, get_connection
from django.core.validators import validate_email
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from subscriptions.channels import DeliveryError, Rejected
from subscriptions.channels.base import MESSAGE, Channel
from subscriptions.channels.registry import register
from subscriptions.messages import absolute
from subscriptions.texts import texts
from subscriptions.tokens import confirm_token, unsubscribe_token


def mailbox(address: str) -> str:
    """One mailbox however its address is written: `Li.Ming+news@Example.ORG` is li.ming@example.org.

    Case, a `+tag` and quotes around the local part all reach the same
    person at nearly every provider; the per-address sign-up limit and the
    one pending confirmation count them as one. Only for counting: mail goes
    to the address as written.
    """
    local, _at, domain = address.strip().rpartition("@")
    if len(local) >= 2 and local[0] == local[-1] == '"':
        local = re.sub(r"\\(.)", r"\1", local[1:-1])
    local = local.split("+", 1)[0]
    domain = domain.rstrip(".")
    with contextlib.suppress(UnicodeError):  # a name IDNA cannot spell is compared as written
        domain = domain.encode("idna").decode("ascii")
    return f"{local.casefold()}@{domain.casefold()}"


def unsubscribe_url(subscription) -> str:
    """The unsubscribe page in the subscriber's language (the one-click POST goes there too)."""
    token = unsubscribe_token(subscription, "email")
    with translation.override(subscription.locale):
        return absolute(reverse("subscriptions:unsubscribe", args=[token]))


def message_id(key: str) -> str:
    """A Message-ID that names the delivery, so a mail sent again is recognised as the same."""
    domain = urlsplit(settings.LINLI_PUBLIC_URL).hostname or str(DNS_NAME)
    return f"<linli-{key}@{domain}>"


def message_email(address, message, connection=None, *, key: str) -> EmailMultiAlternatives:
    """The message to one email `Address` row; `key` is the delivery's idempotency key."""
    words = texts(message.locale)
    context = {
        "message": message,
        "t": words,
        "on_behalf_lead": words["on_behalf_lead"].format(who=message.on_behalf),
        "unsubscribe_url": unsubscribe_url(address.subscription),
        "lang": message.locale,
    }
    text = render_to_string("subscriptions/email/message.txt", context)
    html = render_to_string("subscriptions/email/message.html", context)
    email = EmailMultiAlternatives(
        subject=context["on_behalf_lead"] + message.title if message.on_behalf else message.title,
        body=text,
        to=[address.address],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            "Content-Language": message.locale,
            "Message-ID": message_id(key),
        },
    )
    email.attach_alternative(html, "text/html")
    return email


class EmailSender:
    """One SMTP connection for a whole batch."""

    def __init__(self):
        self.connection = get_connection(fail_silently=False, timeout=settings.EMAIL_TIMEOUT)
        self._open = False

    def close(self):
        if self._open:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.connection.close()

    def send(self, address, message, *, key: str) -> None:
        try:
            if not self._open:
                self.connection.open()
                self._open = True
            message_email(address, message, self.connection, key=key).send()
        except smtplib.SMTPRecipientsRefused as exc:
            raise Rejected(f"address refused: {exc.recipients}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            self._open = False
            raise DeliveryError(f"mail server: {exc}") from exc


def confirmation_email_send(address) -> bool:
    """The double opt-in email, with its link, in the subscriber's locale."""
    subscription = address.subscription
    words = texts(subscription.locale)
    with translation.override(subscription.locale):  # the page in the subscriber's locale
        path = reverse("subscriptions:confirm", args=[confirm_token(address)])
    url = absolute(path)
    body = render_to_string("subscriptions/email/confirm.txt", {"t": words, "confirm_url": url})
    EmailMultiAlternatives(
        subject=words["confirm_subject"],
        body=body,
        to=[address.address],
        headers={"Auto-Submitted": "auto-generated", "Content-Language": subscription.locale},
    ).send()
    return True


class Email(Channel):
    """An email address: confirmed by a link (double opt-in), forgotten on unsubscribe."""

    code = "email"
    label = _("电子邮件")
    confirmation = MESSAGE
    forget_on_unsubscribe = True
    sender_class = EmailSender  # one SMTP connection per batch: servers drop idle ones
    off_reason = "email turned off"
    api_field = "email"
    # Read late by those the hub is for, and nothing says it arrived: last.
    fallback_rank = 50

    def clean(self, address: str, data: dict) -> tuple[str, dict]:
        address = address.strip()
        try:
            validate_email(address)
        except ValidationError as exc:
            raise ValidationError({"email": exc.messages}) from exc
        if len(address) > 254:
            raise ValidationError({"email": "too long"})
        return address, {}

    def same_address(self, old: str, new: str) -> bool:
        return old.lower() == new.lower()

    def mailbox(self, address: str) -> str:
        return mailbox(address)

    def confirmation_send(self, address) -> bool:
        return confirmation_email_send(address)

    def from_api(self, value) -> tuple[str, dict] | None:
        value = (value or "").strip()
        return (value, {}) if value else None

    def api_repr(self, address) -> dict:
        return {
            "email": address.address if address else None,
            "email_confirmed": bool(address and address.confirmed_at),
        }

    def api_export(self, address) -> dict:
        confirmed_at = address.confirmed_at if address else None
        return {
            **self.api_repr(address),
            "email_confirmed_at": confirmed_at.isoformat() if confirmed_at else None,
        }


register(Email())
