"""The street office's shared records as the directory endpoints, the kiosk and the residents' pages read them."""

from wagtail.models import Locale

from core.representation import Localiser
from home.models import CommunityHomePage, Organisation, ResidentCategory, ServicePoint
from home.representation import organisation_repr, point_repr
from services.models import ServiceCategory

TRADITIONAL = "zh-hant"


class MachineTraditional:
    """An untranslated default-locale row read in traditional script: its texts converted (OpenCC).

    Items do the same for traditional readers (`machine_converted`); names in
    the directory follow, so a kiosk in 繁 mode never mixes scripts.
    """

    TEXTS = frozenset({"name", "description", "title", "summary"})

    def __init__(self, row):
        self._row = row

    def __getattr__(self, name):
        from search.chinese import to_traditional

        value = getattr(self._row, name)
        return to_traditional(value) if name in self.TEXTS and isinstance(value, str) else value


def _fallback(row, locale: str):
    return MachineTraditional(row) if locale == TRADITIONAL else row


def localised_rows(model, locale: str):
    """Default-locale rows paired with their translation in `locale` (or themselves).

    Untranslated rows read in traditional Chinese have their texts converted.
    """
    originals = list(model.objects.filter(locale=Locale.get_default()))
    translated = {
        row.translation_key: row
        for row in model.objects.filter(
            locale__language_code=locale,
            translation_key__in=[row.translation_key for row in originals],
        )
    }
    return [
        (row, translated.get(row.translation_key) or _fallback(row, locale)) for row in originals
    ]


def localised_pages(model, locale: str, pages=None):
    """Live default-locale pages in tree order, paired with their live translation (or themselves).

    `pages` narrows or prefetches the default-locale queryset (`select_related`).
    """
    originals = (pages if pages is not None else model.objects.all()).live()
    originals = originals.filter(locale=Locale.get_default()).order_by("path")
    translated = {
        page.translation_key: page
        for page in model.objects.live().filter(locale__language_code=locale)
    }
    return [
        (page, translated.get(page.translation_key) or _fallback(page, locale))
        for page in originals
    ]


def resident_categories_read(locale: str) -> list[dict]:
    """The resident categories residents subscribe to, by their stable codes."""
    return [
        {
            "code": row.code,
            "name": shown.name,
            "description": shown.description,
            "is_sensitive": row.is_sensitive,
        }
        for row, shown in sorted(
            localised_rows(ResidentCategory, locale), key=lambda p: p[0].sort_order
        )
    ]


def service_categories_read(locale: str) -> list[dict]:
    """Service categories as a two-level tree."""
    rows = sorted(
        localised_rows(ServiceCategory, locale), key=lambda p: (p[0].sort_order, p[0].code)
    )
    by_parent: dict[int | None, list] = {}
    for row, shown in rows:
        by_parent.setdefault(row.parent_id, []).append(
            {
                "code": row.code,
                "name": shown.name,
                "description": shown.description,
                "_id": row.pk,
            }
        )
    tree = []
    for top in by_parent.get(None, []):
        children = by_parent.get(top.pop("_id"), [])
        for child in children:
            child.pop("_id")
        tree.append({**top, "children": children})
    return tree


def communities_read(locale: str) -> list[dict]:
    """The communities of the street office, with their service station and hotline."""
    localise = Localiser(locale)
    pages = CommunityHomePage.objects.select_related("hall")
    return [
        {
            "code": page.code,
            "title": shown.title,
            "summary": shown.summary,
            "hotline": page.hotline,
            "households": page.households,
            "hall": point_repr(page.hall, localise),
        }
        for page, shown in localised_pages(CommunityHomePage, locale, pages)
    ]


def organisations_read(locale: str) -> list[dict]:
    """Departments, committees, teams and vetted partner enterprises."""
    localise = Localiser(locale)
    return [
        {**organisation_repr(row, localise), "vetting_status": row.vetting_status or None}
        for row in Organisation.objects.filter(locale=Locale.get_default()).order_by("kind", "name")
    ]


def service_points_read(locale: str) -> list[dict]:
    """Places where residents are served, with weekly hours and holiday exceptions."""
    localise = Localiser(locale)
    points = ServicePoint.objects.filter(locale=Locale.get_default()).prefetch_related(
        "opening_hours", "hours_exceptions"
    )
    return [
        {
            **point_repr(point, localise),
            "community": point.community.code if point.community else None,
        }
        for point in points.select_related("community").order_by("name")
    ]
