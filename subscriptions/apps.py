from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "subscriptions"
    verbose_name = "订阅与推送"

    def ready(self):
        from subscriptions import signal_handlers  # noqa: F401
