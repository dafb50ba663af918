"""WSGI entry point (gunicorn config.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()

# Every search needs the segmentation dictionaries (about 120 MB): load them
# now, before gunicorn forks when it runs with --preload, so the web workers
# share their pages instead of each loading a copy on its first search.
from search import analysis  # noqa: E402

analysis.load()
