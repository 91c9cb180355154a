"""Calendar feeds over HTTP: tokens, conditional requests, rate limits, query counts."""

import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date

from meetings.calendar import views as feed_views
from meetings.calendar.models import ClientFamily, FeedSubscription
from meetings.calendar.services.subscriptions import subscription_create, subscription_revoke
from meetings.models import GroupMembership, Invitation, Meeting, MembershipStatus, PartStat, StandingGroup
from meetings.services import invitations as inv
from meetings.services.groups import charter_accept, charter_update, group_add_member
from meetings.services.meetings import meeting_cancel, meeting_update
from meetings.services.series import series_split
from tests.factories import UserFactory
from tests.feeds_world import EXCHANGE, INTERVISION, feed_path, public_feed_path

# Tokens


def test_token_has_192_random_bits_and_only_its_hash_is_stored(feed_world):
    subscription, token = subscription_create(user=feed_world.member, label="Téléphone")
    _other_subscription, other = subscription_create(user=feed_world.member, label="Ordinateur")

    assert len(token) == 32  # 24 bytes, base64url
    assert token != other
    assert subscription.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = FeedSubscription.objects.values_list("token_hash", "label")
    assert all(token not in value and other not in value for row in stored for value in row)


def test_unknown_and_revoked_tokens_get_identical_404(client, member_feed):
    subscription, path = member_feed
    assert client.get(path).status_code == 200
    subscription_revoke(subscription=subscription)
    unknown = feed_path("x" * 32)

    revoked_response = client.get(path)
    unknown_response = client.get(unknown)

    assert revoked_response.status_code == unknown_response.status_code == 404
    assert revoked_response.content == unknown_response.content
    assert dict(revoked_response.headers) == dict(unknown_response.headers)


def test_feed_of_a_deactivated_account_is_404(client, member_feed, feed_world):
    _subscription, path = member_feed
    feed_world.member.is_active = False
    feed_world.member.save()

    response = client.get(path)

    assert response.status_code == 404
    assert response.content == client.get(feed_path("w" * 32)).content


def test_revoking_one_device_leaves_the_others(client, feed_world):
    phone, phone_token = subscription_create(user=feed_world.member, label="Téléphone")
    _laptop, laptop_token = subscription_create(user=feed_world.member, label="Ordinateur")

    subscription_revoke(subscription=phone)

    assert client.get(feed_path(phone_token)).status_code == 404
    assert client.get(feed_path(laptop_token)).status_code == 200


def test_group_feed_stops_when_the_subscriber_leaves_the_group(client, feed_world):
    _subscription, token = subscription_create(
        user=feed_world.member, label="Téléphone", group=feed_world.intervision
    )
    assert client.get(feed_path(token)).status_code == 200

    GroupMembership.objects.filter(group=feed_world.intervision, user=feed_world.member).update(
        status=MembershipStatus.LEFT
    )

    response = client.get(feed_path(token))
    assert response.status_code == 404
    assert response.content == client.get(feed_path("y" * 32)).content


def test_only_members_may_subscribe_to_a_group(feed_world):
    outsider = feed_world.world.users["outsider"]

    with pytest.raises(ValidationError, match="Seuls les membres"):
        subscription_create(user=outsider, label="Téléphone", group=feed_world.intervision)

    assert not FeedSubscription.objects.filter(user=outsider).exists()


def test_each_fetch_records_when_and_which_client(client, member_feed, travel):
    subscription, path = member_feed

    client.get(path, HTTP_USER_AGENT="Google-Calendar-Importer")
    subscription.refresh_from_db()

    assert subscription.last_fetched_at == timezone.now()
    assert subscription.client_family == ClientFamily.GOOGLE


