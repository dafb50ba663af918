"""Tests: fast hashing, in-memory mail, tasks run at once in the calling process."""

from config.env import env_str

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run at once in the calling process, unless a test's worker process
# is told otherwise with TASKS_BACKEND (database or redis).
if not env_str("TASKS_BACKEND", ""):
    TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": TASK_QUEUES,
        }
    }
LINLI_PUSH_ALLOW_PRIVATE_ENDPOINTS = True
LINLI_PUBLIC_URL = "http://testserver"
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
