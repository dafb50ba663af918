"""Wiring only: page lifecycle signals create notifications."""

from django.dispatch import receiver

from wagtail.signals import page_published, page_unpublished

from subscriptions.notifications import notification_for_publish, notification_for_withdrawal


@receiver(page_published, dispatch_uid="subscriptions.notify_published")
def on_published(sender, instance, revision=None, **kwargs):
    notification_for_publish(instance, revision)


@receiver(page_unpublished, dispatch_uid="subscriptions.notify_unpublished")
def on_unpublished(sender, instance, **kwargs):
    notification_for_withdrawal(instance)
