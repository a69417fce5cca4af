"""Plain-SQL cursors whose statements PostgreSQL plans once per connection, for the hot paths.

Django's cursors bind parameters on the client (psycopg's ClientCursor): PostgreSQL parses and plans
every execution anew, ~0.1-0.3 ms for the meetings list's query. `prepared_cursor()` binds on the
server instead, so psycopg prepares a statement on a connection once it has run there
`DB_PREPARE_THRESHOLD` times (settings: OPTIONS["prepare_threshold"]) and later executions skip
parsing and planning. Connections come from the pool and live across requests, so the statements
stay prepared. With prepared statements off (DB_PREPARE_THRESHOLD empty: PgBouncer in transaction
mode) it is a plain server-binding cursor.

Only for hand-written SQL that names its columns: a prepared `SELECT *` fails once a migration has
changed the table under it ("cached plan must not change result type").
"""

from __future__ import annotations

import functools
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import psycopg
from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.db.models import Model
from django.db.models.expressions import Col


@contextmanager
def prepared_cursor(binary: bool = False) -> Iterator[CursorWrapper]:
    """Django's cursor wrapper (query logging, error translation) over a server-binding psycopg cursor.

    `binary`: rows in PostgreSQL's binary format, loaded by psycopg's C loaders (Django replaces the
    text one of timestamptz with a Python subclass, the largest cost of loading a row of dates).
    Values are the same, except jsonb, which comes decoded: not for rows given to `fetch_model`."""
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    raw: Any = psycopg.Cursor(connection.connection)  # django-stubs wrongly want a CursorWrapper to wrap
    if binary:
        raw.format = psycopg.pq.Format.BINARY
    cursor = connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)
    with cursor:
        yield cursor


def model_columns(model: type[Model], alias: str) -> str:
    """`alias.column, …` for every concrete field, in the order `fetch_model` expects."""
    return ", ".join(f"{alias}.{field.column}" for field in model._meta.concrete_fields)


@functools.cache
def _converters(model: type[Model]) -> list[tuple[int, Callable, Col]]:
    """What Django's compiler applies to each column of the model's rows (JSON decoding and the like)."""
    found = []
    for index, field in enumerate(model._meta.concrete_fields):
        column = field.get_col(model._meta.db_table)
        for converter in connection.ops.get_db_converters(column) + column.get_db_converters(connection):
            found.append((index, converter, column))
    return found


def fetch_model(model: type[Model], sql: str, params, extra: tuple[str, ...] = ()):
    """The first row of `sql` (selecting `model_columns(model, …)`, then one column per name in `extra`)
    as a model instance with the extras set as attributes, or None."""
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    instance = model_from_row(model, row)
    for name, value in zip(extra, row[len(model._meta.concrete_fields):], strict=True):
        setattr(instance, name, value)
    return instance


def model_from_row(model: type[Model], row):
    """A model instance from a row that starts with `model_columns(model, …)` (text format)."""
    fields = model._meta.concrete_fields
    values = list(row[:len(fields)])
    for index, converter, column in _converters(model):
        values[index] = converter(values[index], column, connection)
    return model.from_db(connection.alias, [field.attname for field in fields], values)
