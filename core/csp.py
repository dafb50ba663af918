"""Content-Security-Policy: the public pages' strict policy, and the looser one Wagtail's admin needs."""

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from csp.middleware import CSPMiddleware, PolicyParts

ADMIN_PREFIX = "/admin/"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, answering admin pages with `LINLI_ADMIN_CONTENT_SECURITY_POLICY`.

    Wagtail 8's admin still writes inline scripts (date pickers, inline
    panels), which a nonce cannot reach; the pages residents, kiosks and API
    readers see keep the strict `CONTENT_SECURITY_POLICY`. A page previewed in
    the editor is rendered by a request of its own (Wagtail's dummy request, at
    the page's public path): it keeps the public policy, but the admin may frame
    it. With `CONTENT_SECURITY_POLICY` off (None), no page gets a policy.
    """

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only or parts.config is not None or not settings.CONTENT_SECURITY_POLICY:
            return parts
        if request.path_info.startswith(ADMIN_PREFIX):
            parts.config = settings.LINLI_ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        elif getattr(request, "is_dummy", False):
            parts.replace = {**(parts.replace or {}), "frame-ancestors": ["'self'"]}
        return parts
