"""What the `seed_scale` steps share: the scale, a seeded random source, one instant, a progress
bar, and a writer that inserts rows in bulk (COPY on PostgreSQL, bulk_create elsewhere).

Rows are plain dicts keyed by field attname ("user_id"), with explicit primary keys drawn here:
a step knows the ids of what it wrote without reading them back, and the next step (another app)
reads what it needs from the database, as any later capability would.
"""

import json
import random
import sys
from collections import Counter
from datetime import datetime

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, models
from tqdm import tqdm

from accounts.models import User
from audit.models import AccessRecord
from outbox.models import OutboxMessage, OutboxStatus

FLUSH_EVERY = 20_000
SQLITE_BATCH = 500  # SQLite's limit on a statement's parameters stays far away


class Context:
    def __init__(self, *, scale: float, now: datetime, seed: int = 15, progress: bool = True):
        self.scale = scale
        self.now = now
        # The shapes of invented data, repeatable for a seed; every secret (nonces, feed tokens)
        # is drawn from `secrets` by the models' own defaults.
        self.rng = random.Random(seed)  # nosec B311
        self.progress = progress
        self.counts: Counter[str] = Counter()
        self._next_id: dict[type, int] = {}
        self._buffers: dict[type, list[dict]] = {}
        self._defaults: dict[type, list] = {}
        self.written: list[type] = []
        self._unanalysed: list[type] = []
        self._recipients: dict[int, tuple[str, str, str]] | None = None

    def n(self, base: int, minimum: int = 1) -> int:
        """BASE (the count at --scale 1) at this scale, never below MINIMUM."""
        return max(minimum, round(base * self.scale))

    def bar(self, total: int, desc: str):
        return tqdm(
            total=total, desc=desc, unit="rows", file=sys.stderr, disable=not self.progress, leave=False
        )

    def ids(self, model: type[models.Model], count: int) -> range:
        """COUNT fresh primary keys of MODEL, above any row it already holds."""
        if model not in self._next_id:
            top = model.objects.aggregate(top=models.Max("pk"))["top"] or 0
            self._next_id[model] = top + 1
        first = self._next_id[model]
        self._next_id[model] = first + count
        return range(first, first + count)

    def new_id(self, model: type[models.Model]) -> int:
        next_id = self._next_id.get(model)  # once known, without a range each time (a million rows)
        if next_id is None:
            return self.ids(model, 1).start
        self._next_id[model] = next_id + 1
        return next_id

    def add(self, model: type[models.Model], row: dict) -> int:
        """Queue ROW (given an id when it has none); returns its id."""
        if "id" not in row:
            row["id"] = self.new_id(model)
        buffer = self._buffers.setdefault(model, [])
        buffer.append(row)
        if len(buffer) >= FLUSH_EVERY:
            self._flush(model)
        return row["id"]

    def recipient(self, user_id: int) -> tuple[str, str, str]:
        """(e-mail, full name, language) of an account, as outbox.services.addressed_to takes
        them; every account read once, when a step first asks."""
        if self._recipients is None:
            self._recipients = {
                pk: (email, f"{first} {last}".strip(), language)
                for pk, email, first, last, language in User.objects.values_list(
                    "pk", "email", "first_name", "last_name", "language"
                ).iterator(chunk_size=20_000)
            }
        return self._recipients[user_id]

    def sent(self, *, kind: str, user_id: int, at: datetime, dedupe_key: str | None = None, **refs) -> int:
        """An e-mail of KIND to the account USER_ID that left at AT, as a service's
        queue(**addressed_to(user, **refs)) leaves it once sent: its row, without body."""
        email, name, language = self.recipient(user_id)
        return self.add(
            OutboxMessage,
            {
                "kind": kind,
                "dedupe_key": dedupe_key,
                "status": OutboxStatus.SENT,
                "recipient_email": email,
                "recipient_name": name,
                "language": language,
                "refs": {"user": user_id, **refs},
                "send_after": at,
                "attempts": 1,
                "created_at": at,
                "claimed_at": at,
                "sent_at": at,
            },
        )

    def read(self, *, reader_id: int, subject: str, item: str, at: datetime, item_id=None, path="") -> None:
        """One line of the access log (audit.services.record_read), unless the daily purge
        would have forgotten it already (ACCESS_LOG_RETENTION_DAYS)."""
        if (self.now - at).days >= settings.ACCESS_LOG_RETENTION_DAYS or at > self.now:
            return
        self.add(
            AccessRecord,
            {
                "reader_id": reader_id,
                "subject": subject,
                "item": item,
                "item_id": item_id,
                "path": path[:200],
                "read_at": at,
            },
        )

    def flush(self) -> None:
        for model in list(self._buffers):
            self._flush(model)

    def _fields(self, model) -> list:
        if model not in self._defaults:
            fields = []
            for field in model._meta.concrete_fields:
                if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                    default = ("now", None)
                elif field.has_default() and callable(field.default):
                    default = ("call", field.default)
                elif field.has_default():
                    default = ("value", field.default)
                else:
                    default = ("value", None if field.null else field.get_default())
                fields.append((field.attname, field.column, default))
            self._defaults[model] = fields
        return self._defaults[model]

    def _complete(self, model, row: dict) -> tuple:
        values = []
        for attname, _column, (how, default) in self._fields(model):
            if attname in row:
                values.append(row[attname])
            elif how == "now":
                values.append(self.now)
            elif how == "call":
                values.append(default())
            else:
                values.append(default)
        return tuple(values)

    def _flush(self, model) -> None:
        rows = self._buffers.pop(model, [])
        if not rows:
            return
        if model not in self.written:
            self.written.append(model)
        if model not in self._unanalysed:
            self._unanalysed.append(model)
        self.counts[model._meta.label] += len(rows)
        fields = self._fields(model)
        if connection.vendor == "postgresql":
            columns = ", ".join(connection.ops.quote_name(column) for _a, column, _d in fields)
            # COPY takes JSON as its text.
            json_at = [
                i for i, f in enumerate(model._meta.concrete_fields) if isinstance(f, models.JSONField)
            ]
            table = connection.ops.quote_name(model._meta.db_table)
            connection.ensure_connection()
            with (
                connection.connection.cursor() as cursor,
                cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
            ):
                for row in rows:
                    values = self._complete(model, row)
                    if json_at:
                        values = list(values)
                        for i in json_at:
                            values[i] = json.dumps(values[i])
                    copy.write_row(values)
            return
        # Elsewhere (SQLite: tests, a laptop) the ORM writes them in batches; there its auto_now
        # fields take the clock's instant, whatever the row says.
        names = [attname for attname, _c, _d in fields]
        objects = []
        for row in rows:
            obj = model(**dict(zip(names, self._complete(model, row), strict=True)))
            objects.append(obj)
        model.objects.bulk_create(objects, batch_size=SQLITE_BATCH)

    def analyze(self) -> None:
        """Statistics of the tables written so far: the next step reads them, and PostgreSQL would
        plan those reads on the counts of empty tables (nested loops over a million rows)."""
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            for model in self._unanalysed:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        self._unanalysed = []

    def reset_sequences(self) -> None:
        """Explicit ids leave PostgreSQL's sequences behind: the next row a user creates takes
        the id after the last one written here."""
        statements = connection.ops.sequence_reset_sql(no_style(), self.written)
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
