"""Staff sign-in and what browsers are allowed: the lock after wrong passwords, two-step verification,
the Content-Security-Policy and the Permissions-Policy (docs/deployment.md#security). Read by base.py.
"""

from datetime import timedelta

from config.env import env_bool, env_int

# Admin sign-in (docs/deployment.md#security): wrong passwords lock an account
# at the address they come from, for a while or until `manage.py
# axes_reset_username` (django-axes, counted in the database, so every process
# sees the same count). Per account and address: a lock per account alone
# would let anyone lock an editor out.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LINLI_LOGIN_FAILURE_LIMIT", 5)
_LOCKOUT_MINUTES = env_int("LINLI_LOGIN_LOCKOUT_MINUTES", 60)
AXES_COOLOFF_TIME = timedelta(minutes=_LOCKOUT_MINUTES) if _LOCKOUT_MINUTES else None
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.http.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_ENABLE_ADMIN = False
# Two-step verification (TOTP, django-otp): required of those who hold
# accounts.require_two_factor (superusers, the street's reviewers) when this is
# on, as it always is in production; anyone may enrol in the admin
# (帐号 → 更多动作 → 两步验证) and is then asked for the code.
LINLI_TWO_FACTOR_REQUIRED = env_bool("LINLI_TWO_FACTOR_REQUIRED", False)
OTP_TOTP_ISSUER = "邻里"

# What browsers may load and use (docs/deployment.md#security). The public
# pages (phone pages, subscribe page, kiosk, Swagger UI) load only our own
# files: no inline script or style. Wagtail's admin needs inline scripts and
# styles, blob: images (upload previews) and to frame its own previews.
# On in production and tests (the browser tests fail on any violation);
# LINLI_CSP=true turns it on in `make run`.
LINLI_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
LINLI_ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **LINLI_CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "frame-src": ["'self'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
CONTENT_SECURITY_POLICY = LINLI_CONTENT_SECURITY_POLICY if env_bool("LINLI_CSP", False) else None
# Powerful browser features nobody here uses are off, for our pages and anything they embed;
# copying a page's link (the phone pages) stays on for our own origin, and so
# does sharing it (web-share, 'self' by default: desktop Chromium does not know the name).
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "browsing-topics": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "hid": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "serial": [],
    "usb": [],
    "xr-spatial-tracking": [],
    "clipboard-write": ["self"],
    "fullscreen": ["self"],
}

# No calls from editors' browsers to other hosts (the admin's CSP allows none):
# no Gravatar avatars (initials instead), no check for new Wagtail releases.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
