"""The synonym groups in the admin's snippets."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from search.models import SynonymGroup


class SynonymGroupViewSet(SnippetViewSet):
    model = SynonymGroup
    icon = "search"
    menu_label = "搜索同义词"
    list_display = ["words", "note"]
    search_fields = ["words", "note"]


register_snippet(SynonymGroupViewSet)
