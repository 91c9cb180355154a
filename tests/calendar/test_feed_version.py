"""A feed's version follows every write, whatever made it: it is a digest of the rows the feed is
made of (feeds.versioning), so a bulk UPDATE that moves no timestamp changes it as a service does,
and a write elsewhere leaves it alone."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.calendar import feeds
from meetings.calendar.feeds import queries, versioning
from meetings.calendar.models import FeedSubscription
from meetings.calendar.services.subscriptions import subscription_create, subscription_revoke
from meetings.models import (
    AgendaItem,
    CharterAcceptance,
    GroupMembership,
    Invitation,
    Meeting,
    MembershipStatus,
    PartStat,
    Role,
    Series,
    SeriesInvitation,
    StandingGroup,
)
from tests.feeds_world import feed_path, public_feed_path


def tables(queryset) -> set[str]:
    sql, _params = queryset.query.sql_with_params()
    return set(re.findall(r"\b((?:meetings|accounts)_\w+)", sql))


# Read at every request but not by the build: whether a network feed's subscriber still belongs to
# the network (through an organisation, or as a coordinator).
NETWORK_MEMBERSHIP = {
    "accounts_network",
    "accounts_network_coordinators",
    "accounts_network_organisations",
    "accounts_organisation",
    "accounts_professional",
    "accounts_professional_organisations",
}


def _built(*feeds_queries) -> set[str]:
    built = {AgendaItem._meta.db_table}  # queries.agenda_of
    for query in feeds_queries:
        built |= tables(query.build(**{name: query.SENTINELS[name] for name in query.names}))
    return built


def test_every_table_a_feed_is_built_from_is_in_its_version():
    """A table the build reads that the version does not would let a change to it go unseen.
    Read by the version but not by the build: the subscription itself and its user (their
    language and whether they are active are read at every request), and the network membership
    a network feed's subscriber needs."""
    since = feeds.window_start()
    version = tables(versioning._subscription_query(token_hash="0" * 64, since=since))
    built = _built(*queries.PERSONAL, *queries.GROUP, *queries.NETWORK)

    assert built <= version
    assert version - built <= {"calendar_feedsubscription", "accounts_user", *NETWORK_MEMBERSHIP}


def test_every_table_the_public_feed_is_built_from_is_in_its_version():
    since = feeds.window_start()
    version = tables(versioning._public_query(token_hash="0" * 64, since=since))

    assert _built(*queries.NETWORK) <= version


def test_every_field_the_build_reads_is_in_the_version():
    assert set(queries.MEETING_FIELDS) <= set(versioning.MEETING_DIGEST)
    assert set(queries.SERIES_FIELDS) <= set(versioning.SERIES_DIGEST)


# Bulk UPDATEs: no save(), no signal, no timestamp moves.


def _meeting(fw):
    Meeting.objects.filter(pk=fw.concertation.pk).update(place="Rue Haute 12")


def _occurrence(fw):
    # A session like its series' others becomes one that differs: its place changes.
    plain = fw.intervision_series.occurrences.filter(start__gt=fw.relocated.start).order_by("start").last()
    Meeting.objects.filter(pk=plain.pk).update(place="Salle B")


def _series(fw):
    Series.objects.filter(pk=fw.intervision_series.pk).update(place="Maison de quartier")


def _group(fw):
    StandingGroup.objects.filter(pk=fw.intervision.pk).update(name=Concat(F("name"), Value(" bis")))


def _charter_version(fw):
    StandingGroup.objects.filter(pk=fw.intervision.pk).update(charter_version=F("charter_version") + 1)


def _invitation(fw):
    Invitation.objects.filter(meeting=fw.concertation, user=fw.member).update(partstat=PartStat.DECLINED)


def _series_invitation(fw):
    SeriesInvitation.objects.filter(series=fw.thematic_series, user=fw.member).update(
        partstat=PartStat.DECLINED
    )


