"""What feeds add to `core.http`: their query parameters, their Cache-Control, GET only."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import wraps

from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.http import http_date

from core.errors import error_response
from core.http import http_get
from core.params import choice, locale, parse
from feeds.selectors import default_locale, known_communities

CACHE_CONTROL = "public, max-age=300"


@dataclass(frozen=True)
class Rendered:
    """A feed document ready to send."""

    body: bytes
    content_type: str
    last_modified: datetime | None


@dataclass(frozen=True)
class FeedQuery:
    """The query parameters every feed accepts."""

    locale: str
    community: str | None


def feed_query(query: QueryDict, *, community: bool = True) -> FeedQuery:
    """`?locale=` (and `?community=` where it applies) checked; anything else is a 400."""
    spec = {"locale": locale}
    if community:
        spec["community"] = choice(known_communities)
    values = parse(query, spec, defaults={"locale": default_locale(), "community": None})
    return FeedQuery(locale=values["locale"], community=values["community"])


def feed_get(view: Callable[..., Rendered]) -> Callable[..., HttpResponse]:
    """Wrap a view returning `Rendered`: GET/HEAD only, then `core.http` (budget, ETag, 304).

    Feeds are rendered every time (community names and labels are not covered
    by the content version); the body depends only on the content shown (no
    clock), so its hash is a strong validator and its Last-Modified one too.
    """

    def render(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        rendered = view(request, *args, **kwargs)
        response = HttpResponse(rendered.body, content_type=rendered.content_type)
        response["Cache-Control"] = CACHE_CONTROL
        if rendered.last_modified is not None:
            response["Last-Modified"] = http_date(rendered.last_modified.timestamp())
        return response

    answered = http_get(render, modified_since=True)

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            response = error_response("method_not_allowed", "Feeds are read with GET.", status=405)
            response["Allow"] = "GET, HEAD"
            return response
        return answered(request, *args, **kwargs)

    return wrapped
