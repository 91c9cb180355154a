"""A feed's body is kept in the cache under its version (feeds.bodies): a full request for a
version already built is answered from the cache, in the queries of a 304; any change to what
the feed is made of gives another version, so the next fetch gets the new calendar; with the
cache down, every fetch is built."""

import socket
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from meetings.calendar.feeds import bodies
from meetings.calendar.services.subscriptions import subscription_create
from meetings.models import Invitation, Meeting, PartStat, StandingGroup
from tests.calendar.test_feed_version import BULK, _subscriber
from tests.feeds_world import feed_path

# The queries of a full build of feed_world's personal feed, after the first fetch was recorded:
# 1. the subscription with its feed's version, 2. the series shown whole, 3. the meetings read
# one by one, 4. the agenda of those shown on their own.
BUILD = 4


def _fetch(client, path, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **headers)
    assert response.status_code == 200
    return response, len(queries)


def test_an_unchanged_feed_is_served_from_the_cache_in_the_queries_of_a_304(client, member_feed):
    _subscription, path = member_feed
    first, first_queries = _fetch(client, path)

    again, queries = _fetch(client, path)
    not_modified = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first_queries == BUILD + 1  # and the UPDATE recording the first fetch
    assert queries == 1  # the subscription with its feed's version
    assert again.content == first.content
    assert b"BEGIN:VEVENT" in again.content
    assert again["ETag"] == first["ETag"]
    assert again["Last-Modified"] == first["Last-Modified"]
    assert again["Content-Type"] == "text/calendar; charset=utf-8"
    assert again["Cache-Control"] == "private, no-cache"
    assert not_modified.status_code == 304
    assert cache.get(bodies.body_key(first["ETag"].strip('"'))) is not None


@pytest.mark.parametrize("change", BULK, ids=[c.__name__.strip("_") for c in BULK])
def test_any_change_behind_the_feed_reaches_the_next_fetch(client, feed_world, change):
    """Bulk UPDATEs and DELETEs (no save(), no signal, no timestamp) of every table behind the
    feed: the next full fetch is the new calendar, as built without the cache."""
    _subscription, token = subscription_create(user=_subscriber(feed_world, change), label="Téléphone")
    path = feed_path(token)
    first, first_queries = _fetch(client, path)
    kept, kept_queries = _fetch(client, path)
    assert kept_queries == 1 and kept.content == first.content

    change(feed_world)
    after, after_queries = _fetch(client, path)
    cache.delete(bodies.body_key(after["ETag"].strip('"')))
    afresh, afresh_queries = _fetch(client, path)

    assert after["ETag"] != first["ETag"]
    assert after.content != first.content
    assert after_queries == first_queries  # built, and the new version recorded
    assert afresh_queries == first_queries - 1  # built again, without the cache
    assert after.content == afresh.content


def test_a_meeting_moved_elsewhere_by_a_bulk_update_is_in_the_next_fetch(client, member_feed, feed_world):
    _subscription, path = member_feed
    first, _queries = _fetch(client, path)
    _fetch(client, path)  # from the cache

    Meeting.objects.filter(pk=feed_world.concertation.pk).update(place="Maison de repos Les Tilleuls")
    after, _queries = _fetch(client, path)

    assert "Les Tilleuls" not in first.content.decode()
    assert "LOCATION:Maison de repos Les Tilleuls" in after.content.decode()


def test_an_answer_changed_is_in_the_next_fetch(client, member_feed, feed_world):
    _subscription, path = member_feed
    first, _queries = _fetch(client, path)
    _fetch(client, path)

    Invitation.objects.filter(meeting=feed_world.concertation, user=feed_world.member).update(
        partstat=PartStat.DECLINED
    )
    after, _queries = _fetch(client, path)

    assert feed_world.concertation.uid.encode() in first.content
    assert feed_world.concertation.uid.encode() not in after.content


def test_a_group_renamed_is_in_the_next_fetch_of_its_feed(client, feed_world):
    _subscription, token = subscription_create(
        user=feed_world.member, label="Tablette", group=feed_world.intervision
    )
    first, _queries = _fetch(client, feed_path(token))
    _fetch(client, feed_path(token))

    StandingGroup.objects.filter(pk=feed_world.intervision.pk).update(name=Concat(F("name"), Value(" bis")))
    after, _queries = _fetch(client, feed_path(token))

    assert "Groupe du jeudi bis" not in first.content.decode()
    assert "SUMMARY:Intervision — Groupe du jeudi bis" in after.content.decode()


