"""The search index tables and the editors' synonym groups."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel


class SearchTerm(models.Model):
    """One analysed term of one indexed object, with its weight (a posting)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    term = models.CharField(max_length=100)
    weight = models.FloatField()

    class Meta:
        indexes = [
            # Covering: a lookup by term reads the index alone, never the table.
            models.Index(
                fields=["term", "content_type", "object_id", "weight"], name="linli_search_term"
            ),
            models.Index(fields=["content_type", "object_id"], name="linli_search_term_object"),
        ]

    def __str__(self):
        return self.term


class SearchDocument(models.Model):
    """The text of one indexed object, kept for highlighted snippets."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    title = models.TextField(blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="unique_search_document"
            )
        ]

    def __str__(self):
        return self.title


class IndexState(models.Model):
    """Bookkeeping of the search index: the dictionary hash it was built with, its generation."""

    key = models.CharField(max_length=40, unique=True)
    value = models.CharField(max_length=100)

    def __str__(self):
        return f"{self.key}={self.value}"


class SynonymGroup(models.Model):
    """Words residents use for the same thing (老人/老年人/长者), applied to every search."""

    words = models.CharField(
        _("同义词"),
        max_length=200,
        help_text=_(
            "用空格或逗号隔开几个意思相同的词，例如：老人 老年人 长者。"
            "居民搜其中任何一个词，都能找到写了其他词的内容。"
        ),
    )
    note = models.CharField(_("备注"), max_length=100, blank=True)

    panels = [FieldPanel("words"), FieldPanel("note")]

    class Meta:
        ordering = ["words"]
        verbose_name = _("搜索同义词")
        verbose_name_plural = _("搜索同义词")

    def __str__(self):
        return self.words

    def word_list(self) -> list[str]:
        return [word for word in self.words.replace("，", " ").replace(",", " ").split() if word]
