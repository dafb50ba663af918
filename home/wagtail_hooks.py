"""Admin registration of the street office's shared records."""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.models import Locale
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from home.models import (
    CommunityHomePage,
    Organisation,
    ResidentCategory,
    ServicePoint,
    StreetHomePage,
)
from home.operations import community_provision, street_provision

DIRECTORY_MENU_HOOK = "register_street_directory_menu_item"


class ResidentCategoryViewSet(SnippetViewSet):
    model = ResidentCategory
    icon = "group"
    list_display = ["name", "code", "is_sensitive", "sort_order"]
    ordering = ["sort_order", "code"]


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "site"
    list_display = ["name", "kind", "phone", "vetting_status", "vetted_on"]
    list_filter = ["kind", "vetting_status"]
    search_fields = ["name", "contact_person", "phone"]


class ServicePointViewSet(SnippetViewSet):
    model = ServicePoint
    icon = "pick"
    list_display = ["name", "address", "phone", "community"]
    search_fields = ["name", "address"]


class DirectoryGroup(SnippetViewSetGroup):
    menu_label = _("街道资料")
    menu_icon = "folder-open-inverse"
    menu_order = 250
    items = [ResidentCategoryViewSet, OrganisationViewSet, ServicePointViewSet]
    # Apps above home add their own shared records to this menu (services: its
    # categories, with menu_order 2) through this hook, so home never imports them.
    submenu_hook = DIRECTORY_MENU_HOOK

    def get_submenu_items(self):
        # Orders 1, 3, 4: room for the service categories at 2.
        return [
            registerable.get_menu_item(order=order)
            for order, registerable in zip((1, 3, 4), self.registerables, strict=True)
        ]


register_snippet(DirectoryGroup)


@hooks.register("after_create_page")
def provision_new_street_or_community(request, page):
    # A street or community created in the admin gets its lists and groups at
    # once, so nobody has to know which pages and permissions it needs.
    # Translations are copies of an existing tree and need nothing.
    if page.locale_id != Locale.get_default().pk:
        return
    if isinstance(page, StreetHomePage):
        street_provision(street=page)
    elif isinstance(page, CommunityHomePage):
        community_provision(community=page)
