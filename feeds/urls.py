"""Atom and iCalendar feeds."""

from django.urls import path

from feeds import views

app_name = "feeds"
urlpatterns = [
    path("services.atom", views.type_feed, {"name": "services"}, name="services"),
    path("notices.atom", views.type_feed, {"name": "notices"}, name="notices"),
    path("events.atom", views.type_feed, {"name": "events"}, name="events"),
    path("all.atom", views.type_feed, {"name": "all"}, name="all"),
    # str, not slug: a malformed code must reach the view and get the JSON 404.
    path("categories/<str:code>.atom", views.category_feed, name="category"),
    path("events.ics", views.events_calendar, name="events_calendar"),
    path("events/<str:key>.ics", views.event_calendar, name="event_calendar"),
]