@pytest.mark.parametrize(
    ("user_agent", "family"),
    [
        ("Google-Calendar-Importer", ClientFamily.GOOGLE),
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", ClientFamily.GOOGLE),
        ("Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)", ClientFamily.OUTLOOK),
        ("Microsoft Exchange/15.20 (Windows NT 10.0; Win64; x64)", ClientFamily.OUTLOOK),
        ("iOS/17.4.1 (21E236) dataaccessd/1.0", ClientFamily.APPLE),
        ("macOS/14.4.1 (23E224) CalendarAgent/988", ClientFamily.APPLE),
        (
            "Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Thunderbird/115.9.0",
            ClientFamily.THUNDERBIRD,
        ),
        ("curl/8.5.0", ClientFamily.OTHER),
        ("", ClientFamily.OTHER),
    ],
)
def test_client_family_from_user_agent(client, member_feed, user_agent, family):
    subscription, path = member_feed

    client.get(path, HTTP_USER_AGENT=user_agent)

    subscription.refresh_from_db()
    assert subscription.client_family == family


# Conditional requests


def test_second_request_with_the_etag_is_a_304(client, member_feed):
    _subscription, path = member_feed
    first = client.get(path)

    second = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])

    assert second.status_code == 304
    assert second.content == b""
    assert second["ETag"] == first["ETag"]
    assert second["Last-Modified"] == first["Last-Modified"]


def test_if_modified_since_is_a_304_until_something_changes(client, member_feed, feed_world, travel):
    _subscription, path = member_feed
    first = client.get(path)
    travel.shift(timedelta(minutes=5))

    unchanged = client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    feed_world.concertation.invitations.get(user=feed_world.member).delete()  # no timestamp moves
    changed = client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert unchanged.status_code == 304
    assert changed.status_code == 200
    assert feed_world.concertation.uid.encode() not in changed.content
    assert changed["Last-Modified"] == http_date(timezone.now().timestamp())


def _move(fw):
    meeting_update(
        meeting=fw.relocated,
        changes={
            "start": fw.relocated.start + timedelta(hours=1),
            "end": fw.relocated.end + timedelta(hours=1),
        },
    )


def _cancel_single(fw):
    meeting_cancel(meeting=fw.concertation)


def _decline(fw):
    inv.answer(target=fw.recent_past.invitations.get(user=fw.member), partstat=PartStat.DECLINED)


def _decline_series(fw):
    inv.answer(target=fw.thematic_series.invitations.get(user=fw.member), partstat=PartStat.DECLINED)


def _uninvite(fw):
    inv.uninvite(invitation=fw.concertation.invitations.get(user=fw.member))


def _new_invitation(fw):
    meeting = fw.draft
    meeting_update(meeting=meeting, changes={"status": "scheduled"})


def _join_group(fw):
    supervision = fw.lone_occurrence.group
    group_add_member(group=supervision, user=fw.member, by=fw.world.users["coordinator"])
    charter_accept(group=supervision, user=fw.member)


def _leave_group(fw):
    GroupMembership.objects.filter(group=fw.intervision, user=fw.member).update(status=MembershipStatus.LEFT)


def _new_charter(fw):
    charter_update(group=fw.intervision, text="Nouvelle charte.", by=fw.world.users["facilitator"])


def _bulk_update(fw):
    """Straight SQL: no save(), no signal, updated_at as it was."""
    Meeting.objects.filter(pk=fw.concertation.pk).update(place="Maison de repos Les Tilleuls")


def _edit_series(fw):
    cut = fw.intervision_series.occurrences.filter(start__gte=timezone.now()).order_by("start")[6]
    series_split(
        occurrence=cut,
        dtstart=cut.start + timedelta(hours=1),
        duration=timedelta(hours=2),
        rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
        changes={},
    )


CHANGES = [
    _bulk_update,
    _edit_series,
    _move,
    _cancel_single,
    _decline,
    _decline_series,
    _uninvite,
    _new_invitation,
    _join_group,
    _leave_group,
    _new_charter,
]


@pytest.mark.parametrize("change", CHANGES, ids=[c.__name__.strip("_") for c in CHANGES])
def test_every_change_the_feed_shows_changes_its_etag(client, member_feed, feed_world, travel, change):
    """The change is seen at the next request, whatever made it."""
    _subscription, path = member_feed
    first = client.get(path)
    travel.shift(timedelta(seconds=2))

    change(feed_world)
    again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert again.content != first.content


