"""Queries compiled once per process and run with each request's values.

Building the feeds' queries with the ORM takes longer than running them: each is compiled once
per process and database, and each run puts its values where the placeholders were.
"""

import inspect
import re
from collections.abc import Callable
from datetime import UTC, datetime

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

# A literal percent sign, or a positional placeholder, in SQL compiled by Django.
PLACEHOLDER = re.compile(r"%%|%s")


class Prepared:
    """A query built with the ORM once per process and database, then run with each call's values.

    BUILD(**placeholders) returns the queryset; it is compiled once with sentinel values, and each
    run puts the call's values where the sentinels were. For this module's queries, whose nested
    subqueries take the ORM longer to build than the database to run. The rows come back as model
    instances (`objects`: model fields converted, annotations as the database gives them) or as
    tuples (`rows`).
    """

    SENTINELS = {
        "token_hash": "feed-token-hash-placeholder",
        "since": datetime(1901, 2, 3, 4, 5, 6, tzinfo=UTC),
        "user_id": 900_000_000_001,
        "group_id": 900_000_000_002,
        "network_id": 900_000_000_003,
    }

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self.names = list(inspect.signature(build).parameters)
        self.compiled: dict[str, tuple[str, dict]] = {}
        self.layouts: dict[tuple, tuple] = {}

    @staticmethod
    def _adapt(connection, value):
        return connection.ops.adapt_datetimefield_value(value) if isinstance(value, datetime) else value

    def _sql(self, using: str, values: dict) -> tuple[str, dict]:
        """The SQL with named placeholders and the parameters for VALUES. Named ("pyformat")
        placeholders, because drivers and Django's SQLite cursor then fill the query by string
        formatting instead of scanning a long statement for each `%s` at every run."""
        connection = connections[using]
        if using not in self.compiled:
            sentinels = {name: self.SENTINELS[name] for name in self.names}
            sql, params = self.build(**sentinels).query.get_compiler(using).as_sql()
            adapted = {name: self._adapt(connection, value) for name, value in sentinels.items()}
            names = [
                next((name for name, value in adapted.items() if param == value), f"p{i}")
                for i, param in enumerate(params)
            ]
            if not set(self.names) <= set(names):
                raise RuntimeError(
                    f"{self.build.__name__}: a placeholder was not found among the SQL parameters"
                )
            pieces = iter(names)
            named = PLACEHOLDER.sub(lambda m: m[0] if m[0] == "%%" else f"%({next(pieces)})s", sql)
            fixed = {name: param for name, param in zip(names, params, strict=True) if name not in adapted}
            self.compiled[using] = (named, fixed)
        sql, fixed = self.compiled[using]
        return sql, fixed | {name: self._adapt(connection, values[name]) for name in self.names}

    def objects(self, model, *, using: str = DEFAULT_DB_ALIAS, **values) -> list:
        """The rows as instances of MODEL: its fields converted as the ORM does, annotations as
        attributes, as the database gives them. (Unlike Model.objects.raw(), runs the SQL once.)"""
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(*self._sql(using, values))
            columns = tuple(column[0] for column in cursor.description)
            rows = cursor.fetchall()
        key = (using, model, columns)
        if key not in self.layouts:
            self.layouts[key] = self._layout(model, columns, connection)
        order, names, extra, converters = self.layouts[key]
        instances = []
        for row in rows:
            row = list(row)
            for i, col, function in converters:
                row[i] = function(row[i], col, connection)
            instance = model.from_db(using, names, [row[i] for i in order])
            for i, name in extra:
                setattr(instance, name, row[i])
            instances.append(instance)
        return instances

    @staticmethod
    def _layout(model, columns: tuple[str, ...], connection) -> tuple:
        """Where MODEL's fields are among COLUMNS, the other columns, and the converters of the
        fields' values: worked out once per query and model."""
        fields = {f.attname: f for f in model._meta.concrete_fields}
        order = [columns.index(f.attname) for f in model._meta.concrete_fields if f.attname in columns]
        names = [columns[i] for i in order]
        extra = [(i, name) for i, name in enumerate(columns) if name not in fields]
        converters = []
        for i, name in enumerate(columns):
            if name in fields:
                col = fields[name].get_col(model._meta.db_table)
                functions = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
                converters.extend((i, col, function) for function in functions)
        return order, names, extra, converters

    def rows(self, *, using: str = DEFAULT_DB_ALIAS, **values) -> list[tuple]:
        with connections[using].cursor() as cursor:
            cursor.execute(*self._sql(using, values))
            return cursor.fetchall()
