"""Settings shared by every environment; environment variables come through config.env."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

import dj_database_url

from config.env import env_bool, env_int, env_list, env_str

from .security import *  # noqa: F403  (sign-in, two-step verification, browser policies)

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(env_str("LINLI_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "core",
    "library",
    "accounts",
    "home",
    "services",
    "notices",
    "events",
    "search",
    "items",
    "feeds",
    "kiosks",
    "subscriptions",
    "feedback",
    "front",
    "demo",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.redirects",
    "wagtail.api.v2",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "corsheaders",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # Inside CORS, so reshaped errors still carry its headers.
    "api.middleware.ApiErrorsAsJsonMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.AtomicAdminWritesMiddleware",
    "kiosks.middleware.KioskTokenMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "site" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: SQLite in var/ unless DATABASE_URL names another engine.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the worker writes; the busy timeout
    # makes a writer wait for the other instead of failing with "locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compiles queries the planner thinks are big (search's ranking over
    # two million postings) and costs more than the whole query takes.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory unless REDIS_URL is set.
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "linli"),
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work: the database queue run by `manage.py db_worker`, or Redis
# (RQ, run by `manage.py rqworker --job-class django_tasks_rq.Job`) when
# REDIS_URL is set; TASKS_BACKEND=database|redis chooses explicitly.
# Push work (fan-out, sending, confirmations) has a queue of its own, so push
# workers can run apart: indexing bursts never hold messages back, and a push
# worker never loads the search dictionaries.
TASK_QUEUES = ["default", "push"]
TASKS_BACKEND = env_str("TASKS_BACKEND", "redis" if REDIS_URL else "database")
if TASKS_BACKEND == "redis":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {
        name: {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 900}
        for name in TASK_QUEUES
    }
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": TASK_QUEUES}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language and time: the admin speaks simplified Chinese; times are Beijing time.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文"),
    ("en", "English"),
]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# Static files are served by whitenoise, media from var/media.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "site" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "core.storage.StaticStorage"},
}

# Outgoing mail: Django's standard names.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "邻里 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Wagtail
WAGTAIL_SITE_NAME = env_str("WAGTAIL_SITE_NAME", "邻里 · 社区服务信息中心")
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Search: our backend (search/backend.py) understands Chinese, traditional script
# and pinyin on SQLite and PostgreSQL alike; docs/search.md has the details.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backend"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "odt", "ods", "txt", "jpg", "png"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Every document goes through /documents/<id>/<name> (never straight from storage), where
# library/wagtail_hooks.py serves it to the public only once a live page uses it.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "library.forms.DocumentForm"
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"
WAGTAILADMIN_COMMENTS_ENABLED = True
WAGTAILADMIN_USER_LOGIN_FORM = "accounts.forms.LoginForm"
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_MODERATION_ENABLED = True
WAGTAILEMBEDS_RESPONSIVE_HTML = True
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
# Traditional Chinese for zh-hant readers: "tw" (Taiwan characters and phrasing),
# "hk" (Hong Kong characters) or "t" (OpenCC standard characters).
LINLI_TRADITIONAL_VARIANT = env_str("LINLI_TRADITIONAL_VARIANT", "tw")
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
    "CLASS": "search.translator.OpenCCTranslator",
    "OPTIONS": {"VARIANT": LINLI_TRADITIONAL_VARIANT},
}

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiSchema",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.JsonNegotiation",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "邻里 Linli API",
    "DESCRIPTION": (
        "Services, notices and events of the street office for kiosks and phone apps, "
        "with an offline-safe change feed, search, and subscriptions to push and email. "
        "See docs/api.md."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    # No badge from the public validator: the page loads nothing from other hosts.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVERS": [{"url": "/api/v1", "description": "this hub"}],
    # One name for a choice set used by several fields (`locale` and `locales`).
    "ENUM_NAME_OVERRIDES": {
        "LocaleEnum": "subscriptions.models.LOCALES",
        "FrequencyEnum": "subscriptions.models.Frequency",
        "RelationshipEnum": "subscriptions.models.Relationship",
        "RatingReasonEnum": "feedback.models.RatingReason",
        "CorrectionReasonEnum": "feedback.models.CorrectionReason",
    },
    # The subscription API has no accounts: the manage token given at sign-up is the key.
    "APPEND_COMPONENTS": {
        "securitySchemes": {
            "manageToken": {
                "type": "http",
                "scheme": "bearer",
                "description": "the `manage_token` returned by POST /subscriptions/",
            },
            "kioskToken": {
                "type": "http",
                "scheme": "bearer",
                "description": "a hall kiosk's token, shown once by `manage.py kiosk_create`",
            },
        }
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.strict_nullable",
    ],
    # Our schema is checked by `make schema` and a test against docs/openapi.yaml;
    # the deploy check would walk every DRF view, Wagtail's admin API included.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
}

# How often the scheduler process runs each periodic job, in seconds.
LINLI_SCHEDULE = {
    "publish_scheduled": env_int("LINLI_PUBLISH_SCHEDULED_EVERY", 60),
    "feed_sweep": env_int("LINLI_FEED_SWEEP_EVERY", 10),
    "feed_prune": 3600,
    "push_sweep": env_int("LINLI_PUSH_SWEEP_EVERY", 10),
    "subscriptions_prune": 3600,
    "subscriptions_reconfirm": 3600,
    "rate_counters_prune": 600,
    "feedback_sweep": env_int("LINLI_FEEDBACK_SWEEP_EVERY", 3600),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Every page save logs a line and runs two small tasks; keep them out of the console.
        "wagtail": {"level": env_str("WAGTAIL_LOG_LEVEL", "WARNING")},
        "django_tasks": {"level": env_str("TASKS_LOG_LEVEL", "WARNING")},
        # Failed sign-ins and locks are warnings; its start-up banner is not news.
        "axes": {"level": "WARNING"},
    },
}

SITE_LABEL = _("邻里")

# Events stay in lists and the change feed this many days after they end.
LINLI_PAST_EVENTS_DAYS = env_int("LINLI_PAST_EVENTS_DAYS", 90)
# Changes older than this are pruned; a kiosk offline for longer resyncs from a snapshot.
LINLI_FEED_RETENTION_DAYS = env_int("LINLI_FEED_RETENTION_DAYS", 30)

# API: server-side response cache, client reuse and rate limits (requests per minute).
LINLI_API_CACHE = env_bool("LINLI_API_CACHE", True)
LINLI_API_CACHE_SECONDS = env_int("LINLI_API_CACHE_SECONDS", 600)
LINLI_API_ANON_RATE = env_int("LINLI_API_ANON_RATE", 1200)
LINLI_API_KIOSK_RATE = env_int("LINLI_API_KIOSK_RATE", 12000)
# How many proxies of ours stand in front of the hub, each appending to X-Forwarded-For
# (docs/deployment.md, "Proxies"); 0 means the connecting address is the client's.
# LINLI_TRUST_X_FORWARDED_FOR=true, the older name, means one.
LINLI_TRUSTED_PROXIES = env_int(
    "LINLI_TRUSTED_PROXIES", 1 if env_bool("LINLI_TRUST_X_FORWARDED_FOR", False) else 0
)
# Where rate-limit counters live: "database" or "redis" (docs/deployment.md, "Counters").
LINLI_RATE_COUNTERS = env_str("LINLI_RATE_COUNTERS", "redis" if REDIS_URL else "database")
LINLI_RATE_REDIS_URL = env_str("LINLI_RATE_REDIS_URL", REDIS_URL or "redis://127.0.0.1:6379/0")
# How often kiosks and apps should poll the change feed (told to them in every feed answer).
LINLI_FEED_POLL_SECONDS = env_int("LINLI_FEED_POLL_SECONDS", 30)
# A hall kiosk returns to its home screen after this long without a touch.
LINLI_KIOSK_IDLE_SECONDS = env_int("LINLI_KIOSK_IDLE_SECONDS", 90)

# Browsers may call the API and feeds from these origins (residents' web apps,
# kiosk shells served elsewhere). Native apps and kiosks need no CORS.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/(api|feeds)/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PATCH", "DELETE"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After"]
CORS_PREFLIGHT_MAX_AGE = 86400

# Push: subscriptions, web push, email and webhooks (docs/push.md).
# Links in messages point here; the admin's address unless set.
LINLI_PUBLIC_URL = env_str("LINLI_PUBLIC_URL", WAGTAILADMIN_BASE_URL)
# Wagtail's API v2 writes its absolute URLs (detail_url, html_url, find/) on this host,
# not on the Site record's (which a fresh installation leaves at http://localhost).
WAGTAILAPI_BASE_URL = LINLI_PUBLIC_URL
LINLI_VAPID_PRIVATE_KEY = env_str("LINLI_VAPID_PRIVATE_KEY", "")
LINLI_VAPID_PUBLIC_KEY = env_str("LINLI_VAPID_PUBLIC_KEY", "")
LINLI_VAPID_KEY_FILE = env_str("LINLI_VAPID_KEY_FILE", str(VAR_DIR / "vapid.json"))
LINLI_VAPID_SUBJECT = env_str("LINLI_VAPID_SUBJECT", "mailto:noreply@localhost")
# Senders reach public addresses only, and these internal hosts (names, addresses,
# networks such as 10.0.5.0/24). Residents write push endpoints: list none in production.
LINLI_PUSH_INTERNAL_HOSTS = env_list("LINLI_PUSH_INTERNAL_HOSTS")
# A gateway inside the office network is listed here by an administrator.
LINLI_WEBHOOK_INTERNAL_HOSTS = env_list("LINLI_WEBHOOK_INTERNAL_HOSTS")
LINLI_PUSH_PLAN_BATCH = env_int("LINLI_PUSH_PLAN_BATCH", 5000)
LINLI_PUSH_SEND_BATCH = env_int("LINLI_PUSH_SEND_BATCH", 200)
LINLI_PUSH_SWEEP_TASKS = env_int("LINLI_PUSH_SWEEP_TASKS", 50)
LINLI_PUSH_LEASE_SECONDS = env_int("LINLI_PUSH_LEASE_SECONDS", 300)
LINLI_PUSH_TIMEOUT = env_int("LINLI_PUSH_TIMEOUT", 10)
LINLI_PUSH_RETRY_BASE_SECONDS = env_int("LINLI_PUSH_RETRY_BASE_SECONDS", 30)
LINLI_PUSH_RETRY_CAP_SECONDS = env_int("LINLI_PUSH_RETRY_CAP_SECONDS", 7200)
LINLI_PUSH_RETRY_HOURS = env_int("LINLI_PUSH_RETRY_HOURS", 24)
# Messages per second per worker process and channel; 0 means no limit.
LINLI_PUSH_RATES = {
    "webpush": env_int("LINLI_PUSH_RATE_WEBPUSH", 0),
    "email": env_int("LINLI_PUSH_RATE_EMAIL", 0),
    "webhook": env_int("LINLI_PUSH_RATE_WEBHOOK", 0),
    "sms": env_int("LINLI_PUSH_RATE_SMS", 0),
    "voice": env_int("LINLI_PUSH_RATE_VOICE", 0),
    "wechat": env_int("LINLI_PUSH_RATE_WECHAT", 0),
}
LINLI_DIGEST_HOUR = env_int("LINLI_DIGEST_HOUR", 8)
LINLI_DIGEST_WINDOW_HOURS = env_int("LINLI_DIGEST_WINDOW_HOURS", 4)
# Sign-ups per hour: per client address and per email address.
LINLI_SUBSCRIBE_RATE_IP = env_int("LINLI_SUBSCRIBE_RATE_IP", 20)
LINLI_SUBSCRIBE_RATE_ADDRESS = env_int("LINLI_SUBSCRIBE_RATE_ADDRESS", 3)
# Phone verification: codes sent per hour per number (at most one a minute besides),
# and code checks per hour per client address.
# Ratings and corrections (docs/feedback.md): a bad rating's case is due this many
# working days later; a service shows its 满意率 from this many ratings in 12 months.
LINLI_RECTIFY_WORKING_DAYS = env_int("LINLI_RECTIFY_WORKING_DAYS", 5)
LINLI_RATINGS_MIN_PUBLIC = env_int("LINLI_RATINGS_MIN_PUBLIC", 5)
# Ratings of one service from one client address a day (residents at one window share
# the hall's address), and ratings plus corrections from one address an hour.
LINLI_RATINGS_PER_ADDRESS = env_int("LINLI_RATINGS_PER_ADDRESS", 30)
LINLI_FEEDBACK_RATE_IP = env_int("LINLI_FEEDBACK_RATE_IP", 60)

LINLI_PHONE_CODE_RATE = env_int("LINLI_PHONE_CODE_RATE", 5)
LINLI_PHONE_CONFIRM_RATE_IP = env_int("LINLI_PHONE_CONFIRM_RATE_IP", 30)

# Texts, calls, WeChat, the outbox, encrypted addresses and fallback (docs/push.md).
from .reach import *  # noqa: E402, F403

# Where the outbox writes (one folder per channel), and what comes before a short
# link's code, as registered in the SMS templates.
LINLI_OUTBOX_DIR = env_str("LINLI_OUTBOX_DIR", str(VAR_DIR / "outbox"))
LINLI_SMS_LINK_BASE = env_str("LINLI_SMS_LINK_BASE", LINLI_PUBLIC_URL.rstrip("/") + "/s/")
