"""The public REST API, version 1."""

from django.urls import path, re_path

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from api.http import api_get
from api.views.directory import (
    CommunityListView,
    OrganisationListView,
    ResidentCategoryListView,
    ServiceCategoryListView,
    ServicePointListView,
)
from api.views.events import EventDetailView, EventListView
from api.views.feed import FeedView
from api.views.kiosk import KioskHeartbeatView, KioskScreenView
from api.views.notices import NoticeDetailView, NoticeListView
from api.views.services import ServiceDetailView, ServiceListView

app_name = "api"

KEY = r"(?P<key>[^/]+)"

urlpatterns = [
    # The schema covers all of /api/v1/: these views, search and subscriptions.
    path("schema/", SpectacularAPIView.as_view(urlconf="config.api_urls"), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("services/", api_get(ServiceListView.as_view()), name="services"),
    re_path(rf"^services/{KEY}/$", api_get(ServiceDetailView.as_view()), name="service"),
    path("notices/", api_get(NoticeListView.as_view()), name="notices"),
    re_path(rf"^notices/{KEY}/$", api_get(NoticeDetailView.as_view()), name="notice"),
    path("events/", api_get(EventListView.as_view()), name="events"),
    re_path(rf"^events/{KEY}/$", api_get(EventDetailView.as_view()), name="event"),
    path("feed/", api_get(FeedView.as_view()), name="feed"),
    path("kiosk/screen/", api_get(KioskScreenView.as_view(), per_minute=True), name="kiosk-screen"),
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
