"""The rebuild command with render processes writes exactly what publishing writes.

The command runs as its own process on the test database (on SQLite a copy
of it in a file), as on a server: it forks two render processes and writes
what they render.
"""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.db import connection

import pytest

from items.models import Item

ROOT = Path(__file__).resolve().parents[2]

# Run in a pytest session of their own (`make test` does): the database is
# shared with another process, so the test commits and is flushed afterwards.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.workers,
]


def _rows_sql() -> str:
    # As text, so both sides compare the stored bytes and not converted values.
    columns = [f.column for f in Item._meta.concrete_fields if f.column != "id"]
    listed = ", ".join(f"CAST({column} AS TEXT)" for column in columns)
    return f"SELECT {listed} FROM {Item._meta.db_table} ORDER BY page_id, locale"  # noqa: S608 - names from the model


def _rows_here() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(_rows_sql())
        return [tuple(row) for row in cursor.fetchall()]


def _shared_url(tmp_path: Path) -> str:
    """The test database as another process reaches it."""
    if connection.vendor == "sqlite":
        path = tmp_path / "shared.sqlite3"
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM INTO '{path}'")
        return f"sqlite:///{path}"
    conf = connection.settings_dict
    auth = conf["USER"] + (f":{conf['PASSWORD']}" if conf["PASSWORD"] else "")
    host = f"{conf['HOST'] or '127.0.0.1'}:{conf['PORT'] or 5432}"
    return f"postgres://{auth}@{host}/{conf['NAME']}"


def _rows_there(url: str) -> list[tuple]:
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as shared:
            return [tuple(row) for row in shared.execute(_rows_sql()).fetchall()]
    return _rows_here()


def test_a_rebuild_rendered_by_worker_processes_writes_what_publishing_writes(every_kind, tmp_path):
    expected = _rows_here()
    Item.objects.all().delete()
    url = _shared_url(tmp_path)

    done = subprocess.run(
        [sys.executable, "manage.py", "items_rebuild", "--workers", "2", "--batch-size", "2"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert "18 items written, 0 removed, 18 changes logged" in done.stdout
    assert len(expected) == 18
    assert _rows_there(url) == expected
