"""The project as an operator and an editor first meet it."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

import pytest

from config.env import env_bool, env_int, env_list

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


def test_time_and_language_are_set_for_the_street_office():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ
    assert [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES] == [
        "zh-hans",
        "zh-hant",
        "en",
    ]


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
