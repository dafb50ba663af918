"""The service as a content type: its item, its filter columns, its list filters and orderings."""

from django.utils.translation import gettext_lazy as _

from core import params
from core.content_types import ContentType
from core.representation import choice_repr, related, shared
from home.representation import organisation_repr, point_repr


def _blocks(stream) -> list[dict]:
    # The same in every locale: costs, documents and steps carry no translated words.
    return [block.block.get_api_representation(block.value) for block in stream]


def _satisfaction(page) -> dict | None:
    """The published 满意率 and count, kept by the feedback app on the default-locale page."""
    from django.core.exceptions import ObjectDoesNotExist

    from wagtail.models import Locale

    original = page
    if page.locale_id != Locale.get_default().pk:
        original = page.get_translation_or_none(Locale.get_default()) or page
    try:
        return original.satisfaction.public
    except ObjectDoesNotExist:
        return None


def represent(page, localise) -> dict:
    """The service's own fields of its item."""
    return {
        "kind": choice_repr(page.kind, page.Kind),
        "service_categories": [
            {
                "code": c.code,
                "name": localise(c).name,
                "parent": c.parent.code if c.parent_id else None,
            }
            for c in shared(page, "service_categories", lambda: related(page, "service_categories"))
        ],
        "eligibility": page.eligibility,
        "min_age": page.min_age,
        "max_age": page.max_age,
        "provider": organisation_repr(page.provider, localise),
        "fee_mode": choice_repr(page.fee_mode, page.FeeMode),
        "costs": shared(page, "costs", lambda: _blocks(page.costs)),
        "delivery_modes": [choice_repr(mode, page.DeliveryMode) for mode in page.delivery_modes],
        "service_points": [
            point_repr(point, localise)
            for point in shared(page, "service_points", lambda: related(page, "service_points"))
        ],
        "documents": shared(page, "documents", lambda: _blocks(page.documents)),
        "steps": shared(page, "steps", lambda: _blocks(page.steps)),
        "promised_days": page.promised_days,
        "apply_url": page.apply_url,
        "hotline": page.hotline,
        "status": choice_repr(page.status, page.Status),
        "last_verified": page.last_verified.isoformat() if page.last_verified else None,
        "satisfaction": shared(page, "satisfaction", lambda: _satisfaction(page)),
    }


def _category_codes(page) -> str:
    # Parents too, so a filter on 养老服务 finds services filed under 助餐.
    codes: list[str] = []
    # Not select_related(): the rebuild prefetches categories with their parents.
    for category in related(page, "service_categories"):
        codes.append(category.code)
        if category.parent_id:
            codes.append(category.parent.code)
    return " " + " ".join(dict.fromkeys(codes)) + " " if codes else ""


def columns(page) -> dict:
    """The read model's filter columns a service fills."""
    return {
        "categories": _category_codes(page),
        "kind": page.kind,
        "fee_mode": page.fee_mode,
        "delivery_modes": (" " + " ".join(page.delivery_modes) + " "),
        "status": page.status,
    }


def prefetch() -> tuple[list[str], list]:
    """What a service's item reads beyond the page row, for a rebuild's batch."""
    from django.db.models import Prefetch

    from home.models.snippets import ServicePoint
    from services.models import ServiceCategory

    points = ServicePoint.objects.prefetch_related("opening_hours", "hours_exceptions")
    return ["provider"], [
        Prefetch("service_categories", ServiceCategory.objects.select_related("parent")),
        "resident_categories",
        Prefetch("service_points", points),
    ]


def known_service_categories() -> set[str]:
    from services.models import ServiceCategory

    return set(ServiceCategory.objects.in_default_locale().values_list("code", flat=True))


def filters() -> dict:
    """The service list's own query parameters."""
    from services.models import ServicePage

    return {
        "service_category": params.choice(known_service_categories),
        "kind": params.choice({c for c, _ in ServicePage.Kind.choices}),
        "fee_mode": params.choice({c for c, _ in ServicePage.FeeMode.choices}),
        "delivery_mode": params.choice({c for c, _ in ServicePage.DeliveryMode.choices}),
        "status": params.choice({c for c, _ in ServicePage.Status.choices}),
    }


def lookups(query: dict) -> dict:
    """Item lookups for the service list's parameters."""
    found = {}
    if "service_category" in query:
        found["categories__contains"] = f" {query['service_category']} "
    if "delivery_mode" in query:
        found["delivery_modes__contains"] = f" {query['delivery_mode']} "
    for name in ("kind", "fee_mode", "status"):
        if name in query:
            found[name] = query[name]
    return found


SERVICE = ContentType(
    code="service",
    plural="services",
    label=_("服务事项"),
    model="services.ServicePage",
    index_model="services.ServiceIndexPage",
    audience_field="resident_categories",
    body_field="description",
    represent=represent,
    columns=columns,
    prefetch=prefetch,
    filters=filters,
    lookups=lookups,
    orderings={"title": ("title", False), "-last_published_at": ("last_published_at", True)},
    default_ordering="title",
    index_title="服务目录",
    index_intro="在这里能办的事：条件、费用、地点、材料和时限。",
    list_doc="Services, filtered by community, audience, category, kind, fee and delivery mode.",
    detail_doc="One service by id or slug.",
    author_field="provider",
)
