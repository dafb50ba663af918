"""The kiosk's shell and service worker as the browser receives them."""

import json
import os
import re

from django.contrib.staticfiles import finders

import pytest

pytestmark = pytest.mark.django_db


def test_the_shell_carries_its_configuration(client, settings):
    settings.LINLI_KIOSK_IDLE_SECONDS = 45
    response = client.get("/kiosk/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-cache"
    page = response.content.decode()
    config = json.loads(
        re.search(r'id="kiosk-config" type="application/json">(.*?)</script>', page)[1]
    )
    assert config["api"] == "/api/v1/"
    assert config["idle_seconds"] == 45
    assert config["service_worker"] == "/kiosk/sw.js"
    assert config["scope"] == "/kiosk/"
    assert 'type="module" src="/static/kiosk/app.js"' in page


def worker_version(client) -> str:
    return re.search(
        r'const CACHE = "linli-kiosk-(\w+)"', client.get("/kiosk/sw.js").content.decode()
    )[1]


def test_the_service_worker_keeps_the_app(client):
    response = client.get("/kiosk/sw.js")
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"  # browsers check for a new worker each start
    body = response.content.decode()
    assert '"/static/kiosk/app.js"' in body and '"/static/kiosk/vendor/qrcode.mjs"' in body


def test_editing_a_file_gives_a_new_worker_even_without_hashed_names(client, settings):
    settings.DEBUG = True
    app = finders.find("kiosk/app.js")
    stat = os.stat(app)
    before = worker_version(client)
    os.utime(app, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    try:
        assert worker_version(client) != before
    finally:
        os.utime(app, ns=(stat.st_atime_ns, stat.st_mtime_ns))
