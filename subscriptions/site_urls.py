"""The resident's subscription pages (under the locale prefix) and the service worker."""

from django.urls import path

from subscriptions import views

app_name = "subscriptions"

urlpatterns = [
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscriptions/manage/", views.manage, name="manage"),
    # Links handed out before the token moved into the fragment.
    path("subscriptions/manage/<str:token>/", views.manage_legacy, name="manage-legacy"),
    path("subscriptions/confirm/<str:token>/", views.confirm, name="confirm"),
    path("subscriptions/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("subscriptions/reconfirm/<str:token>/", views.reconfirm, name="reconfirm"),
    path("relay/<str:token>/", views.relay_ack, name="relay-ack"),
]
