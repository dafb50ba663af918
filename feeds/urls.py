"""Atom and iCalendar feeds."""

from django.urls import path

from core.content_types import content_types
from feeds import views

app_name = "feeds"
urlpatterns = [
    *(
        path(f"{ct.plural}.atom", views.type_feed, {"name": ct.plural}, name=ct.plural)
        for ct in content_types()
    ),
    path("all.atom", views.type_feed, {"name": "all"}, name="all"),
    # str, not slug: a malformed code must reach the view and get the JSON 404.
    path("categories/<str:code>.atom", views.category_feed, name="category"),
    path("events.ics", views.events_calendar, name="events_calendar"),
    path("events/<str:key>.ics", views.event_calendar, name="event_calendar"),
]
