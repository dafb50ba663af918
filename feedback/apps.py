from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    """Residents' ratings of services and corrections to the guide, and the cases they open."""

    name = "feedback"
    verbose_name = "好差评"
