"""Wiring only: each receiver calls one operation."""

from django.dispatch import receiver

from wagtail.signals import post_page_move

from home.operations import placement_refresh_subtree


@receiver(post_page_move, dispatch_uid="home.placement_after_move")
def on_page_moved(sender, instance, **kwargs):
    placement_refresh_subtree(page=instance)
