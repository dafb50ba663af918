"""Read-side questions about the tree."""

from wagtail.models import Page

STEP = Page.steplen


def ancestor_paths(path: str) -> list[str]:
    """Treebeard paths of every ancestor of the node at `path`, root first."""
    return [path[:end] for end in range(STEP, len(path), STEP)]


def placement_for_path(*, path: str):
    """The (street, community) pages that a node at `path` sits under; either may be None."""
    from home.models import CommunityHomePage, StreetHomePage

    prefixes = ancestor_paths(path)
    street = StreetHomePage.objects.filter(path__in=prefixes).order_by("-depth").first()
    community = CommunityHomePage.objects.filter(path__in=prefixes).order_by("-depth").first()
    return street, community
