"""Writing many rows of one model at once, without model instances (items and the change log).

A rebuild writes 150,000 items and as many changes: Django's bulk_create
spends longer building SQL for them than the database takes to store them.
"""

from django.db import connections, router, transaction
from django.db.models import Model


def rows_insert(
    model: type[Model], names: list[str], rows: list[tuple], *, on_conflict: str = ""
) -> None:
    """INSERT `rows`, values of the fields `names` in that order, into `model`'s table, in order.

    `on_conflict` is the statement's ON CONFLICT clause, if any. On PostgreSQL
    the rows are copied (COPY) into a temporary table and inserted from it in
    one statement, which takes the server half the work of a statement per
    row, and the client a third; elsewhere one prepared statement is run for
    every row.
    """
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in names]
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    # The temporary table lives until commit: a transaction of its own if none is open.
    with transaction.atomic(using=connection.alias, savepoint=False), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY goes to the driver's own cursor: its errors are made Django's here.
            with connection.wrap_database_errors:
                _copy_insert(
                    cursor.cursor,
                    table,
                    columns,
                    rows,
                    on_conflict,
                    staging=quote(f"{model._meta.db_table}_staging"),
                )
            return
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))}) "  # noqa: S608 - names from the model
            f"{on_conflict}",
            _prepared(connection, fields, rows),
        )


def _copy_insert(
    cursor, table: str, columns: str, rows: list[tuple], on_conflict: str, *, staging: str
) -> None:
    if not on_conflict:
        with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    # Dropped at commit; emptied after each use, as a transaction may write twice.
    cursor.execute(
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {staging} ON COMMIT DROP AS "  # noqa: S608 - names from the model
        f"SELECT 0::bigint AS position, {columns} FROM {table} WITH NO DATA"
    )
    with cursor.copy(f"COPY {staging} (position, {columns}) FROM STDIN") as copy:
        for position, row in enumerate(rows):
            copy.write_row((position, *row))
    cursor.execute(
        f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {staging} "  # noqa: S608 - names from the model
        f"ORDER BY position {on_conflict}"
    )
    cursor.execute(f"DELETE FROM {staging}")  # noqa: S608 - names from the model


def _prepared(connection, fields: list, rows: list[tuple]) -> list[list]:
    """`rows` with their keys and dates as the driver takes them."""
    indexes = [
        i for i, f in enumerate(fields) if f.get_internal_type() in {"UUIDField", "DateTimeField"}
    ]
    # A page's key and dates repeat in each of its locales' items: each is prepared once.
    done: dict[tuple, object] = {}
    prepared = []
    for row in rows:
        row = list(row)
        for i in indexes:
            key = (i, row[i])
            if key not in done:
                done[key] = fields[i].get_db_prep_save(row[i], connection)
            row[i] = done[key]
        prepared.append(row)
    return prepared