def test_a_persons_subscriptions_share_the_kept_body(client, feed_world):
    """One person's devices have the same feed, hence the same version and the same entry."""
    _phone, phone_token = subscription_create(user=feed_world.member, label="Téléphone")
    _laptop, laptop_token = subscription_create(user=feed_world.member, label="Ordinateur")
    phone, phone_queries = _fetch(client, feed_path(phone_token))

    laptop, laptop_queries = _fetch(client, feed_path(laptop_token))

    assert phone_queries == BUILD + 1
    assert laptop_queries == 2  # the subscription with its version; the UPDATE recording the fetch
    assert laptop.content == phone.content
    assert laptop["ETag"] == phone["ETag"]


def test_members_who_see_the_same_group_feed_share_it_and_the_others_do_not(client, feed_world):
    """The Balint group's facilitator and the member who accepted its charter see its sessions'
    place; the one who has not accepted it does not: two versions, two entries."""
    group, users = feed_world.world.group, feed_world.world.users
    tokens = {
        name: subscription_create(user=users[name], label="Téléphone", group=group)[1]
        for name in ("member", "facilitator", "pending")
    }
    member, _queries = _fetch(client, feed_path(tokens["member"]))

    facilitator, facilitator_queries = _fetch(client, feed_path(tokens["facilitator"]))
    pending, pending_queries = _fetch(client, feed_path(tokens["pending"]))

    assert facilitator.content == member.content
    assert facilitator_queries == 2  # from the cache; the fetch recorded
    assert pending["ETag"] != member["ETag"]
    assert pending_queries > 2  # built: its own version
    street = feed_world.world.session.place.split(",")[0]
    assert f"LOCATION:{street}" in member.content.decode()
    assert street not in pending.content.decode()


def test_the_members_of_a_network_share_its_feed(client, feed_world):
    network, users = feed_world.world.network, feed_world.world.users
    _first, member_token = subscription_create(user=users["member"], label="Téléphone", network=network)
    _second, other_token = subscription_create(user=users["facilitator"], label="Tablette", network=network)
    member, member_queries = _fetch(client, feed_path(member_token))

    other, other_queries = _fetch(client, feed_path(other_token))

    assert member_queries > 2  # built
    assert other_queries == 2  # from the cache; the fetch recorded
    assert other.content == member.content
    assert b"BEGIN:VEVENT" in other.content


def test_the_same_person_in_another_language_gets_another_entry(client, member_feed, feed_world):
    _subscription, path = member_feed
    french, _queries = _fetch(client, path)

    type(feed_world.member).objects.filter(pk=feed_world.member.pk).update(language="nl")
    dutch, dutch_queries = _fetch(client, path)

    assert dutch["ETag"] != french["ETag"]
    assert dutch_queries == BUILD + 1
    assert dutch.content != french.content


def test_the_next_day_gets_another_entry(client, member_feed, travel):
    _subscription, path = member_feed
    first, _queries = _fetch(client, path)

    travel.shift(timedelta(days=1))
    next_day, queries = _fetch(client, path)

    assert next_day["ETag"] != first["ETag"]
    assert queries == BUILD + 1


def _unreachable_redis() -> str:
    """The address of a Redis server that is not there: a port just freed."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


def test_with_the_cache_down_every_fetch_is_built_as_without_a_cache(client, member_feed):
    _subscription, path = member_feed
    kept, _queries = _fetch(client, path)
    down = {"default": {"BACKEND": "concertation.cache.TolerantRedisCache", "LOCATION": _unreachable_redis()}}

    with override_settings(CACHES=down):
        first, first_queries = _fetch(client, path)
        second, second_queries = _fetch(client, path)

    assert first.content == second.content == kept.content
    assert first["ETag"] == kept["ETag"]
    assert first_queries == second_queries == BUILD


def test_an_entry_that_is_not_a_kept_body_is_built_again(client, member_feed):
    _subscription, path = member_feed
    first, _queries = _fetch(client, path)
    key = bodies.body_key(first["ETag"].strip('"'))
    cache.set(key, b"BEGIN:VCALENDAR")  # not compressed: not written by feeds.bodies

    again, queries = _fetch(client, path)

    assert queries == BUILD
    assert again.content == first.content
