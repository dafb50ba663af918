"""WeChat binding and the account's server URL, outside the locale prefix."""

from django.urls import path

from subscriptions import wechat_views

app_name = "wechat"

urlpatterns = [
    path("authorize/", wechat_views.authorize, name="authorize"),
    path("bound/", wechat_views.bound, name="bound"),
    path("outbox-authorize/", wechat_views.outbox_authorize, name="outbox-authorize"),
    path("events/", wechat_views.events, name="events"),
]
