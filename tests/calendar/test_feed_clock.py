"""The feeds' change clock: database triggers move it at every write a feed's version depends on,
and a subscription keeps its version while the clock stands still (feeds.versioning)."""

import importlib
import re
import time
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from meetings.calendar import feeds
from meetings.calendar.feeds import versioning
from meetings.calendar.feeds.versioning import SETTLE_SECONDS
from meetings.calendar.models import FeedChange, FeedSubscription
from meetings.calendar.services.subscriptions import (
    feed_changes_prune,
    subscription_create,
    subscription_revoke,
)
from meetings.models import GroupMembership, Meeting, MembershipStatus
from tests.feeds_world import feed_path


def clock() -> int:
    return FeedChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def settle() -> None:
    """As if nothing had been written for longer than the settling time."""
    FeedChange.objects.update(at=F("at") - SETTLE_SECONDS - 1)


# The triggers, on SQLite and PostgreSQL alike


WATCHED_TABLES = importlib.import_module("meetings.calendar.migrations.0002_feed_clock").WATCHED_TABLES


def model_of(table: str):
    (model,) = [model for model in apps.get_models() if model._meta.db_table == table]
    return model


def test_every_table_a_feeds_version_reads_is_watched():
    """A table the version query reads that no trigger watches would let a kept version outlive a
    change. Not watched, on purpose: the subscription itself, the clock, and the user (their
    language is part of the basis, their being active is read at every request)."""
    query = versioning._subscription_query(token_hash="0" * 64, day="2026-01-15")
    sql, _params = query.query.sql_with_params()
    read = set(re.findall(r"\b((?:meetings|accounts)_\w+)", sql))

    assert read - {"calendar_feedsubscription", "calendar_feedchange", "accounts_user"} == set(WATCHED_TABLES)


@pytest.mark.parametrize("table", WATCHED_TABLES)
def test_a_bulk_update_of_any_watched_table_moves_the_clock(feed_world, table):
    model = model_of(table)
    row = model.objects.order_by("pk").first()
    before = clock()

    model.objects.filter(pk=row.pk).update(id=F("id"))  # no signal, no save(): only SQL

    assert clock() > before


def test_inserts_and_deletes_move_the_clock(feed_world):
    outsider = feed_world.world.users["outsider"]
    before = clock()
    membership = GroupMembership.objects.create(
        group=feed_world.intervision, user=outsider, status=MembershipStatus.ACTIVE
    )
    after_insert = clock()
    membership.delete()

    assert before < after_insert < clock()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no TRUNCATE")
def test_a_truncate_moves_the_clock(feed_world):
    before = clock()

    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the fixture's foreign key checks, now
        cursor.execute("TRUNCATE meetings_charteracceptance")

    assert clock() > before


def test_an_update_that_touches_no_row_leaves_the_clock_alone(feed_world):
    before = clock()

    Meeting.objects.filter(pk=-1).update(title="Personne")

    assert clock() == before


def test_writes_elsewhere_leave_the_clock_alone(member_feed):
    subscription, _path = member_feed
    before = clock()

    FeedSubscription.objects.filter(pk=subscription.pk).update(label="Tablette")

    assert clock() == before


# Keeping the version while the clock stands still


def test_a_settled_clock_answers_304_without_adding_up_the_feed(client, member_feed):
    subscription, path = member_feed
    settle()
    first = client.get(path)
    subscription.refresh_from_db()
    assert subscription.served_basis.split("|")[1] == str(clock())

    with CaptureQueriesContext(connection) as queries:
        second = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])

    assert second.status_code == 304
    assert second["ETag"] == first["ETag"]
    assert second["Cache-Control"] == "private, no-cache"
    assert len(queries) == 1


def test_a_kept_version_is_read_without_the_numbers(client, feed_world):
    _subscription, token = subscription_create(user=feed_world.member, label="Téléphone")
    since = feeds.window_start()
    settle()
    first = client.get(feed_path(token))

    kept = feeds.subscription_for_token(token, since)

    assert kept.feed_fresh
    assert kept.feed_numbers is None
    assert feeds.subscription_version(kept, since) == first["ETag"].strip('"')
    FeedChange.objects.create(at=time.time())
    moved = feeds.subscription_for_token(token, since)
    assert not moved.feed_fresh
    assert moved.feed_numbers
    assert feeds.subscription_version(moved, since) == first["ETag"].strip('"')


