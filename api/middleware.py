"""Every error under /api/ is the JSON error of `core.errors`, whoever answered it.

The views answer their own errors in that shape; what reaches a client
without passing through them (an unknown path, a server fault, Django's or
a library's page, Wagtail's `{"message": …}`) is reshaped here, keeping
the status and the headers a client acts on.
"""

import json

from django.http import HttpRequest, HttpResponse

from api.errors import not_found
from core.errors import error_response

PREFIX = "/api/"

# The stable code of an error a view did not word itself, by status.
CODES = {
    400: ("bad_request", "The request could not be read."),
    401: ("not_authenticated", "Authentication is needed."),
    403: ("permission_denied", "This is not allowed."),
    404: ("not_found", "Not found."),
    405: ("method_not_allowed", "This method is not allowed here."),
    406: ("not_acceptable", "This endpoint answers application/json only."),
    413: ("too_large", "The request is too large."),
    415: ("unsupported_media_type", "Send the body as application/json."),
    429: ("rate_limited", "Too many requests; wait and try again."),
    500: ("server_error", "Something went wrong on the server; it has been logged."),
}
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Content-Language", "Vary")


def _is_error_body(response: HttpResponse) -> bool:
    """Whether the body already is `{"error": {"code", "field", "message"}}` with a message."""
    if response.streaming or not response.get("Content-Type", "").startswith("application/json"):
        return False
    try:
        error = json.loads(response.content)["error"]
        return isinstance(error["code"], str) and bool(error["message"]) and "field" in error
    except (ValueError, TypeError, KeyError):
        return False


def _former_message(response: HttpResponse) -> str:
    """What a library's JSON error said (Wagtail: `message`, DRF: `detail`), if anything."""
    if response.streaming or not response.get("Content-Type", "").startswith("application/json"):
        return ""
    try:
        body = json.loads(response.content)
    except ValueError:
        return ""
    said = body.get("message") or body.get("detail") if isinstance(body, dict) else ""
    return said if isinstance(said, str) else ""


class ApiErrorsAsJsonMiddleware:
    """Reshapes every error answer under /api/ into the one JSON error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(PREFIX) or response.status_code < 400:
            return response
        if _is_error_body(response):
            return response
        if response.status_code == 404 and not _former_message(response):
            reshaped = not_found(request.path)
        else:
            code, message = CODES.get(response.status_code, ("error", "The request failed."))
            if response.status_code < 500:
                message = _former_message(response) or message
            reshaped = error_response(code, message, status=response.status_code)
        for header in KEPT_HEADERS:
            if header in response:
                reshaped[header] = response[header]
        return reshaped
