"""Production: refuses to start without a secret key and allowed hosts."""

from django.core.exceptions import ImproperlyConfigured

from cryptography.fernet import Fernet

from config.env import env_bool, env_int, env_list, env_str

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters "
        '(python -c "import secrets; print(secrets.token_urlsafe(64))").'
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the host names the hub answers to.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# An SMS provider without its credentials would fail every message: fail at start-up instead.
_SMS_CREDENTIALS = {
    "aliyun": ("LINLI_SMS_ALIYUN_ACCESS_KEY_ID", "LINLI_SMS_ALIYUN_ACCESS_KEY_SECRET"),
    "tencent": (
        "LINLI_SMS_TENCENT_SECRET_ID",
        "LINLI_SMS_TENCENT_SECRET_KEY",
        "LINLI_SMS_TENCENT_SDK_APP_ID",
    ),
}
_missing = [name for name in _SMS_CREDENTIALS.get(LINLI_SMS_PROVIDER, ()) if not globals()[name]]
if _missing:
    raise ImproperlyConfigured(
        f"LINLI_SMS_PROVIDER={LINLI_SMS_PROVIDER} needs {', '.join(_missing)}."
    )
_VOICE_CREDENTIALS = {
    "aliyun": ("LINLI_VOICE_ALIYUN_ACCESS_KEY_ID", "LINLI_VOICE_ALIYUN_ACCESS_KEY_SECRET"),
    "tencent": (
        "LINLI_VOICE_TENCENT_SECRET_ID",
        "LINLI_VOICE_TENCENT_SECRET_KEY",
        "LINLI_VOICE_TENCENT_SDK_APP_ID",
    ),
}
_missing = [
    name for name in _VOICE_CREDENTIALS.get(LINLI_VOICE_PROVIDER, ()) if not globals()[name]
]
if _missing:
    raise ImproperlyConfigured(
        f"LINLI_VOICE_PROVIDER={LINLI_VOICE_PROVIDER} needs {', '.join(_missing)}."
    )

# Phone numbers and openids are encrypted at rest: with a key of their own, not one derived
# from SECRET_KEY (which rotates for other reasons and would make them unreadable).
LINLI_ADDRESS_KEY = env_str("LINLI_ADDRESS_KEY", "")
_address_keys = [LINLI_ADDRESS_KEY, *LINLI_ADDRESS_OLD_KEYS]
try:
    for _key in _address_keys:
        Fernet(_key)
except (ValueError, TypeError):
    raise ImproperlyConfigured(
        'LINLI_ADDRESS_KEY must be set to a Fernet key (python -c "from cryptography.fernet '
        'import Fernet; print(Fernet.generate_key().decode())"), and each of '
        "LINLI_ADDRESS_OLD_KEYS must be one too."
    ) from None

# The same for WeChat: sending needs the app and the template, events need the Token.
if LINLI_WECHAT_PROVIDER == "wechat":
    _missing = [
        name
        for name in (
            "LINLI_WECHAT_APP_ID",
            "LINLI_WECHAT_APP_SECRET",
            "LINLI_WECHAT_TOKEN",
            "LINLI_WECHAT_TEMPLATE_ID",
        )
        if not globals()[name]
    ]
    if _missing:
        raise ImproperlyConfigured(f"LINLI_WECHAT_PROVIDER=wechat needs {', '.join(_missing)}.")

# Administrators and reviewers sign in with a password and a code from their phone.
LINLI_TWO_FACTOR_REQUIRED = True
# The browsers' policy, as production sends it (docs/deployment.md#security).
CONTENT_SECURITY_POLICY = LINLI_CONTENT_SECURITY_POLICY
