from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SearchConfig(AppConfig):
    name = "search"
    label = "linli_search"
    verbose_name = "搜索"

    def ready(self):
        # Dictionaries load here, once per process and before gunicorn forks
        # (with --preload), so workers share the pages copy-on-write.
        from . import analysis, signal_handlers

        analysis.load()
        post_migrate.connect(signal_handlers.on_post_migrate, sender=self)
