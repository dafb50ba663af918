from django.apps import AppConfig


class KiosksConfig(AppConfig):
    name = "kiosks"
    verbose_name = "自助机"
