"""Abstract building blocks for page models, and the rate counters; no domain models live here."""

from django.db import models

from wagtail.models import Page


class BasePage(Page):
    """Every Linli page: residents read it from the API's items; the site template is the editors' preview.

    Live requests are answered by the residents' pages (front/wagtail_hooks.py); drafts
    preview with the page's own fields, since a draft has no item yet.
    """

    # Wagtail's page metaclass gives every page class its own template name;
    # ours all share one preview template, so get_template ignores it.
    preview_template_name = "pages/preview.html"

    class Meta:
        abstract = True

    def get_template(self, request, *args, **kwargs):
        return self.preview_template_name


def in_default_locale():
    """`limit_choices_to` for links from pages to translatable taxonomies.

    Pages point at the default-locale rows (wagtail-localize copies many-to-many
    links unchanged into translations); readers see names in their locale
    through the row's translation_key.
    """
    from wagtail.models import Locale

    return {"locale": Locale.get_default()}


def subcategories_in_default_locale():
    """Second-level service categories of the default locale."""
    return {**in_default_locale(), "parent__isnull": False}


class RateCounter(models.Model):
    """How often one client used one budget in one window (see `core.limits`)."""

    key = models.CharField(max_length=200)
    window_start = models.BigIntegerField(help_text="seconds since the epoch")
    window_end = models.BigIntegerField(help_text="seconds since the epoch; pruned after it")
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["key", "window_start"], name="one_rate_counter_per_key_and_window"
            ),
        ]
        indexes = [models.Index(fields=["window_end"])]

    def __str__(self):
        return f"{self.key} @ {self.window_start}: {self.hits}"
