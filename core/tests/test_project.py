"""The project as an operator and an editor first meet it."""

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

import pytest
from cryptography.fernet import Fernet

from config.env import env_bool, env_int, env_list
from core.testing import published
from notices.factories import NoticePageFactory

ROOT = Path(settings.BASE_DIR)


def test_healthz_answers_without_the_database(db, client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"


def test_the_admin_speaks_simplified_chinese_by_default(db, client):
    response = client.get("/admin/login/")

    text = response.content.decode()
    assert '<html lang="zh-hans"' in text
    assert "登录" in text
    assert ">密码<" in text.replace(" ", "").replace("\n", "")


def test_django_admin_is_not_served(db, client, django_user_model):
    # Wagtail's admin is the only one: Django's own would be a second login
    # page and a second way into every model, outside Wagtail's permissions.
    client.force_login(django_user_model.objects.create_superuser("root", "r@linli.invalid", "x"))

    assert client.get("/django-admin/").status_code == 404
    assert "django.contrib.admin" not in settings.INSTALLED_APPS


def test_kiosks_get_three_content_languages_and_beijing_time(tree, client):
    answers = {
        code: client.get("/api/v1/services/", {"locale": code}).status_code
        for code in ("zh-hans", "zh-hant", "en", "fr")
    }
    # Valid from 00:30 UTC: half past eight in the morning at the street office.
    notice = published(
        NoticePageFactory,
        parent=tree.a.notices,
        valid_from=datetime(2026, 1, 1, 0, 30, tzinfo=UTC),
    )
    item = client.get(f"/api/v1/notices/{notice.pk}/").json()

    assert answers == {"zh-hans": 200, "zh-hant": 200, "en": 200, "fr": 400}
    assert item["valid_from"] == "2026-01-01T08:30:00+08:00"


def _production(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.production", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _production({"ALLOWED_HOSTS": "linli.example.org"})

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _production({"SECRET_KEY": "x" * 64})

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must list" in result.stderr


@pytest.mark.parametrize(
    "keys",
    [
        {},
        {"LINLI_ADDRESS_KEY": "not a fernet key"},
        {"LINLI_ADDRESS_KEY": Fernet.generate_key().decode(), "LINLI_ADDRESS_OLD_KEYS": "short"},
    ],
)
def test_production_refuses_to_start_without_a_key_for_phone_numbers(keys):
    result = _production({"SECRET_KEY": "x" * 64, "ALLOWED_HOSTS": "linli.example.org", **keys})

    assert result.returncode != 0
    assert "LINLI_ADDRESS_KEY must be set to a Fernet key" in result.stderr


def test_production_starts_with_a_key_for_phone_numbers():
    result = _production(
        {
            "SECRET_KEY": "x" * 64,
            "ALLOWED_HOSTS": "linli.example.org",
            "LINLI_ADDRESS_KEY": Fernet.generate_key().decode(),
        }
    )
    assert result.returncode == 0, result.stderr


def test_env_helper_reads_and_rejects_values(monkeypatch):
    monkeypatch.setenv("LINLI_FLAG", "yes")
    monkeypatch.setenv("LINLI_NUMBER", "12")
    monkeypatch.setenv("LINLI_LIST", "a.example, b.example,,")

    assert env_bool("LINLI_FLAG") is True
    assert env_int("LINLI_NUMBER", 0) == 12
    assert env_list("LINLI_LIST") == ["a.example", "b.example"]

    monkeypatch.setenv("LINLI_NUMBER", "twelve")
    with pytest.raises(ImproperlyConfigured, match="LINLI_NUMBER must be an integer"):
        env_int("LINLI_NUMBER", 0)
