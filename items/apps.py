from django.apps import AppConfig


class ItemsConfig(AppConfig):
    """The read model and its change feed: every published page as the JSON the
    API serves, one row per locale, and the log clients sync from.

    The label stays "api" (the app's first home), so no table or migration moves.
    """

    name = "items"
    label = "api"
    verbose_name = "接口"

    def ready(self):
        from . import signal_handlers  # noqa: F401
