"""HTTP behaviour shared by every feed: JSON errors, validators, 304s and caching headers."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import wraps

from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from core.errors import ApiError, error_response
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
    """Wrap a view returning `Rendered`: GET/HEAD only, JSON errors, ETag, Last-Modified, 304."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            response = error_response("method_not_allowed", "Feeds are read with GET.", status=405)
            response["Allow"] = "GET, HEAD"
            return response
        try:
            rendered = view(request, *args, **kwargs)
        except ApiError as error:
            return error.response()
        # The body depends only on the content shown (no clock), so its hash is a strong validator.
        etag = '"' + hashlib.sha1(rendered.body, usedforsecurity=False).hexdigest() + '"'
        last_modified = int(rendered.last_modified.timestamp()) if rendered.last_modified else None
        response = get_conditional_response(
            request, etag=etag, last_modified=last_modified
        ) or HttpResponse(rendered.body, content_type=rendered.content_type)
        response["ETag"] = etag
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified)
        response["Cache-Control"] = CACHE_CONTROL
        return response

    return wrapped
