from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "library"
    verbose_name = "文件与图片"

    def ready(self):
        from . import signal_handlers  # noqa: F401
