"""Resident pages that are not pages of the tree (under the locale prefix)."""

from django.urls import path

from front import views

app_name = "resident"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("items/<int:page_id>/", views.item_link, name="item"),
]