def _membership(fw):
    GroupMembership.objects.filter(group=fw.intervision, user=fw.member).update(status=MembershipStatus.LEFT)


def _role(fw):
    GroupMembership.objects.filter(group=fw.world.group, user=fw.world.users["pending"]).update(
        role=Role.SUBSTITUTE
    )


def _acceptance(fw):
    CharterAcceptance.objects.filter(group=fw.intervision, user=fw.member).delete()


BULK = [
    _meeting,
    _occurrence,
    _series,
    _group,
    _charter_version,
    _invitation,
    _series_invitation,
    _membership,
    _role,
    _acceptance,
]


def _subscriber(fw, change):
    """The member, or for the role the one whose feed it changes (pending has not accepted
    Balint's charter: a substitute sees its sessions' place)."""
    return fw.world.users["pending"] if change is _role else fw.member


@pytest.mark.parametrize("change", BULK, ids=[c.__name__.strip("_") for c in BULK])
def test_a_bulk_update_of_any_table_behind_a_feed_changes_its_version(client, feed_world, change):
    _subscription, token = subscription_create(user=_subscriber(feed_world, change), label="Téléphone")
    first = client.get(feed_path(token))
    assert client.get(feed_path(token), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    change(feed_world)
    again = client.get(feed_path(token), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


def test_a_bulk_update_of_an_agenda_shown_changes_the_version(client, member_feed, feed_world):
    _subscription, path = member_feed
    AgendaItem.objects.create(meeting=feed_world.recent_past, title="Tour de table")
    first = client.get(path)

    AgendaItem.objects.filter(meeting=feed_world.recent_past).update(title="Bilan de la journée")
    again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert "Bilan de la journée" in again.content.decode()


def test_a_bulk_change_of_a_meeting_is_served_at_once(client, member_feed, feed_world):
    _subscription, path = member_feed
    first = client.get(path)
    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    meeting = feed_world.concertation

    # Straight SQL, as a script or a data fix would write it: no service, no signal, no updated_at.
    Meeting.objects.filter(pk=meeting.pk).update(
        start=F("start") + timedelta(hours=1), end=F("end") + timedelta(hours=1)
    )
    changed = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])

    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert Meeting.objects.get(pk=meeting.pk).updated_at == meeting.updated_at
    assert (meeting.start + timedelta(hours=1)).strftime("%Y%m%dT%H%M%SZ").encode() not in first.content


def test_inserts_and_deletes_change_the_version(client, member_feed, feed_world):
    _subscription, path = member_feed
    first = client.get(path)
    supervision = feed_world.lone_occurrence.group

    membership = GroupMembership.objects.create(
        group=supervision, user=feed_world.member, status=MembershipStatus.ACTIVE
    )
    inserted = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    membership.delete()
    deleted = client.get(path, HTTP_IF_NONE_MATCH=inserted["ETag"])

    assert inserted.status_code == deleted.status_code == 200
    assert len({first["ETag"], inserted["ETag"]}) == 2
    assert deleted["ETag"] == first["ETag"]  # the same rows again: the same version


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no TRUNCATE")
def test_a_truncate_changes_the_version(client, member_feed):
    _subscription, path = member_feed
    first = client.get(path)

    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the fixture's foreign key checks, now
        cursor.execute("TRUNCATE meetings_charteracceptance")

    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_an_update_that_touches_no_row_leaves_the_version(client, member_feed):
    _subscription, path = member_feed
    first = client.get(path)

    Meeting.objects.filter(pk=-1).update(title="Personne")

    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_writes_elsewhere_leave_the_version(client, member_feed, feed_world):
    subscription, path = member_feed
    first = client.get(path)
    outsider = feed_world.world.users["outsider"]

    FeedSubscription.objects.filter(pk=subscription.pk).update(label="Tablette")
    GroupMembership.objects.create(group=feed_world.intervision, user=outsider, status=MembershipStatus.LEFT)
    others = feed_world.lone_occurrence.group.meetings.exclude(pk=feed_world.lone_occurrence.pk)
    Meeting.objects.filter(pk=others.first().pk).update(place="Ailleurs")  # not in the member's feed

    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_304_is_one_query(client, member_feed):
    _subscription, path = member_feed
    first = client.get(path)

    with CaptureQueriesContext(connection) as queries_of_a_304:
        second = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])

    assert second.status_code == 304
    assert second["ETag"] == first["ETag"]
    assert second["Cache-Control"] == "private, no-cache"
    assert len(queries_of_a_304) == 1  # the subscription with its feed's digest


