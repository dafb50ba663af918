"""Wiring only: a page's files are public the moment the page is."""

from django.dispatch import receiver

from wagtail.signals import page_published

from library.operations import page_references_record


@receiver(page_published, dispatch_uid="library.references_on_publish")
def on_published(sender, instance, **kwargs):
    page_references_record(page=instance)
