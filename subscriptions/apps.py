from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "subscriptions"
    verbose_name = "订阅与推送"

    def ready(self):
        from core.forms import notify_gate_set
        from core.panels import slot_fill
        from subscriptions import signal_handlers  # noqa: F401
        from subscriptions.announcements import announcement_refusal
        from subscriptions.channels.registry import channels_load
        from subscriptions.panels import audience_summary

        # The page editor's push panel: reach and history, counts only.
        slot_fill("reach", template="subscriptions/panels/audience.html", context=audience_summary)
        # The "tell subscribers" box: one announcement per page a day (subscriptions/announcements.py).
        notify_gate_set(announcement_refusal)
        # Every channel registered, so the models know whose addresses to encrypt.
        channels_load()