def test_the_version_is_read_with_the_token(feed_world, client):
    _subscription, token = subscription_create(user=feed_world.member, label="Téléphone")
    since = feeds.window_start()
    first = client.get(feed_path(token))

    found = feeds.subscription_for_token(token, since)

    assert found.feed_digest
    assert feeds.subscription_version(found, since) == first["ETag"].strip('"')


def test_a_group_feed_stops_at_once_when_its_subscriber_leaves(client, feed_world):
    _subscription, token = subscription_create(
        user=feed_world.member, label="Téléphone", group=feed_world.intervision
    )
    first = client.get(feed_path(token))
    assert client.get(feed_path(token), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    GroupMembership.objects.filter(group=feed_world.intervision, user=feed_world.member).update(
        status=MembershipStatus.LEFT
    )

    assert client.get(feed_path(token), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 404


def test_a_deactivated_account_is_404_at_once(client, member_feed, feed_world):
    _subscription, path = member_feed
    first = client.get(path)
    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    type(feed_world.member).objects.filter(pk=feed_world.member.pk).update(is_active=False)

    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 404


def test_a_revoked_subscription_is_404_at_once(client, member_feed):
    subscription, path = member_feed
    first = client.get(path)

    subscription_revoke(subscription=subscription)

    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 404


def test_the_next_day_makes_a_new_version(client, member_feed, travel):
    _subscription, path = member_feed
    first = client.get(path)

    travel.shift(timedelta(days=1))

    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_a_new_language_makes_a_new_version(client, member_feed, feed_world):
    _subscription, path = member_feed
    first = client.get(path)

    type(feed_world.member).objects.filter(pk=feed_world.member.pk).update(language="nl")
    response = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])

    assert response.status_code == 200
    assert response["ETag"] != first["ETag"]


def test_a_group_renamed_in_the_admin_changes_its_feeds(client, feed_world):
    group = feed_world.intervision
    _subscription, token = subscription_create(user=feed_world.member, label="Tablette", group=group)
    _personal, personal_token = subscription_create(user=feed_world.member, label="Téléphone")
    group_first = client.get(feed_path(token))
    personal_first = client.get(feed_path(personal_token))
    admin = type(feed_world.member).objects.create_superuser(email="support@example.be", password="x" * 20)
    client.force_login(admin)
    form = {k: "" if v is None else v for k, v in model_to_dict(group, exclude=["charter"]).items()}
    form["name"] = "Groupe du vendredi"

    saved = client.post(reverse("admin:meetings_standinggroup_change", args=[group.pk]), form)
    client.logout()
    group_again = client.get(feed_path(token), HTTP_IF_NONE_MATCH=group_first["ETag"])
    personal_again = client.get(feed_path(personal_token), HTTP_IF_NONE_MATCH=personal_first["ETag"])

    assert saved.status_code == 302
    assert group_again.status_code == personal_again.status_code == 200
    assert "Intervision — Groupe du vendredi" in group_again.content.decode()
    assert "SUMMARY:Intervision — Groupe du vendredi" in personal_again.content.decode()


def test_a_bulk_update_of_a_series_changes_the_public_feed(client, feed_world):
    path = public_feed_path(feed_world.world.network, by=feed_world.world.users["coordinator"])
    first = client.get(path)

    Series.objects.filter(pk=feed_world.thematic_series.pk).update(place="Maison de quartier")
    again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert "Maison de quartier" in again.content.decode()
