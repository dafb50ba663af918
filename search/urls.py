"""Search endpoints, mounted at /api/v1/search/."""

from django.urls import path

from search.api import SearchView, SuggestView

app_name = "search"
urlpatterns = [
    path("", SearchView.as_view(), name="search"),
    path("suggest/", SuggestView.as_view(), name="suggest"),
]
