from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = "政策通知"

    def ready(self):
        from core.content_types import register
        from notices.content_type import NOTICE

        register(NOTICE)
