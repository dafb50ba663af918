"""Wagtail's own API v2 held to the rules of ours: JSON only, errors in the one shape, no 500s.

Mixed into Wagtail's viewsets in `config/api_wagtail.py`.
"""

from django.core.exceptions import ValidationError
from django.http import Http404

from wagtail.api.v2.utils import BadRequestError

from rest_framework.renderers import JSONRenderer

from api.errors import not_found
from core.errors import ApiError, error_response
from core.params import INT_MAX, valid_text

SEARCH_OPERATORS = {"and", "or"}


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
    a server error; here any such number is a 400 naming the parameter first,
    and so is text with NUL (PostgreSQL refuses it) and a search operator the
    search backend does not know. A field filter's value the field cannot
    hold (`?first_published_at=abc`) is a 400 too.
    """

    renderer_classes = [JSONRenderer]  # no browsable HTML API

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        for name, value in request.GET.items():
            if not (valid_text(name) and valid_text(value)):
                raise ApiError(
                    "invalid_text", f"'{name[:40]}' may not hold a NUL character.", field=name
                )
            number = _whole_number(value)
            if number is not None and not -INT_MAX <= number <= INT_MAX:
                raise ApiError(
                    "invalid_number",
                    f"'{name}' must be a whole number up to {INT_MAX}.",
                    field=name,
                )
        if request.GET.get("search_operator", "and") not in SEARCH_OPERATORS:
            raise ApiError(
                "invalid_choice",
                "'search_operator' must be 'and' or 'or'.",
                field="search_operator",
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
        if isinstance(exc, ValidationError):  # a filter value its field cannot hold
            return error_response("invalid_parameter", " ".join(exc.messages))
        return super().handle_exception(exc)
