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


def communities_seen_by(user) -> set[str] | None:
    """Community codes whose records this user sees in the admin; None: every one (superusers).

    A community editor's page permissions sit on their community; a street
    reviewer's on the street, above every community in it, and the street's
    own records (community code "") are theirs too.
    """
    from wagtail.models import GroupPagePermission

    from home.models import CommunityHomePage, StreetHomePage

    if user.is_superuser:
        return None
    granted = set(
        GroupPagePermission.objects.filter(group__user=user).values_list("page__path", flat=True)
    )
    seen = {
        code
        for code, path in CommunityHomePage.objects.values_list("code", "path")
        if any(path.startswith(mine) or mine.startswith(path) for mine in granted)
    }
    streets = StreetHomePage.objects.values_list("path", flat=True)
    if any(path.startswith(mine) for path in streets for mine in granted):
        seen.add("")
    return seen
