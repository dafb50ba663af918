"""The answer to a sign-in while the account is locked at the client's address (django-axes)."""

from django.http import HttpRequest, HttpResponse

from accounts.forms import lockout_message


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The login page as the view drew it, its error naming the lock, answered 429.

    The login form already explains the lock (`LoginForm.get_invalid_login_error`);
    anything else that tried to sign in gets the same words as plain text.
    """
    if original_response is not None and "text/html" in original_response.get("Content-Type", ""):
        original_response.status_code = 429
        return original_response
    return HttpResponse(lockout_message(), status=429, content_type="text/plain; charset=utf-8")
