from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = "服务事项"
