"""The hall kiosk's app shell and its service worker, at /kiosk/."""

from django.urls import path

from kiosks import views

app_name = "kiosk"

urlpatterns = [
    path("", views.app, name="app"),
    path("sw.js", views.service_worker, name="service-worker"),
]
