"""Writing generated rows: COPY on PostgreSQL (minutes for millions), bulk_create elsewhere.

Rows are dicts keyed by column name; a column a generator leaves out gets the model
field's default, so a new nullable or defaulted column never breaks the bench.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, models

from .dataset import JsonText

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: Any) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        # Most values need no escaping, and looking is cheaper than translating.
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return value.translate(_ESCAPES)
        return value
    if isinstance(value, dict | list):
        return json.dumps(value).translate(_ESCAPES)
    return str(value)  # numbers, dates, aware datetimes (ISO with offset)


class Table:
    """The columns of a model's table and the defaults of those a row leaves out."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.name = model._meta.db_table
        fields = model._meta.concrete_fields
        self.columns = [f.column for f in fields]
        self.attnames = {f.column: f.attname for f in fields}
        self.defaults = {f.column: _default(f) for f in fields}

    def values(self, row: dict[str, Any]) -> list[Any]:
        return [row.get(column, default) for column, default in self.defaults.items()]


def _default(field: models.Field[Any, Any]) -> Any:
    if field.has_default() and not callable(field.default):
        return field.default
    if field.null:
        return None
    return field.get_default()


def copy_rows(table: Table, rows: Iterable[dict[str, Any]], *, chunk: int = 20_000) -> int:
    """COPY the rows into the table in chunks (bounded memory); returns the count."""
    written = 0
    columns = ", ".join(f'"{c}"' for c in table.columns)
    statement = f'COPY "{table.name}" ({columns}) FROM STDIN'
    buffer = io.StringIO()
    pending = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg2's own cursor: copy_expert is not wrapped by Django
        for row in rows:
            buffer.write("\t".join(_copy_text(v) for v in table.values(row)))
            buffer.write("\n")
            pending += 1
            if pending >= chunk:
                buffer.seek(0)
                raw.copy_expert(statement, buffer)
                written += pending
                buffer, pending = io.StringIO(), 0
        if pending:
            buffer.seek(0)
            raw.copy_expert(statement, buffer)
            written += pending
    return written


def insert_rows(table: Table, rows: Iterable[dict[str, Any]], *, chunk: int = 2_000) -> int:
    """The portable path (SQLite, small sizes): bulk_create with the same rows."""
    written = 0
    batch: list[models.Model] = []
    for row in rows:
        values = {
            table.attnames[column]: json.loads(value) if isinstance(value, JsonText) else value
            for column, value in zip(table.columns, table.values(row), strict=True)
        }
        batch.append(table.model(**values))
        if len(batch) >= chunk:
            table.model.objects.bulk_create(batch)
            written += len(batch)
            batch = []
    if batch:
        table.model.objects.bulk_create(batch)
        written += len(batch)
    return written


def write_rows(table: Table, rows: Iterable[dict[str, Any]]) -> int:
    if connection.vendor == "postgresql":
        return copy_rows(table, rows)
    return insert_rows(table, rows)


def reset_identity(table: Table) -> None:
    """Move the id sequence past the ids written explicitly."""
    if connection.vendor != "postgresql":
        return  # SQLite continues from max(rowid) by itself
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            f'COALESCE((SELECT max(id) FROM "{table.name}"), 0) + 1, false)',
            [table.name],
        )


@contextmanager
def bulk_load(tables: list[Table]) -> Iterator[list[str]]:
    """Drop the tables' plain indexes during the load and build them once afterwards.

    Building an index over sorted data once is many times faster than updating it a
    million times; constraint indexes (primary key, unique) stay. Yields the
    definitions being rebuilt. PostgreSQL only.
    """
    names = [t.name for t in tables]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
              AND NOT EXISTS (
                SELECT 1 FROM pg_constraint c
                WHERE c.conname = i.indexname AND c.contype IN ('p', 'u', 'x'))
            """,
            [names],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        # Foreign keys are checked by a trigger per row; the generator writes only ids
        # it read from the directory, and check_references() verifies them afterwards.
        cursor.execute("SET session_replication_role = replica")
    try:
        yield [definition for _name, definition in indexes]
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for _name, definition in indexes:
                cursor.execute(definition)
            cursor.execute("RESET maintenance_work_mem")


def check_references(table: Table) -> list[str]:
    """Foreign keys of `table` that point nowhere (should be none); PostgreSQL only."""
    problems = []
    with connection.cursor() as cursor:
        for field in table.model._meta.concrete_fields:
            if not field.is_relation or field.related_model is None:
                continue
            target = field.related_model._meta.db_table
            cursor.execute(
                f'SELECT count(*) FROM "{table.name}" t WHERE t."{field.column}" IS NOT NULL '
                f'AND NOT EXISTS (SELECT 1 FROM "{target}" r WHERE r.id = t."{field.column}")'
            )
            missing = cursor.fetchone()[0]
            if missing:
                problems.append(f"{table.name}.{field.column}: {missing} dangling")
    return problems
