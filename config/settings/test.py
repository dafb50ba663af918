"""Tests: fast hashing, in-memory mail, tasks run at once in the calling process."""

import tempfile
from pathlib import Path

from config.env import env_str

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tasks run at once in the calling process and mail is kept in memory, unless
# a test's worker process is told otherwise with TASKS_BACKEND (database or
# redis); its mail then goes where the test says (EMAIL_BACKEND, EMAIL_HOST …).
if not env_str("TASKS_BACKEND", ""):
    TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": TASK_QUEUES,
        }
    }
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The tests' push service and gateways listen on loopback.
LINLI_PUSH_INTERNAL_HOSTS = ["127.0.0.1"]
LINLI_WEBHOOK_INTERNAL_HOSTS = ["127.0.0.1"]
LINLI_PUBLIC_URL = "http://testserver"
WAGTAILAPI_BASE_URL = LINLI_PUBLIC_URL
# Text messages a test sends without its own outbox never land in the checkout's var/.
LINLI_OUTBOX_DIR = str(Path(tempfile.gettempdir()) / "linli-test-outbox")
# A key pair for tests only: push receivers in the tests check signatures made with it.
LINLI_VAPID_PRIVATE_KEY = "GhkU12ZGNRvW6H-nj2fINKCsdwQYY_QGkj4ElmeuZnk"
LINLI_VAPID_PUBLIC_KEY = (
    "BGp5cfWULZd-tx8nc7I-x-dtoN89o3ieOy7Vkfp74Oed-6yiwPl0m-sF9qYMk3A69zg71i4DdQXp_rZFSZot3sU"
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
# Serve static files straight from the app folders; tests never run collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# The browsers' policy, as production sends it (docs/deployment.md#security).
CONTENT_SECURITY_POLICY = LINLI_CONTENT_SECURITY_POLICY
