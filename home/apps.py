from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "街道与社区"

    def ready(self):
        from . import signal_handlers  # noqa: F401