def test_accepting_a_new_charter_changes_the_etag(client, member_feed, feed_world):
    _subscription, path = member_feed
    charter_update(
        group=feed_world.intervision, text="Charte revue.", by=feed_world.world.users["facilitator"]
    )
    first = client.get(path)

    charter_accept(group=feed_world.intervision, user=feed_world.member)
    again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert "Maison médicale du Peterbos" not in first.content.decode()
    assert "Maison médicale du Peterbos" in again.content.decode()


def test_an_answer_that_changes_nothing_shown_still_changes_the_etag(client, member_feed, feed_world):
    """Accepting is not shown in a feed, but it is a change to what the feed is made of."""
    _subscription, path = member_feed
    first = client.get(path)

    inv.answer(
        target=feed_world.concertation.invitations.get(user=feed_world.member), partstat=PartStat.ACCEPTED
    )
    again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


def test_renaming_a_group_changes_its_feed(client, feed_world, travel):
    group = feed_world.intervision
    _subscription, token = subscription_create(user=feed_world.member, label="Tablette", group=group)
    first = client.get(feed_path(token))

    StandingGroup.objects.filter(pk=group.pk).update(name="Groupe du vendredi")
    again = client.get(feed_path(token), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert "SUMMARY:Intervision — Groupe du vendredi" in again.content.decode()


def test_etag_changes_with_the_day_as_the_window_moves(client, member_feed, travel):
    _subscription, path = member_feed
    first = client.get(path)

    travel.shift(timedelta(days=1))
    again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


def test_same_rows_give_the_same_calendar(client, member_feed, travel):
    _subscription, path = member_feed
    first = client.get(path)
    travel.shift(timedelta(minutes=30))

    again = client.get(path)

    assert again.content == first.content
    assert again["ETag"] == first["ETag"]


def test_public_feed_follows_changes(client, feed_world, travel):
    path = public_feed_path(feed_world.world.network, by=feed_world.world.users["coordinator"])
    first = client.get(path)
    travel.shift(timedelta(seconds=2))

    meeting_update(meeting=feed_world.world.thematic, changes={"place": "Maison de quartier"})
    again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert b"Maison de quartier" in again.content
    assert again["ETag"] != first["ETag"]
    assert again["Last-Modified"] == http_date(timezone.now().timestamp())


def test_head_request_has_the_headers_without_the_calendar(client, member_feed):
    _subscription, path = member_feed

    response = client.head(path)

    assert response.status_code == 200
    assert response.content == b""
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["ETag"]


def test_public_feed_answers_304(client, feed_world):
    path = public_feed_path(feed_world.world.network, by=feed_world.world.users["coordinator"])
    first = client.get(path)

    with CaptureQueriesContext(connection) as queries:
        second = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])

    assert second.status_code == 304
    assert len(queries) == 1  # the network with its feed's numbers
    assert first["Cache-Control"] == "public, no-cache"


# Query counts


def _invited_to(user, organiser, network, count: int) -> None:
    """COUNT single meetings and a group series of COUNT occurrences, all for USER."""
    start = timezone.now() + timedelta(days=1)
    meetings = Meeting.objects.bulk_create(
        Meeting(
            network=network,
            kind=EXCHANGE,
            title=f"Réunion {i}",
            start=start + timedelta(days=i),
            end=start + timedelta(days=i, hours=2),
            organiser=organiser,
            place="Quelque part",
        )
        for i in range(count)
    )
    Invitation.objects.bulk_create(Invitation(meeting=m, user=user, email=user.email) for m in meetings)


