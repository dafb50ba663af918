from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo street office and generated bulk content, for trying the hub and for benchmarks."""

    name = "demo"
    verbose_name = "演示数据"
