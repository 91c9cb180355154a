"""On PostgreSQL the feeds' queries are prepared statements of the connection, planned once with
a generic plan (feeds.prepared): prepared in the round trip of their first run, and again when
the connection has forgotten them."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.calendar.feeds import bodies, queries, versioning

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared on PostgreSQL only")

PERSONAL = {versioning.SUBSCRIPTION_QUERY.statement, *(query.statement for query in queries.PERSONAL)}


def _prepared() -> dict[str, tuple[int, int]]:
    """The feeds' statements this connection has: (generic plans, custom plans) of each."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, generic_plans, custom_plans FROM pg_prepared_statements WHERE name LIKE 'feeds_%%'"
        )
        return {name: (generic, custom) for name, generic, custom in cursor.fetchall()}


def test_a_feeds_queries_are_prepared_in_the_round_trip_of_their_first_run(
    transactional_db, client, member_feed
):
    _subscription, path = member_feed
    connection.close()  # a new connection, which has none of them yet

    with CaptureQueriesContext(connection) as first_queries:
        first = client.get(path)
    count = len(first_queries)
    with CaptureQueriesContext(connection) as not_modified_queries:
        not_modified = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200
    assert not_modified.status_code == 304
    # The same queries as without preparing: the subscription with its version, the series, the
    # meetings, the agenda, the UPDATE recording the fetch; then the version alone.
    assert (count, len(not_modified_queries)) == (5, 1)
    prepared = _prepared()
    assert set(prepared) >= PERSONAL
    assert all(custom == 0 and generic >= 1 for generic, custom in prepared.values())


def test_a_feeds_queries_are_prepared_again_when_the_connection_has_forgotten_them(
    transactional_db, client, member_feed
):
    _subscription, path = member_feed
    first = client.get(path)
    cache.delete(bodies.body_key(first["ETag"].strip('"')))
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")

    again = client.get(path)

    assert again.status_code == 200
    assert again.content == first.content
    assert set(_prepared()) >= PERSONAL
