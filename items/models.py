"""The read model behind the API: one stored representation per item and locale, and a change log.

Pages are edited in Wagtail's tables; what kiosks and apps read is projected
into `Item` when a page is published, unpublished, moved or deleted, and every
projection change appends a `Change` in the same transaction. Lists read
`Item` rows (stored JSON, no rendering at request time); the change feed reads
`Change` rows after a client's cursor.
"""

from django.db import models
from django.db.models import Q

from core.content_types import content_types


def _visible_at(at) -> Q:
    return (Q(visible_from__isnull=True) | Q(visible_from__lte=at)) & (
        Q(visible_until__isnull=True) | Q(visible_until__gt=at)
    )


def _archived_types() -> list[str]:
    return [listed.code for listed in content_types() if listed.listing_current]


class ItemQuerySet(models.QuerySet):
    def visible(self, at):
        """Items current at `at`: notices within their validity, events not long over.

        What lists, the change feed, kiosks, search and push show.
        """
        return self.filter(_visible_at(at))

    def readable(self, at):
        """Items whose address answers at `at`: the visible ones, and the archive.

        A type whose lists offer `current=false` (notices) keeps every published
        item readable, before and after its window: a list that names an item
        never links to a 404.
        """
        return self.filter(_visible_at(at) | Q(type__in=_archived_types()))

    def unreadable(self, at):
        """The other items: outside their window and of a type without an archive."""
        outside = Q(visible_from__gt=at) | Q(visible_until__lte=at)
        return self.filter(outside).exclude(type__in=_archived_types())


class Item(models.Model):
    """The published representation of one service, notice or event in one reading locale.

    A page without a translation in a locale is stored for that locale too, as
    a fallback to the default-locale text, and says so in its data.
    """

    page_id = models.BigIntegerField(help_text="id of the page whose content this is")
    locale = models.CharField(max_length=16, help_text="the locale a client asked for")
    type = models.CharField(max_length=16)
    translation_key = models.UUIDField()
    is_fallback = models.BooleanField(default=False)
    # Filterable copies of the representation's fields.
    community = models.CharField(
        max_length=40, blank=True, help_text="community code; blank = street-wide"
    )
    street_id = models.BigIntegerField(null=True)
    audience = models.CharField(
        max_length=400, blank=True, help_text="' code code ' for contains-filters"
    )
    categories = models.CharField(
        max_length=600, blank=True, help_text="' code code ' of service categories"
    )
    kind = models.CharField(max_length=20, blank=True)
    fee_mode = models.CharField(max_length=20, blank=True)
    delivery_modes = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=20, blank=True)
    urgency = models.CharField(max_length=20, blank=True)
    pinned = models.BooleanField(default=False)
    title = models.CharField(max_length=255)
    slug = models.SlugField(max_length=255, allow_unicode=True, db_index=False)
    starts_at = models.DateTimeField(null=True)
    ends_at = models.DateTimeField(null=True)
    valid_from = models.DateTimeField(null=True)
    valid_until = models.DateTimeField(null=True)
    visible_from = models.DateTimeField(null=True)
    visible_until = models.DateTimeField(null=True)
    first_published_at = models.DateTimeField(null=True)
    last_published_at = models.DateTimeField(null=True)
    data = models.TextField(help_text="the item's JSON, exactly as served")
    etag = models.CharField(max_length=40)

    objects = ItemQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page_id", "locale"], name="unique_item_per_locale"),
        ]
        indexes = [
            models.Index(fields=["locale", "type", "id"]),
            models.Index(fields=["translation_key"]),
            # One per list ordering, so a page of a list never sorts the whole table.
            models.Index(fields=["locale", "type", "title", "id"], name="item_by_title"),
            models.Index(
                fields=["locale", "type", "last_published_at", "id"], name="item_by_published"
            ),
            models.Index(fields=["locale", "type", "valid_from", "id"], name="item_by_valid_from"),
            models.Index(
                fields=["locale", "type", "valid_until", "id"], name="item_by_valid_until"
            ),
            models.Index(fields=["locale", "type", "starts_at", "id"], name="item_by_start"),
        ]

    def __str__(self):
        return f"{self.type} {self.page_id} ({self.locale})"


class Change(models.Model):
    """One change to the set of items: the cursor of the change feed is its id."""

    page_id = models.BigIntegerField()
    locale = models.CharField(max_length=16)
    type = models.CharField(max_length=16)
    reason = models.CharField(max_length=20)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["created_at"]),
            models.Index(fields=["page_id", "locale"]),
        ]

    def __str__(self):
        return f"#{self.pk} {self.reason} {self.type} {self.page_id} ({self.locale})"


class FeedClock(models.Model):
    """A single row: serialises writers of the change log and remembers the last time-boundary sweep.

    Change ids must become visible in the order they were assigned, or a
    client could step over a change committed late; holding this row's lock
    until commit guarantees that on PostgreSQL (SQLite has one writer anyway).
    """

    boundaries_checked_at = models.DateTimeField(null=True)
    pruned_through = models.BigIntegerField(
        default=0, help_text="changes up to this id were pruned"
    )

    def __str__(self):
        return "feed clock"
