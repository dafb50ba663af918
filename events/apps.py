from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "文化活动"

    def ready(self):
        from core.content_types import register
        from events.content_type import EVENT

        register(EVENT)
