from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SearchConfig(AppConfig):
    name = "search"
    label = "linli_search"
    verbose_name = "搜索"

    def ready(self):
        # The dictionaries are not loaded here: most processes (push workers,
        # the scheduler, manage.py commands) never analyse text. They load on
        # first use, and in config/wsgi.py for the web server.
        from . import signal_handlers

        post_migrate.connect(signal_handlers.on_post_migrate, sender=self)