def test_a_version_is_not_kept_before_the_clock_settles(client, member_feed):
    subscription, path = member_feed

    client.get(path)  # the fixture has just written: the clock is seconds old

    subscription.refresh_from_db()
    assert subscription.served_basis == ""
    assert subscription.served_etag


def test_a_bulk_change_after_settling_is_served_at_once(client, member_feed, feed_world):
    _subscription, path = member_feed
    settle()
    first = client.get(path)
    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    meeting = Meeting.objects.filter(invitations__user=feed_world.member).order_by("start").last()

    # Straight SQL, as a script or a data fix would write it: no service, no signal.
    Meeting.objects.filter(pk=meeting.pk).update(
        start=F("start") + timedelta(hours=1),
        end=F("end") + timedelta(hours=1),
        updated_at=F("updated_at") + timedelta(seconds=1),
    )
    changed = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])

    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_a_write_elsewhere_still_answers_304_after_adding_up(client, member_feed, feed_world):
    subscription, path = member_feed
    settle()
    first = client.get(path)
    outsider = feed_world.world.users["outsider"]

    GroupMembership.objects.create(group=feed_world.intervision, user=outsider, status=MembershipStatus.LEFT)
    again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    subscription.refresh_from_db()
    assert subscription.served_basis == ""  # the clock moved seconds ago: not kept yet


def test_a_group_feed_stops_at_once_when_a_subscriber_with_a_kept_version_leaves(client, feed_world):
    _subscription, token = subscription_create(
        user=feed_world.member, label="Téléphone", group=feed_world.intervision
    )
    settle()
    first = client.get(feed_path(token))
    assert client.get(feed_path(token), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    GroupMembership.objects.filter(group=feed_world.intervision, user=feed_world.member).update(
        status=MembershipStatus.LEFT
    )
    settle()  # even once the clock has settled again

    assert client.get(feed_path(token), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 404


def test_a_deactivated_account_is_404_even_with_a_kept_version(client, member_feed, feed_world):
    _subscription, path = member_feed
    settle()
    first = client.get(path)
    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    type(feed_world.member).objects.filter(pk=feed_world.member.pk).update(is_active=False)

    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 404


def test_a_revoked_subscription_is_404_even_with_a_kept_version(client, member_feed):
    subscription, path = member_feed
    settle()
    first = client.get(path)

    subscription_revoke(subscription=subscription)

    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 404


def test_the_next_day_makes_a_new_version(client, member_feed, travel):
    _subscription, path = member_feed
    settle()
    first = client.get(path)

    travel.shift(timedelta(days=1))

    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_a_new_language_makes_a_new_version(client, member_feed, feed_world):
    _subscription, path = member_feed
    settle()
    first = client.get(path)

    type(feed_world.member).objects.filter(pk=feed_world.member.pk).update(language="nl")
    response = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])

    assert response.status_code == 200
    assert response["ETag"] != first["ETag"]


# Pruning


def test_pruning_keeps_the_latest_change_and_a_day_of_history(feed_world):
    now = time.time()
    FeedChange.objects.update(at=now - 2 * 86400)
    old = FeedChange.objects.count()
    recent = FeedChange.objects.create(at=now - 3600)
    latest = FeedChange.objects.create(at=now - 60)

    deleted = feed_changes_prune(now=now)

    assert deleted == old
    assert list(FeedChange.objects.order_by("pk").values_list("pk", flat=True)) == [recent.pk, latest.pk]


def test_pruning_an_old_lone_clock_keeps_it(feed_world):
    latest = clock()
    FeedChange.objects.update(at=0)

    feed_changes_prune()

    assert list(FeedChange.objects.values_list("pk", flat=True)) == [latest]
    assert latest > 0
