"""Admin registration of the service catalogue's categories, in the street office's records menu."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from home.wagtail_hooks import DIRECTORY_MENU_HOOK
from services.models import ServiceCategory


class ServiceCategoryViewSet(SnippetViewSet):
    model = ServiceCategory
    icon = "list-ul"
    list_display = ["__str__", "code", "sort_order"]
    list_filter = ["parent"]
    search_fields = ["name", "code"]
    menu_hook = DIRECTORY_MENU_HOOK
    menu_order = 2


register_snippet(ServiceCategoryViewSet)
