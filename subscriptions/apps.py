from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "subscriptions"
    verbose_name = "订阅与推送"

    def ready(self):
        from core.panels import slot_fill
        from subscriptions import signal_handlers  # noqa: F401
        from subscriptions.panels import audience_summary

        # The page editor's push panel: reach and history, counts only.
        slot_fill("reach", template="subscriptions/panels/audience.html", context=audience_summary)
