from django.apps import AppConfig


class FrontConfig(AppConfig):
    """The residents' phone pages: the tree's pages rendered from the API's read model."""

    name = "front"
    verbose_name = "居民页面"
