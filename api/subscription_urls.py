"""The subscription API, mounted at /api/v1/subscriptions/."""

from django.urls import path

from api.views import phone
from api.views import subscriptions as api

app_name = "subscriptions-api"

urlpatterns = [
    path("", api.with_retry_after(api.SubscriptionCreateView.as_view()), name="create"),
    path("self/", api.with_retry_after(api.SubscriptionSelfView.as_view()), name="self"),
    path("self/export/", api.SubscriptionExportView.as_view(), name="export"),
    path("confirm/", api.ConfirmView.as_view(), name="confirm"),
    path(
        "phone/confirm/",
        api.with_retry_after(phone.PhoneConfirmView.as_view()),
        name="phone-confirm",
    ),
    path("unsubscribe/", api.UnsubscribeView.as_view(), name="unsubscribe"),
    path("options/", api.OptionsView.as_view(), name="options"),
]
