"""Wagtail's own API v2 held to the rules of ours: JSON only, errors in the one shape, no 500s.

Mixed into Wagtail's viewsets in `config/api_wagtail.py`.
"""

from django.http import Http404

from wagtail.api.v2.utils import BadRequestError

from rest_framework.renderers import JSONRenderer

from api.errors import not_found
from core.errors import ApiError, error_response
from core.params import INT_MAX


def _whole_number(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:  # not a number, or more digits than Python converts
        return None


class StrictWagtailAPI:
    """What Wagtail's viewsets answer, in our dialect.

    Wagtail reads several parameters with `int()` (`offset`, `limit`,
    `child_of`, `descendant_of`, field filters such as `?depth=`) and hands
    the number to the database, which refuses one past a 64-bit integer with
    a server error; here any such number is a 400 naming the parameter first.
    """

    renderer_classes = [JSONRenderer]  # no browsable HTML API

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        for name, value in request.GET.items():
            number = _whole_number(value)
            if number is not None and not -INT_MAX <= number <= INT_MAX:
                raise ApiError(
                    "invalid_number",
                    f"'{name}' must be a whole number up to {INT_MAX}.",
                    field=name,
                )
        finding = self.action == "find_view" and "id" in request.GET
        if finding and _whole_number(request.GET["id"]) is None:
            raise ApiError("invalid_number", "'id' must be a whole number.", field="id")
        if kwargs.get("pk", 0) > INT_MAX:
            raise Http404

    def handle_exception(self, exc):
        if isinstance(exc, Http404):
            return not_found(self.request.path)
        if isinstance(exc, BadRequestError):
            return error_response("invalid_parameter", str(exc))
        return super().handle_exception(exc)
