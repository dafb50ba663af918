"""The test database, migrated once per run and copied for every pytest process.

Migrations (three of them seed reference data) take longer than most test
modules. The first process of a run to need a test database migrates its own
as usual and leaves a copy, the template, in the run's template folder; every
other process of the run (the second xdist worker, the browser and worker
sessions) copies the template instead of migrating: SQLite's backup API on
SQLite, `CREATE DATABASE ... TEMPLATE` on PostgreSQL.

The folder lives as long as one run, so a template never outlives the code
that built it: `make test` creates it and removes it at the end, and a pytest
started by hand gets a folder of its own, removed when it ends.
"""

import fcntl
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

TEMPLATES_ENV = "LINLI_TEST_DB_TEMPLATES"


def templates_folder_claim() -> Path | None:
    """The run's template folder; creates one (returned, for removal at the end) if none is set."""
    if os.environ.get(TEMPLATES_ENV):
        return None
    folder = Path(tempfile.mkdtemp(prefix="linli-test-db-"))
    # xdist starts its workers after this, and they inherit the environment.
    os.environ[TEMPLATES_ENV] = str(folder)
    return folder


def templates_folder_release(folder: Path) -> None:
    """Drop the PostgreSQL templates built in `folder`, then remove it."""
    for marker in folder.glob("*.built"):
        connection = connections[marker.stem]
        if connection.vendor == "postgresql":
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {_quoted(connection, marker.read_text())}")
    shutil.rmtree(folder, ignore_errors=True)


def template_name(connection: BaseDatabaseWrapper) -> str:
    """Where the template of this alias lives: a file for SQLite, a database name for PostgreSQL."""
    folder = Path(os.environ[TEMPLATES_ENV])
    if connection.vendor == "sqlite":
        return str(folder / f"{connection.alias}.sqlite3")
    return f"test_{connection.settings_dict['NAME']}_template"


@contextmanager
def _locked(alias: str) -> Iterator[Path]:
    """Hold the run's lock for `alias`: one process builds the template, the others wait for it."""
    folder = Path(os.environ[TEMPLATES_ENV])
    with (folder / f"{alias}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield folder / f"{alias}.built"
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _quoted(connection: BaseDatabaseWrapper, name: str) -> str:
    return connection.ops.quote_name(name)


def _template_save(connection: BaseDatabaseWrapper, template: str) -> None:
    """Keep the freshly migrated test database as the run's template."""
    if connection.vendor == "sqlite":
        partial = f"{template}.partial"
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [partial])
        os.replace(partial, template)
        return
    test_name = connection.settings_dict["NAME"]
    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {_quoted(connection, template)}")
        cursor.execute(
            f"CREATE DATABASE {_quoted(connection, template)}"
            f" WITH TEMPLATE {_quoted(connection, test_name)}"
        )


def _template_copy(connection: BaseDatabaseWrapper, template: str) -> str:
    """Make this process's test database a copy of the template; returns its name."""
    alias = connection.alias
    test_name = connection.creation._get_test_db_name()
    connection.close()
    if connection.vendor != "sqlite":
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {_quoted(connection, test_name)}")
            cursor.execute(
                f"CREATE DATABASE {_quoted(connection, test_name)}"
                f" WITH TEMPLATE {_quoted(connection, template)}"
            )
    # From here on, as Django's create_test_db leaves things after migrating.
    settings.DATABASES[alias]["NAME"] = test_name
    connection.settings_dict["NAME"] = test_name
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        source = sqlite3.connect(f"file:{template}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    call_command("createcachetable", database=alias)
    return test_name


def databases_from_templates(
    aliases: set[str], serialized_aliases: set[str], verbosity: int
) -> list[tuple[BaseDatabaseWrapper, str, bool]]:
    """Set up the test databases of `aliases` from the run's templates, building any that is missing.

    Returns what Django's teardown_databases takes to destroy them again.
    """
    created = []
    for alias in sorted(aliases):
        connection = connections[alias]
        if connection.vendor not in {"sqlite", "postgresql"}:
            raise NotImplementedError(f"no test database template for {connection.vendor}")
        old_name = connection.settings_dict["NAME"]
        template = template_name(connection)
        with _locked(alias) as marker:
            if marker.exists():
                _template_copy(connection, template)
            else:
                connection.creation.create_test_db(
                    verbosity=verbosity, autoclobber=True, serialize=False
                )
                _template_save(connection, template)
                marker.write_text(template)
                connection.ensure_connection()
        if alias in serialized_aliases:
            # As create_test_db does: transactional tests restore these rows after a flush.
            connection._test_serialized_contents = connection.creation.serialize_db_to_string()
        created.append((connection, old_name, True))
    return created
