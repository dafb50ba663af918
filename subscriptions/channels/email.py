"""Email in the reader's locale, plain text and HTML, with one-click unsubscribe (RFC 8058)."""

import contextlib
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from subscriptions.channels import DeliveryError, Rejected
from subscriptions.messages import absolute
from subscriptions.texts import texts
from subscriptions.tokens import unsubscribe_token


def unsubscribe_url(subscription) -> str:
    """The unsubscribe page in the subscriber's language (the one-click POST goes there too)."""
    token = unsubscribe_token(subscription, "email")
    with translation.override(subscription.locale):
        return absolute(reverse("subscriptions:unsubscribe", args=[token]))


def message_email(subscription, message, connection=None) -> EmailMultiAlternatives:
    context = {
        "message": message,
        "t": texts(message.locale),
        "unsubscribe_url": unsubscribe_url(subscription),
        "lang": message.locale,
    }
    text = render_to_string("subscriptions/email/message.txt", context)
    html = render_to_string("subscriptions/email/message.html", context)
    email = EmailMultiAlternatives(
        subject=message.title,
        body=text,
        to=[subscription.email],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            "Content-Language": message.locale,
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

    def send(self, subscription, message) -> None:
        try:
            if not self._open:
                self.connection.open()
                self._open = True
            message_email(subscription, message, self.connection).send()
        except smtplib.SMTPRecipientsRefused as exc:
            raise Rejected(f"address refused: {exc.recipients}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            self._open = False
            raise DeliveryError(f"mail server: {exc}") from exc
