"""The public REST API, version 1."""

from django.urls import path, re_path

from drf_spectacular.views import SpectacularSwaggerSplitView

from api.http import api_get, search_get
from api.views.directory import (
    CommunityListView,
    OrganisationListView,
    ResidentCategoryListView,
    ServiceCategoryListView,
    ServicePointListView,
)
from api.views.feed import FeedView
from api.views.feedback import CorrectionCreateView, RatingCreateView
from api.views.items import item_views
from api.views.kiosk import KioskHeartbeatView, KioskScreenView, kiosk_scope
from api.views.schema import SchemaView
from api.views.search import SearchView, SuggestView
from core.content_types import content_types

app_name = "api"

KEY = r"(?P<key>[^/]+)"


def _item_routes() -> list:
    """`<plural>/` and `<plural>/<id or slug>/` for every registered content type."""
    routes = []
    for content_type in content_types():
        list_view, detail_view = item_views(content_type)
        plural = content_type.plural
        routes += [
            path(f"{plural}/", api_get(list_view.as_view()), name=plural),
            re_path(rf"^{plural}/{KEY}/$", api_get(detail_view.as_view()), name=content_type.code),
        ]
    return routes


urlpatterns = [
    # The schema covers all of /api/v1/: these views and subscriptions.
    path("schema/", SchemaView.as_view(urlconf="config.api_urls"), name="schema"),
    # A page to read, nothing else: DRF's OPTIONS answer has no template to render with.
    # The split view serves its start-up script as a file (?script): no inline script under the CSP.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", http_method_names=["get", "head"]
        ),
        name="docs",
    ),
    # Before the items: `services/<key>/` is a service's item.
    re_path(rf"^services/{KEY}/ratings/$", RatingCreateView.as_view(), name="service-ratings"),
    re_path(
        rf"^services/{KEY}/corrections/$",
        CorrectionCreateView.as_view(),
        name="service-corrections",
    ),
    *_item_routes(),
    path("feed/", api_get(FeedView.as_view()), name="feed"),
    path("search/", search_get(SearchView.as_view()), name="search"),
    path("search/suggest/", search_get(SuggestView.as_view()), name="search-suggest"),
    path(
        "kiosk/screen/",
        api_get(KioskScreenView.as_view(), per_minute=True, authenticate=kiosk_scope),
        name="kiosk-screen",
    ),
    path("kiosk/heartbeat/", api_get(KioskHeartbeatView.as_view()), name="kiosk-heartbeat"),
    path(
        "resident-categories/",
        api_get(ResidentCategoryListView.as_view(), cached=False),
        name="resident-categories",
    ),
    path(
        "service-categories/",
        api_get(ServiceCategoryListView.as_view(), cached=False),
        name="service-categories",
    ),
    path("communities/", api_get(CommunityListView.as_view(), cached=False), name="communities"),
    path(
        "organisations/",
        api_get(OrganisationListView.as_view(), cached=False),
        name="organisations",
    ),
    path(
        "service-points/",
        api_get(ServicePointListView.as_view(), cached=False),
        name="service-points",
    ),
]
