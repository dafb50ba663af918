"""Wiring only: page lifecycle signals keep the API's read model current."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from items.projection import items_project_group, items_project_page, items_project_subtree
from items.representation import item_type
from items.tasks import items_reproject_referencing


@receiver(page_published, dispatch_uid="api.project_published")
def on_published(sender, instance, **kwargs):
    items_project_page(page=instance, reason="published")


@receiver(page_unpublished, dispatch_uid="api.project_unpublished")
def on_unpublished(sender, instance, **kwargs):
    items_project_page(page=instance, reason="unpublished")


@receiver(post_page_move, dispatch_uid="api.project_moved")
def on_moved(sender, instance, **kwargs):
    items_project_subtree(page=instance, reason="moved")


@receiver(post_delete, sender=Page, dispatch_uid="api.project_deleted")
def on_deleted(sender, instance, **kwargs):
    # Django deletes the specific row first and Wagtail's base row last, so
    # only then is the page gone from every table.
    if item_type(instance):
        # A translation of the page may remain and take over its locales.
        items_project_group(translation_key=instance.translation_key, reason="deleted")


def _reproject_after_commit(sender, instance, **kwargs):
    # After commit: a service point's opening hours are saved after the point itself.
    meta = instance._meta
    transaction.on_commit(
        lambda: items_reproject_referencing.enqueue(meta.app_label, meta.model_name, instance.pk)
    )


for _model in (
    "home.Organisation",
    "home.ServicePoint",
    "home.ResidentCategory",
    "services.ServiceCategory",
):
    post_save.connect(
        _reproject_after_commit, sender=_model, dispatch_uid=f"api.reproject.{_model}"
    )
