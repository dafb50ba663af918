"""The kiosk front end: one HTML shell; everything it shows comes from /api/v1/."""

import hashlib
import json
import os

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse

# The app's files, precached by the service worker so the kiosk starts without the network.
ASSETS = [
    "kiosk/kiosk.css",
    "kiosk/app.js",
    "kiosk/i18n.js",
    "kiosk/catalog.js",
    "kiosk/store.js",
    "kiosk/sync.js",
    "kiosk/time.js",
    "kiosk/views.js",
    "kiosk/vendor/qrcode.mjs",
]
CLIENT_VERSION = "1.0.0"


def asset_urls() -> list[str]:
    return [static(name) for name in ASSETS]


def app(request: HttpRequest) -> HttpResponse:
    config = {
        "api": "/api/v1/",
        "version": CLIENT_VERSION,
        "idle_seconds": settings.LINLI_KIOSK_IDLE_SECONDS,
        "public_url": settings.LINLI_PUBLIC_URL.rstrip("/"),
        "service_worker": reverse("kiosk:service-worker"),
        "scope": reverse("kiosk:app"),
    }
    response = render(request, "kiosk/index.html", {"config": config})
    response["Cache-Control"] = "no-cache"
    return response


def assets_version(assets: list[str]) -> str:
    """Changes whenever a file changes, so browsers install the new worker and drop the old cache.

    Hashed names (production) change with their contents; under DEBUG the files
    keep their names, so their modification times count too.
    """
    parts = [CLIENT_VERSION, *assets]
    if settings.DEBUG:
        for name in ASSETS:
            found = finders.find(name)
            parts.append(str(os.stat(found).st_mtime_ns) if found else name)
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]


def service_worker(request: HttpRequest) -> HttpResponse:
    assets = asset_urls()
    version = assets_version(assets)
    response = render(
        request,
        "kiosk/sw.js",
        {"version": version, "shell": reverse("kiosk:app"), "assets": json.dumps(assets)},
        content_type="text/javascript",
    )
    response["Cache-Control"] = "no-cache"
    return response
