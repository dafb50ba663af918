"""Who a page reaches: the matching rules, in SQL for counting and in Python for planning.

A subscription matches a page when it asked for the page's content type, its
communities are empty or include the page's community (a street-wide page
reaches every community), and the page is for all residents or shares a
resident category with it.
"""

import json
from collections.abc import Callable
from functools import lru_cache

from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast

from subscriptions.models import Subscription, WebhookEndpoint

ALL_RESIDENTS = "all"


def _contains(field: str, code: str) -> Q:
    return Q(**{f"{field}__icontains": f'"{code}"'})


def _empty(field: str) -> Q:
    return ~Q(**{f"{field}__icontains": '"'})


def for_everyone(audience: list[str]) -> bool:
    return not audience or ALL_RESIDENTS in audience


def subscriptions_matching(*, type: str, community: str, audience: list[str]) -> QuerySet:
    """Subscriptions that should hear about a page, with at least one live channel."""
    query = Subscription.objects.filter(_contains("content_types", type)).filter(
        Q(push_active=True) | Q(email_confirmed_at__isnull=False)
    )
    if community:
        query = query.filter(_empty("communities") | _contains("communities", community))
    if not for_everyone(audience):
        wanted = Q()
        for code in audience:
            wanted |= _contains("resident_categories", code)
        query = query.filter(wanted)
    return query


def subscription_matches(
    row_types: list, row_communities: list, row_categories: list, *, type, community, audience
) -> bool:
    """The same rule in Python, applied to rows the SQL prefilter let through."""
    if type not in row_types:
        return False
    if community and row_communities and community not in row_communities:
        return False
    return for_everyone(audience) or bool(set(audience) & set(row_categories))


# The rule's columns as stored JSON text, for `rule_matcher`: rows share a few
# distinct values, so decoding each row's lists would be wasted work.
RULE_COLUMNS = {
    "content_types_json": Cast("content_types", output_field=TextField()),
    "communities_json": Cast("communities", output_field=TextField()),
    "resident_categories_json": Cast("resident_categories", output_field=TextField()),
}


def rule_matcher(
    *, type: str, community: str, audience: list[str]
) -> Callable[[str, str, str], bool]:
    """`subscription_matches` for one page, taking the RULE_COLUMNS texts of a row.

    Each distinct combination of texts is decoded and decided once.
    """

    @lru_cache(maxsize=4096)
    def matches(types: str, communities: str, categories: str) -> bool:
        return subscription_matches(
            json.loads(types) or [],
            json.loads(communities) or [],
            json.loads(categories) or [],
            type=type,
            community=community,
            audience=audience,
        )

    return matches


def endpoints_matching(*, type: str, community: str, audience: list[str]) -> list[WebhookEndpoint]:
    out = []
    for endpoint in WebhookEndpoint.objects.filter(active=True).order_by("pk"):
        if endpoint.content_types and type not in endpoint.content_types:
            continue
        if community and endpoint.communities and community not in endpoint.communities:
            continue
        if (
            endpoint.resident_categories
            and not for_everyone(audience)
            and not set(audience) & set(endpoint.resident_categories)
        ):
            continue
        out.append(endpoint)
    return out
