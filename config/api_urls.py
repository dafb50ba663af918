"""The public API, version 1, as one URL map: mounted at /api/v1/ and documented as a whole."""

from django.urls import include, path

urlpatterns = [
    path("subscriptions/", include("api.subscription_urls")),
    path("", include("api.urls")),
]
