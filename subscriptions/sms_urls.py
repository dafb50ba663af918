"""Short links and the SMS and voice providers' callbacks, outside the locale prefix."""

from django.urls import path

from subscriptions import sms_views, voice_views

app_name = "sms"

urlpatterns = [
    # No trailing slash: every character of a text message counts.
    path("s/<str:code>", sms_views.short_link, name="short_link"),
    path("sms/<str:token>/<str:provider>/<str:kind>/", sms_views.callback, name="callback"),
    path("voice/<str:token>/<str:provider>/report/", voice_views.callback, name="voice_callback"),
]
