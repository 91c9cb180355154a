from django.db import migrations


# The tables a feed's version is made of (meetings.feeds.versioning). A write to any of them,
# by any path, moves the clock that lets a feed request skip adding up a person's meetings.
WATCHED_TABLES = [
    "meetings_meeting",
    "meetings_invitation",
    "meetings_seriesinvitation",
    "meetings_groupmembership",
    "meetings_charteracceptance",
    "meetings_series",
    "meetings_standinggroup",
]

POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION meetings_feed_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Statements that touched no row (an UPDATE matching nothing) leave the clock alone.
    IF EXISTS (SELECT 1 FROM changed_rows) THEN
        INSERT INTO calendar_feedchange (at) VALUES (EXTRACT(EPOCH FROM clock_timestamp()));
    END IF;
    RETURN NULL;
END
$$;
"""

# One trigger per statement and operation: a transition table holds the rows it touched.
POSTGRESQL_TRIGGER = """
CREATE TRIGGER feed_change_{operation} AFTER {operation} ON {table}
REFERENCING {transition} TABLE AS changed_rows
FOR EACH STATEMENT EXECUTE FUNCTION meetings_feed_change();
"""

# TRUNCATE has no transition table: it always counts as a change.
POSTGRESQL_TRUNCATE = """
CREATE OR REPLACE FUNCTION meetings_feed_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO calendar_feedchange (at) VALUES (EXTRACT(EPOCH FROM clock_timestamp()));
    RETURN NULL;
END
$$;
"""

POSTGRESQL_TRUNCATE_TRIGGER = """
CREATE TRIGGER feed_change_truncate AFTER TRUNCATE ON {table}
FOR EACH STATEMENT EXECUTE FUNCTION meetings_feed_truncate();
"""

# Django rebuilds a SQLite table for some schema changes (and its triggers go with it): a later
# migration that alters one of these tables must create its triggers again. The tests that
# write to every watched table fail if it does not.
SQLITE_TRIGGER = """
CREATE TRIGGER feed_change_{table}_{operation} AFTER {operation} ON {table}
BEGIN
    INSERT INTO calendar_feedchange (at) VALUES ((julianday('now') - 2440587.5) * 86400.0);
END;
"""

OPERATIONS = {"insert": "NEW", "update": "NEW", "delete": "OLD"}


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FUNCTION)
        schema_editor.execute(POSTGRESQL_TRUNCATE)
        for table in WATCHED_TABLES:
            schema_editor.execute(POSTGRESQL_TRUNCATE_TRIGGER.format(table=table))
        template = POSTGRESQL_TRIGGER
    elif vendor == "sqlite":
        template = SQLITE_TRIGGER
    else:
        raise NotImplementedError(f"no feed clock triggers for {vendor}")
    for table in WATCHED_TABLES:
        for operation, transition in OPERATIONS.items():
            schema_editor.execute(
                template.format(table=table, operation=operation.upper(), transition=transition)
            )


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in WATCHED_TABLES:
        for operation in OPERATIONS:
            if vendor == "postgresql":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS feed_change_{operation} ON {table}")
                schema_editor.execute(f"DROP TRIGGER IF EXISTS feed_change_truncate ON {table}")
            else:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS feed_change_{table}_{operation}")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS meetings_feed_change()")
        schema_editor.execute("DROP FUNCTION IF EXISTS meetings_feed_truncate()")


class Migration(migrations.Migration):
    """The database counts its own writes to the tables a feed is made of (see
    meetings.calendar.feeds.versioning): triggers add a row to calendar_feedchange."""

    dependencies = [
        ("calendar", "0001_initial"),
        ("meetings", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_triggers, drop_triggers),
    ]
