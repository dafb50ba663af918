"""Who a page reaches: the matching rules, in SQL for counting and in Python for planning.

A subscription matches a page when it asked for the page's content type, its
communities are empty or include the page's community (a street-wide page
reaches every community), and the page is for all residents or shares a
resident category with it.
"""

import json
from collections.abc import Callable
from functools import lru_cache

from django.db.models import Exists, OuterRef, Q, QuerySet, TextField
from django.db.models.functions import Cast

from subscriptions.channels.registry import all_channels
from subscriptions.models import Address, Subscription, WebhookEndpoint

ALL_RESIDENTS = "all"


def _contains(field: str, code: str) -> Q:
    return Q(**{f"{field}__icontains": f'"{code}"'})


def _empty(field: str) -> Q:
    return ~Q(**{f"{field}__icontains": '"'})


def for_everyone(audience: list[str]) -> bool:
    return not audience or ALL_RESIDENTS in audience


def _rule_prefilter(prefix: str, *, type: str, community: str, audience: list[str]) -> Q:
    """The SQL prefilter of the rule on a subscription's columns (reached through `prefix`).

    A relay's subscription is never a resident's: relays hear of urgent notices
    through `subscriptions.relays.relay_rows` only.
    """
    wanted = Q(**{f"{prefix}is_relay": False}) & _contains(f"{prefix}content_types", type)
    if community:
        wanted &= _empty(f"{prefix}communities") | _contains(f"{prefix}communities", community)
    if not for_everyone(audience):
        categories = Q()
        for code in audience:
            categories |= _contains(f"{prefix}resident_categories", code)
        wanted &= categories
    return wanted


def subscriptions_matching(
    *, type: str, community: str, audience: list[str], urgent: bool = True
) -> QuerySet:
    """Subscriptions that should hear about a page, with at least one live address for it.

    An address on a channel for urgent notices only (voice calls) counts only
    when the page is urgent.
    """
    live = Address.objects.live().filter(subscription=OuterRef("pk"))
    if not urgent:
        live = live.exclude(channel__in=[spec.code for spec in all_channels() if spec.urgent_only])
    return Subscription.objects.filter(
        _rule_prefilter("", type=type, community=community, audience=audience), Exists(live)
    )


def addresses_matching(*, type: str, community: str, audience: list[str]) -> QuerySet:
    """Live addresses, on any channel, of subscriptions that pass the SQL prefilter."""
    return Address.objects.live().filter(
        _rule_prefilter("subscription__", type=type, community=community, audience=audience)
    )


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
def rule_columns(prefix: str = "") -> dict:
    """The rule's columns as JSON text, named for `values_list`; `prefix` reaches a subscription."""
    return {
        f"{name}_json": Cast(f"{prefix}{name}", output_field=TextField())
        for name in ("content_types", "communities", "resident_categories")
    }


def rule_matcher(
    *, type: str, community: str, audience: list[str]
) -> Callable[[str, str, str], bool]:
    """`subscription_matches` for one page, taking the `rule_columns` texts of a row.

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
