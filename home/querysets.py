"""Query helpers shared by every placed page type."""

from django.db.models import Q

from wagtail.models import Page
from wagtail.query import PageQuerySet


class PlacedPageQuerySet(PageQuerySet):
    def for_community(self, community):
        """What a resident of `community` should see: its own content plus its street's."""
        street_path = community.path[: -Page.steplen]
        return self.filter(
            Q(community=community) | Q(community__isnull=True, path__startswith=street_path)
        )
