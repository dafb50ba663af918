"""Wiring only: each receiver calls one operation."""

from search.operations import search_dictionary_check


def on_post_migrate(sender, using, **kwargs):
    search_dictionary_check(using=using)
