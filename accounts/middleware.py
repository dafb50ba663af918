"""Keeps a password-only session out of the admin until its two-step code is typed."""

from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse

from accounts.twofactor import two_factor_enrolled, verification_due

# Reachable before the code: signing in and out, the two-step pages, and what they load.
OPEN_BEFORE_VERIFICATION = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    "accounts_two_factor_verify",
    "accounts_two_factor_enrol",
}


class TwoFactorMiddleware:
    """Sends a signed-in person who owes a code to the code page (or to enrol first).

    Installed after django-otp's OTPMiddleware, which tells whether this
    session has typed a code. Outside the admin such a session counts as
    nobody signed in, so a password alone opens nothing anywhere (documents
    kept for editors included).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and match.url_name in OPEN_BEFORE_VERIFICATION:
            return None
        if not verification_due(request.user):
            return None
        if not request.path_info.startswith(reverse("wagtailadmin_home")):
            request.user = AnonymousUser()
            return None
        step = "accounts_two_factor_verify"
        if not two_factor_enrolled(request.user):
            step = "accounts_two_factor_enrol"
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return redirect(f"{reverse(step)}?{query}" if query else reverse(step))
