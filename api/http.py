"""HTTP behaviour of every GET in the API: server-side cache, ETags, 304s and rate limits.

Responses are cached under the content version (the newest change id), so a
publish is visible at once: the next request sees a new version and misses.
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.http import http_date, parse_etags

from api.models import Change
from api.selectors import content_version
from core.errors import error_response


def client_ip(request: HttpRequest) -> str:
    if settings.LINLI_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def over_budget(key: str, budget: int, window_seconds: int) -> bool:
    """Count one use of `key` in the current window; True once more than `budget` were used."""
    if not budget:
        return False
    counter = f"{key}:{int(time.time() // window_seconds)}"
    if cache.add(counter, 1, timeout=window_seconds + 10):
        return False
    try:
        return cache.incr(counter) > budget
    except ValueError:  # the counter expired between add and incr
        return False


def retry_after(window_seconds: int) -> str:
    """Seconds until the current rate-limit window ends, for a Retry-After header."""
    return str(window_seconds - int(time.time()) % window_seconds)


def rate_limited(request: HttpRequest) -> HttpResponse | None:
    """A 429 when this client passed its requests-per-minute budget, else None."""
    kiosk = getattr(request, "kiosk", None)
    budget = settings.LINLI_API_KIOSK_RATE if kiosk else settings.LINLI_API_ANON_RATE
    client = "k" + str(kiosk.pk) if kiosk else client_ip(request)
    if not over_budget(f"rl:{client}", budget, 60):
        return None
    response = error_response(
        "rate_limited", "Too many requests; wait a minute and try again.", status=429
    )
    response["Retry-After"] = retry_after(60)
    return response


def _not_modified(request: HttpRequest, etag: str) -> bool:
    header = request.META.get("HTTP_IF_NONE_MATCH")
    if not header:
        return False
    tags = parse_etags(header)
    return "*" in tags or etag in tags or etag.removeprefix("W/") in tags


def api_get(view, *, cached: bool = True, per_minute: bool = False):
    """Wrap an API view: rate limit, then serve from the cache or render and cache, with validators.

    `cached=False` is for views whose data is not covered by the content
    version (the directory of organisations and places): rendered every time,
    still with an ETag so clients get 304s. `per_minute=True` is for answers
    that depend on the clock ("this week's events"): cached one minute at most.
    Answers for a kiosk are cached per kiosk.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        if limited := rate_limited(request):
            return limited
        version = content_version()
        key = (
            "api:"
            + hashlib.sha1(
                f"{version}|{request.get_full_path()}".encode(), usedforsecurity=False
            ).hexdigest()
        )
        use_cache = cached and settings.LINLI_API_CACHE
        entry = cache.get(key) if use_cache else None
        if entry is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming:
                return response
            body = response.content
            newest = Change.objects.filter(id=version).values_list("created_at", flat=True).first()
            entry = (
                body,
                '"' + hashlib.sha1(body, usedforsecurity=False).hexdigest() + '"',
                http_date(newest.timestamp()) if newest else None,
                response.get("Cache-Control", "public, max-age=60"),
                response["Content-Type"],
            )
            if use_cache:
                cache.set(key, entry, timeout=settings.LINLI_API_CACHE_SECONDS)
        body, etag, last_modified, cache_control, content_type = entry
        if _not_modified(request, etag):
            response = HttpResponse(status=304)
        else:
            response = HttpResponse(body, content_type=content_type)
        response["ETag"] = etag
        if last_modified:
            response["Last-Modified"] = last_modified
        response["Cache-Control"] = cache_control
        response["Vary"] = "Authorization, Accept-Encoding"
        return response

    return wrapped