@pytest.mark.parametrize("count", [10, 500])
def test_full_feed_takes_the_same_queries_for_10_and_500_events(client, feed_world, count):
    member = feed_world.member
    _invited_to(member, feed_world.world.users["facilitator"], feed_world.world.network, count)
    _subscription, token = subscription_create(user=member, label="Téléphone")

    with CaptureQueriesContext(connection) as queries:
        response = client.get(feed_path(token))

    assert response.status_code == 200
    assert response.content.count(b"BEGIN:VEVENT") > count
    # 1. the subscription with its user's language and the feed's version
    # 2. the series shown as a whole, with their latest change and first occurrence
    # 3. the meetings read one by one, with their groups and the person's answers
    # 4. the agenda items of the meetings shown on their own whose kind shows them
    # 5. the UPDATE recording the fetch
    assert len(queries) == 5


@pytest.mark.parametrize("count", [10, 500])
def test_group_feed_takes_the_same_queries_for_10_and_500_events(client, feed_world, count):
    start = timezone.now() + timedelta(days=1)
    Meeting.objects.bulk_create(
        Meeting(
            network=feed_world.world.network,
            group=feed_world.intervision,
            kind=INTERVISION,
            title="Séance supplémentaire",
            start=start + timedelta(days=i),
            end=start + timedelta(days=i, hours=1),
            organiser=feed_world.world.users["facilitator"],
        )
        for i in range(count)
    )
    _subscription, token = subscription_create(
        user=feed_world.member, label="Tablette", group=feed_world.intervision
    )

    with CaptureQueriesContext(connection) as queries:
        response = client.get(feed_path(token))

    assert response.status_code == 200
    assert response.content.count(b"BEGIN:VEVENT") > count
    # The sessions are shown whole or show no agenda: no agenda query.
    assert len(queries) == 4  # subscription and version, series, meetings, UPDATE


def test_304_takes_at_most_two_queries(client, member_feed, travel):
    subscription, path = member_feed
    first = client.get(path)
    travel.shift(timedelta(minutes=20))

    with CaptureQueriesContext(connection) as queries:
        second = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    with CaptureQueriesContext(connection) as queries_right_after:
        third = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])

    assert second.status_code == third.status_code == 304
    # 1. the subscription with the feed's version numbers; 2. the UPDATE recording the fetch
    assert len(queries) == 2
    # Within five minutes of the last record, with the same client and version, nothing is written.
    assert len(queries_right_after) == 1
    subscription.refresh_from_db()
    assert subscription.last_fetched_at == timezone.now()


def test_unknown_token_takes_one_query(client, db):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(feed_path("z" * 32))

    assert response.status_code == 404
    assert len(queries) == 1


# Rate limit


def test_requests_beyond_the_limit_get_429_per_token(client, feed_world, travel):
    _subscription, token = subscription_create(user=feed_world.member, label="Téléphone")
    _other, other_token = subscription_create(user=feed_world.member, label="Ordinateur")
    etag = client.get(feed_path(token))["ETag"]

    answers = [
        client.get(feed_path(token), HTTP_IF_NONE_MATCH=etag).status_code
        for _ in range(feed_views.RATE_LIMIT - 1)
    ]
    limited = client.get(feed_path(token))

    assert set(answers) == {304}
    assert limited.status_code == 429
    assert 0 < int(limited["Retry-After"]) <= feed_views.RATE_WINDOW_SECONDS
    assert client.get(feed_path(other_token)).status_code == 200
    travel.shift(timedelta(seconds=int(limited["Retry-After"])))
    assert client.get(feed_path(token)).status_code == 200


# Who may create what


def test_subscription_limit(feed_world):
    user = UserFactory()
    for i in range(20):
        subscription_create(user=user, label=f"Appareil {i}")

    with pytest.raises(ValidationError, match="20 abonnements"):
        subscription_create(user=user, label="Un de trop")

    assert FeedSubscription.objects.filter(user=user).count() == 20


def test_label_is_cleaned_or_given_by_the_creation_time(feed_world, travel):
    unnamed, _token = subscription_create(user=feed_world.member, label=" \x07 ")
    named, _token = subscription_create(user=feed_world.member, label="Mon\x07  téléphone")

    assert unnamed.label == "Ajouté le 15 janvier 2026, 11:00"
    assert named.label == "Mon téléphone"
