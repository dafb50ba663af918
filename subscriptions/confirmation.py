"""The double opt-in email."""

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from subscriptions.messages import absolute
from subscriptions.models import Subscription
from subscriptions.texts import texts
from subscriptions.tokens import confirm_token


def confirmation_email_send(subscription_id: int) -> bool:
    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is None or not subscription.email or subscription.email_confirmed_at:
        return False
    words = texts(subscription.locale)
    with translation.override(subscription.locale):  # the page in the subscriber's locale
        path = reverse("subscriptions:confirm", args=[confirm_token(subscription)])
    url = absolute(path)
    body = render_to_string("subscriptions/email/confirm.txt", {"t": words, "confirm_url": url})
    EmailMultiAlternatives(
        subject=words["confirm_subject"],
        body=body,
        to=[subscription.email],
        headers={"Auto-Submitted": "auto-generated", "Content-Language": subscription.locale},
    ).send()
    return True
