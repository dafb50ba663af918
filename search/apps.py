from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "linli_search"
    verbose_name = "搜索"
