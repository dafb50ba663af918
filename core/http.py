"""HTTP behaviour of every read endpoint: rate limits, authentication, server cache, ETags, 304s.

The API, search, the Atom and iCalendar feeds and the residents' pages all
answer through here, so a client meets one dialect: JSON errors in one shape
(`core.errors`), strict parameters (`core.params`), strong ETags with
bodyless 304s, `Cache-Control` from the view, and one per-minute budget per
client. The order is fixed: budget, then authentication, then the cache, so
an answer cached for one client is never handed to a client that may not see it.
"""

import hashlib
import ipaddress
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from core import limits
from core.errors import ApiError, error_response

DEFAULT_CACHE_CONTROL = "public, max-age=60"

# The content version: answers are cached under it, so a publish is visible at
# once (the next request misses). Asked on every request, so it must be cheap.
Version = Callable[[], object]
# When a version came to be, for Last-Modified; asked only when rendering.
VersionTime = Callable[[object], datetime | None]
# Checks the client may see the answer (raises ApiError) and names whose answer
# it is: the cache keeps one answer per name.
Authenticate = Callable[[HttpRequest], str]


def client_ip(request: HttpRequest) -> str:
    """The client's address, as the last of `LINLI_TRUSTED_PROXIES` proxies saw it.

    Each proxy appends the address it was connected from to `X-Forwarded-For`,
    so the entries a client writes itself come first and only the last
    `LINLI_TRUSTED_PROXIES` were written by proxies we run: the client is the
    one that many from the right (werkzeug's ProxyFix counts the same way).
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.LINLI_TRUSTED_PROXIES
    if not proxies:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [entry.strip() for entry in header.split(",") if entry.strip()]
    if not forwarded:
        return remote
    # Fewer entries than proxies: the request skipped one; the first is the farthest known.
    candidate = forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def over_budget(key: str, budget: int, window_seconds: int) -> bool:
    """Count one use of `key` in the current window; True once more than `budget` were used.

    Counted in the shared store of `core.limits`, never in the cache: no caller
    can push a counter out, and every process adds to the same one.
    """
    if not budget:
        return False
    window_start = int(time.time() // window_seconds) * window_seconds
    return limits.hit(key, window_start, window_seconds) > budget


def retry_after(window_seconds: int) -> str:
    """Seconds until the current rate-limit window ends, for a Retry-After header."""
    return str(window_seconds - int(time.time()) % window_seconds)


def rate_limited(request: HttpRequest) -> HttpResponse | None:
    """A 429 when this client passed its requests-per-minute budget, else None.

    A kiosk (recognised by its token in `kiosks.middleware`) has a budget of
    its own; everyone else is counted by address.
    """
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


def strong_etag(body: bytes) -> str:
    """A strong validator: the same bytes, the same tag."""
    return '"' + hashlib.sha1(body, usedforsecurity=False).hexdigest() + '"'


def not_modified(request: HttpRequest, etag: str, last_modified: int | None = None) -> bool:
    """Whether the client's copy is current, by `If-None-Match` (or else `If-Modified-Since`).

    `If-None-Match` compares weakly (RFC 9110 13.1.2), so a tag a compressing
    proxy marked `W/` still earns a 304. `If-Modified-Since` counts only when
    `last_modified` is given: where the body changes without the time
    changing, the time is no validator.
    """
    header = request.META.get("HTTP_IF_NONE_MATCH")
    if header:
        tags = {tag.removeprefix("W/") for tag in parse_etags(header)}
        return "*" in tags or etag.removeprefix("W/") in tags
    if last_modified is None:
        return False
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    return since is not None and last_modified <= since


@dataclass(frozen=True)
class Answer:
    """A rendered 200, as kept in the cache and sent again."""

    body: bytes
    content_type: str
    cache_control: str
    etag: str
    last_modified: int | None = None  # seconds since the epoch


def answer_of(response: HttpResponse, *, last_modified: datetime | None = None) -> Answer:
    """The parts of a view's 200 that are sent again: body, type, Cache-Control, validators."""
    body = response.content
    stamp = parse_http_date_safe(response.get("Last-Modified", ""))
    if stamp is None and last_modified is not None:
        stamp = int(last_modified.timestamp())
    return Answer(
        body=body,
        content_type=response["Content-Type"],
        cache_control=response.get("Cache-Control", DEFAULT_CACHE_CONTROL),
        etag=strong_etag(body),
        last_modified=stamp,
    )


def answer_send(
    request: HttpRequest, answer: Answer, *, status: int = 200, modified_since: bool = False
) -> HttpResponse:
    """The answer, or a bodyless 304 with the same validators when the client's copy is current.

    Only a 200 earns a 304: an error page is sent whole every time.
    """
    validator = answer.last_modified if modified_since else None
    if status == 200 and not_modified(request, answer.etag, validator):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(answer.body, content_type=answer.content_type, status=status)
    response["ETag"] = answer.etag
    if answer.last_modified is not None:
        response["Last-Modified"] = http_date(answer.last_modified)
    response["Cache-Control"] = answer.cache_control
    return response


def _cache_key(request: HttpRequest, *parts: object) -> str:
    joined = "|".join(str(part) for part in (*parts, request.get_full_path()))
    return "http:" + hashlib.sha1(joined.encode(), usedforsecurity=False).hexdigest()


def http_get(
    view: Callable[..., HttpResponse],
    *,
    version: Version | None = None,
    version_time: VersionTime | None = None,
    cached: bool = True,
    per_minute: bool = False,
    authenticate: Authenticate | None = None,
    modified_since: bool = False,
    vary: tuple[str, ...] = ("Accept-Encoding",),
) -> Callable[..., HttpResponse]:
    """Wrap a read view: budget, authentication, then the server cache, with validators.

    With `version`, answers are cached (unless `cached=False`) under every
    parameter and the version, and carry its `version_time` as Last-Modified.
    `per_minute=True` is for answers that depend on the clock ("this week's
    events"): cached within the current minute only. With `authenticate`,
    the check runs before the cache is read, answers are cached per client
    it names, and `Cache-Control` turns private: a shared cache never holds
    them. `modified_since=True` honours `If-Modified-Since` where the view's
    `Last-Modified` changes whenever its body does. A view may raise
    `ApiError`; other methods than GET and HEAD pass through untouched.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        if limited := rate_limited(request):
            return limited
        try:
            whose = authenticate(request) if authenticate else ""
        except ApiError as error:
            return error.response()
        current = version() if version else None
        use_cache = version is not None and cached and settings.LINLI_API_CACHE
        minute = int(time.time() // 60) if per_minute else ""
        key = _cache_key(request, current, whose, minute)
        answer = cache.get(key) if use_cache else None
        if answer is None:
            try:
                response = view(request, *args, **kwargs)
            except ApiError as error:
                return error.response()
            if response.status_code != 200 or response.streaming:
                return response
            changed = version_time(current) if version_time else None
            answer = answer_of(response, last_modified=changed)
            if authenticate and answer.cache_control.startswith("public"):
                private = answer.cache_control.replace("public", "private", 1)
                answer = replace(answer, cache_control=private)
            if use_cache:
                timeout = 60 if per_minute else settings.LINLI_API_CACHE_SECONDS
                cache.set(key, answer, timeout=timeout)
        response = answer_send(request, answer, modified_since=modified_since)
        patch_vary_headers(response, vary)
        return response

    return wrapped
