"""Views that belong to no domain."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. Touches no database, so it is the benchmark ceiling."""
    return HttpResponse("ok", content_type="text/plain")
