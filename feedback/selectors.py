"""Read-side questions about ratings, cases and corrections."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from wagtail.models import GroupPagePermission, Locale, Page

from core.params import valid_text
from feedback.models import (
    OPEN_CASE_STATES,
    SATISFIED_SCORES,
    Case,
    Correction,
    Rating,
)
from home.models import CommunityHomePage, StreetHomePage
from home.selectors import communities_seen_by
from services.models import ServicePage

# The window of ratings the published aggregate counts.
PUBLIC_WINDOW = datetime.timedelta(days=365)


def service_to_rate(*, key: str) -> ServicePage | None:
    """The live service with this id or slug, as its default-locale page (ratings count per service, not per translation)."""
    if not key or len(key) > 255 or not valid_text(key):
        return None
    services = ServicePage.objects.live()
    page = (
        services.filter(pk=int(key)).first()
        if key.isascii() and key.isdigit() and len(key) < 19
        else services.filter(slug=key, locale=Locale.get_default()).first()
    )
    if page is None:
        return None
    default = Locale.get_default()
    if page.locale_id != default.pk:
        original = services.filter(translation_key=page.translation_key, locale=default).first()
        page = original or page
    return page


def community_code(service: ServicePage) -> str:
    community = service.community
    return community.code if community else ""


def satisfaction_counts(*, service_id: int, now: datetime.datetime) -> tuple[int, int]:
    """(ratings, satisfied ratings) of a service over the last 12 months."""
    counts = Rating.objects.filter(
        service_id=service_id, created_at__gt=now - PUBLIC_WINDOW, created_at__lte=now
    ).aggregate(all=Count("pk"), satisfied=Count("pk", filter=Q(score__in=SATISFIED_SCORES)))
    return counts["all"], counts["satisfied"]


def satisfaction_public(count: int, satisfied: int) -> dict | None:
    """What the service item shows: `{"count", "rate"}` from LINLI_RATINGS_MIN_PUBLIC ratings, else None."""
    if count == 0 or count < settings.LINLI_RATINGS_MIN_PUBLIC:
        return None
    return {"count": count, "rate": round(satisfied / count, 3)}


def cases_for(user) -> QuerySet[Case]:
    """The cases this user may see and handle."""
    return Case.objects.in_communities(communities_seen_by(user))


def corrections_for(user) -> QuerySet[Correction]:
    """The correction tasks this user may see and close."""
    return Correction.objects.in_communities(communities_seen_by(user))


def _users_with_pages(pages: QuerySet[Page]) -> QuerySet:
    paths = list(pages.values_list("path", flat=True))
    if not paths:
        return get_user_model().objects.none()
    query = Q()
    for path in paths:
        query |= Q(page__path__startswith=path)
    permissions = GroupPagePermission.objects.filter(query)
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__in=permissions.values("group"))
        .exclude(email="")
        .distinct()
    )


def case_handlers(case: Case) -> QuerySet:
    """Who is reminded of a case: its community's editors (for a street-wide service, the street's)."""
    if case.community:
        community = CommunityHomePage.objects.filter(code=case.community)
        return _users_with_pages(community)
    return street_reviewers()


def street_reviewers() -> QuerySet:
    """Who overdue cases go to: those whose page permissions sit on a street."""
    streets = StreetHomePage.objects.all()
    paths = list(streets.values_list("path", flat=True))
    permissions = GroupPagePermission.objects.filter(page__path__in=paths)
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__in=permissions.values("group"))
        .exclude(email="")
        .distinct()
    )


@dataclass
class ServiceMonth:
    """One service's line of the satisfaction report."""

    service_id: int
    title: str
    community: str
    ratings: int
    satisfied: int
    distribution: dict[int, int]
    cases_open: int
    cases_overdue: int

    @property
    def rate(self) -> float | None:
        return round(self.satisfied / self.ratings, 3) if self.ratings else None


def month_bounds(
    month: str | None, *, now: datetime.datetime
) -> tuple[datetime.datetime, datetime.datetime]:
    """The start and end of a month `YYYY-MM` in local time (default: the current month)."""
    local = timezone.localtime(now)
    year, number = (int(part) for part in month.split("-")) if month else (local.year, local.month)
    start = timezone.make_aware(datetime.datetime(year, number, 1))
    following = (
        datetime.datetime(year + 1, 1, 1)
        if number == 12
        else datetime.datetime(year, number + 1, 1)
    )
    return start, timezone.make_aware(following)


def satisfaction_month(*, month: str | None, now: datetime.datetime) -> list[ServiceMonth]:
    """Per service rated in the month: ratings, satisfied, distribution, and its cases now."""
    start, end = month_bounds(month, now=now)
    ratings = Rating.objects.filter(created_at__gte=start, created_at__lt=end)
    cases = Case.objects.filter(rating__created_at__gte=start, rating__created_at__lt=end)
    today = timezone.localdate(now)
    rows: dict[int, ServiceMonth] = {}
    titles = dict(
        ServicePage.objects.filter(pk__in=ratings.values("service_id")).values_list("pk", "title")
    )
    for service_id, community, score, count in (
        ratings.values_list("service_id", "community", "score")
        .annotate(n=Count("pk"))
        .order_by("service_id", "score")
    ):
        row = rows.get(service_id)
        if row is None:
            row = rows[service_id] = ServiceMonth(
                service_id, titles.get(service_id, ""), community, 0, 0, {}, 0, 0
            )
        row.ratings += count
        row.distribution[score] = row.distribution.get(score, 0) + count
        if score in SATISFIED_SCORES:
            row.satisfied += count
    for service_id, open_count, overdue in cases.values_list("service_id").annotate(
        open=Count("pk", filter=Q(state__in=OPEN_CASE_STATES)),
        overdue=Count("pk", filter=Q(state__in=OPEN_CASE_STATES, deadline__lt=today)),
    ):
        if service_id in rows:
            rows[service_id].cases_open = open_count
            rows[service_id].cases_overdue = overdue
    return sorted(rows.values(), key=lambda row: (row.community, row.title))
