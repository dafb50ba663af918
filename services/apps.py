from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = "服务事项"

    def ready(self):
        from core.content_types import register
        from services.content_type import SERVICE

        register(SERVICE)
