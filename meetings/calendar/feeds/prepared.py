"""Queries compiled once per process and run with each request's values.

Building the feeds' queries with the ORM takes longer than running them: each is compiled once
per process and database, and each run puts its values where the placeholders were.

On PostgreSQL each is also a prepared statement of the connection (PREPARE, then EXECUTE with the
request's values), planned once with a generic plan: PostgreSQL would otherwise parse, analyse and
plan these long statements (11 kB of SQL for the version's) at every request, which cost as much
as running them for bench-feeds' 500 meetings (the version's query went from 7.0 to 3.0 ms, the
meetings' from 4.2 to 2.5, the series' from 2.2 to 1.2) and a third of the version's for the
busiest person of the scale data (16 to 10.5 ms on a busy machine). Their plans follow indexes
whatever the person, group or window (checked with EXPLAIN on the scale data). Prepared
statements belong to a server session: between Django and PostgreSQL there must be no pooler
that hands each transaction to another session (PgBouncer's transaction mode), as for psycopg's
own prepared statements, which Django leaves off for that reason.
"""

import inspect
import itertools
import re
import weakref
from collections.abc import Callable
from datetime import UTC, datetime

from django.db import DEFAULT_DB_ALIAS, ProgrammingError, connections
from django.db.models import QuerySet

# A literal percent sign, or a positional placeholder, in SQL compiled by Django.
PLACEHOLDER = re.compile(r"%%|%s")

# Without it, PostgreSQL plans a prepared statement for its values at each of its first five
# runs, and afterwards as long as its generic plan seems costlier: the version's was planned at
# each of 40 runs on the scale data, saving nothing. It concerns only statements prepared on the
# server, and Django prepares none on these connections (see `_prepares_on_server`): the setting
# is left on the connection.
GENERIC_PLANS = "SET plan_cache_mode = force_generic_plan"
# A statement the connection no longer knows (DEALLOCATE, DISCARD ALL).
UNKNOWN_STATEMENT = "26000"
_numbers = itertools.count(1)


def _type_of(value) -> str:
    """The PostgreSQL type of a placeholder whose values are like VALUE, for PREPARE."""
    if isinstance(value, datetime):
        return "timestamptz"
    return "bigint" if isinstance(value, int) else "text"


def _prepares_on_server(connection) -> bool:
    """Whether the feeds' queries are prepared on this connection: PostgreSQL through psycopg 3,
    with Django's client-side binding (several statements in one round trip) and psycopg's own
    preparing off (Django's default: then no other statement of the connection is prepared on
    the server, and the generic plans concern only these)."""
    if connection.vendor != "postgresql":
        return False
    import psycopg

    raw = connection.connection
    return (
        isinstance(raw, psycopg.Connection)
        and raw.prepare_threshold is None
        and issubclass(raw.cursor_factory, psycopg.ClientCursor)
    )


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
        # PostgreSQL: the statement's name, and the connections (psycopg's) that have it.
        self.statement = f"feeds_{next(_numbers)}_{build.__name__.strip('_')}"[:63]
        self.prepared_on: weakref.WeakSet = weakref.WeakSet()

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

    def _execute(self, cursor, using: str, values: dict) -> None:
        """Run the query with VALUES on CURSOR: on PostgreSQL, EXECUTE the connection's prepared
        statement, prepared in the same round trip the first time."""
        connection = connections[using]
        sql, params = self._sql(using, values)
        if not _prepares_on_server(connection):
            cursor.execute(sql, params)
            return
        raw = connection.connection
        execute = f"EXECUTE {self.statement} ({', '.join(f'%({name})s' for name in self.names)})"
        if raw not in self.prepared_on:
            # Noted first: a PREPARE stays even when what follows it fails (it is not undone by
            # a rollback), and preparing it again would fail.
            self.prepared_on.add(raw)
            cursor.execute(f"{GENERIC_PLANS}; {self._prepare(sql)}; {execute}", params)
            while cursor.description is None and cursor.nextset():
                pass  # to the rows of EXECUTE
            return
        try:
            cursor.execute(execute, params)
        except ProgrammingError as error:
            # Forgotten by the connection (DEALLOCATE, DISCARD ALL): prepared again, unless a
            # transaction is under way, which the error has aborted.
            if getattr(error.__cause__, "sqlstate", None) != UNKNOWN_STATEMENT or connection.in_atomic_block:
                raise
            self.prepared_on.discard(raw)
            self._execute(cursor, using, values)

    def _prepare(self, sql: str) -> str:
        """PREPARE for SQL (as `_sql` gives it): the call's values as the statement's parameters,
        the query's own constants left to be filled in."""
        for number, name in enumerate(self.names, 1):
            sql = sql.replace(f"%({name})s", f"${number}")
        types = ", ".join(_type_of(self.SENTINELS[name]) for name in self.names)
        return f"PREPARE {self.statement} ({types}) AS {sql}"

    def objects(self, model, *, using: str = DEFAULT_DB_ALIAS, **values) -> list:
        """The rows as instances of MODEL: its fields converted as the ORM does, annotations as
        attributes, as the database gives them. (Unlike Model.objects.raw(), runs the SQL once.)"""
        connection = connections[using]
        with connection.cursor() as cursor:
            self._execute(cursor, using, values)
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
            self._execute(cursor, using, values)
            return cursor.fetchall()
