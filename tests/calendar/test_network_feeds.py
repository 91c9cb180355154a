"""A network's open meetings in calendars: a members' subscription (by token, with places and
links), and the public feed a coordinator may choose to publish (title, time and place only, at an
address that cannot be guessed). By the network's id, nothing answers."""

import hashlib
import re
from datetime import timedelta
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from meetings.calendar.models import FeedKind, FeedSubscription, PublicNetworkFeed
from meetings.calendar.services.public_feeds import (
    public_feed_change_address,
    public_feed_publish,
    public_feed_token,
    public_feed_withdraw,
)
from meetings.calendar.services.subscriptions import subscription_create, subscription_revoke
from meetings.models import Meeting, Series
from meetings.services.meetings import meeting_create, meeting_update
from tests.factories import NetworkFactory, OrganisationFactory
from tests.feeds_world import NOW, THEMATIC, feed_path
from tests.world import CONCERTATION_TITLE, GROUP_NAME, THEMATIC_TITLE

PAGE = "/calendar/"
FEED_URL = re.compile(r'<code id="personal-feed-url" class="feed-url">(http[^<]+)</code>')
PUBLIC_URL = re.compile(r'<code class="feed-url public-feed-url">(http[^<]+)</code>')
VISIO = "https://visio.example.be/reseau-marolles"
SERIES_VISIO = "https://visio.example.be/reunions-du-reseau"
OCCURRENCE_VISIO = "https://visio.example.be/seance-deplacee"
ONLY_ONLINE_VISIO = "https://visio.example.be/en-ligne-seulement"
ONLY_ONLINE_TITLE = "Webinaire du réseau"
LINKS = [VISIO, SERIES_VISIO, OCCURRENCE_VISIO, ONLY_ONLINE_VISIO]


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def _with_video_links(feed_world) -> Meeting:
    """Video links on the open meetings: the thematic meeting, the thematic series, one of its
    occurrences (which then differs from its series) and a meeting held online only."""
    world = feed_world.world
    meeting_update(meeting=world.thematic, changes={"online_link": VISIO})
    series = feed_world.thematic_series
    Series.objects.filter(pk=series.pk).update(online_link=SERIES_VISIO)
    series.occurrences.exclude(pk=feed_world.declined_occurrence.pk).update(online_link=SERIES_VISIO)
    Meeting.objects.filter(pk=feed_world.declined_occurrence.pk).update(online_link=OCCURRENCE_VISIO)
    return meeting_create(
        network=world.network,
        kind=THEMATIC,
        title=ONLY_ONLINE_TITLE,
        start=NOW + timedelta(days=3),
        end=NOW + timedelta(days=3, hours=1),
        organiser=world.users["coordinator"],
        online_link=ONLY_ONLINE_VISIO,
    )


def _publish(world) -> str:
    feed = public_feed_publish(network=world.network, by=world.users["coordinator"])
    return reverse("calendar:network_feed", args=[public_feed_token(feed)])


def _unfolded(body: bytes) -> str:
    return body.decode().replace("\r\n ", "")


# By the network's id: nothing


def test_the_feed_by_network_id_answers_404_for_any_id(client, feed_world):
    world = feed_world.world
    _publish(world)  # even once a public feed is published
    unknown = client.get(reverse("calendar:network_feed", args=["x" * 48]))

    for network_id in [world.network.pk, world.other_network.pk, 999999]:
        response = client.get(f"/calendar/network/{network_id}.ics")

        assert response.status_code == 404
        assert b"BEGIN:VCALENDAR" not in response.content
        assert response.content == unknown.content
        assert response["Content-Type"] == unknown["Content-Type"]


# The members' subscription


def test_a_member_subscribes_to_the_networks_open_meetings_from_the_page(client, feed_world):
    world = feed_world.world
    _with_video_links(feed_world)
    client.force_login(feed_world.member)

    page = unescape(client.get(PAGE).content.decode())
    response = client.post(PAGE, {"feed": f"network-{world.network.pk}", "label": "Téléphone"})

    assert f"Les réunions ouvertes du réseau « {world.network.name} »" in page
    url = FEED_URL.search(unescape(response.content.decode())).group(1)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    subscription = FeedSubscription.objects.get(user=feed_world.member)
    assert (subscription.kind, subscription.network, subscription.group) == (
        FeedKind.NETWORK,
        world.network,
        None,
    )
    assert subscription.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert response["Cache-Control"] == "no-store"
    body = client.get(_path(url)).content
    cal = Calendar.from_ical(body)
    assert str(cal["X-WR-CALNAME"]) == f"Concertation — réunions ouvertes de {world.network.name}"
    (thematic,) = [e for e in cal.walk("VEVENT") if str(e["UID"]) == world.thematic.uid]
    # Members see what the agenda shows them: the place, and the page where the link is.
    assert str(thematic["LOCATION"]) == "CPAS"
    assert "Présentation du dispositif." in str(thematic["DESCRIPTION"])
    listed = unescape(client.get(PAGE).content.decode())
    row = listed.split(f'id="subscription-{subscription.pk}"')[1].split("</tr>")[0]
    assert f"Réunions ouvertes de {world.network.name}" in row


def test_a_members_network_subscription_is_revocable_one_by_one(client, feed_world):
    network = feed_world.world.network
    phone, phone_token = subscription_create(user=feed_world.member, label="Téléphone", network=network)
    _laptop, laptop_token = subscription_create(user=feed_world.member, label="Ordinateur", network=network)
    client.force_login(feed_world.member)

    client.post(reverse("calendar:calendar_revoke", args=[phone.pk]))

    revoked = client.get(feed_path(phone_token))
    unknown = client.get(feed_path("u" * 32))
    assert revoked.status_code == unknown.status_code == 404
    assert revoked.content == unknown.content
    assert client.get(feed_path(laptop_token)).status_code == 200


def test_a_non_member_cannot_subscribe_to_a_network(client, feed_world):
    world = feed_world.world
    stranger = world.users["other_coordinator"]
    client.force_login(stranger)

    page = unescape(client.get(PAGE).content.decode())
    response = client.post(PAGE, {"feed": f"network-{world.network.pk}", "label": "Téléphone"})

    assert world.network.name not in page
    assert "Sélectionnez un choix valide" in unescape(response.content.decode())
    with pytest.raises(ValidationError, match="Seuls les membres d'un réseau"):
        subscription_create(user=stranger, label="Téléphone", network=world.network)
    assert FeedSubscription.objects.count() == 0


def test_the_subscription_of_someone_who_left_the_network_stops_answering(client, feed_world):
    world = feed_world.world
    _member, member_token = subscription_create(
        user=feed_world.member, label="Téléphone", network=world.network
    )
    _coordinator, coordinator_token = subscription_create(
        user=world.users["coordinator"], label="Téléphone", network=world.network
    )
    unknown = client.get(feed_path("v" * 32)).content
    assert client.get(feed_path(member_token)).status_code == 200
    assert client.get(feed_path(coordinator_token)).status_code == 200

    feed_world.member.professional.organisations.clear()
    world.network.coordinators.remove(world.users["coordinator"])

    for token in [member_token, coordinator_token]:
        response = client.get(feed_path(token))
        assert response.status_code == 404
        assert response.content == unknown


def test_a_member_of_a_network_through_another_organisation_keeps_it(client, feed_world):
    world = feed_world.world
    _subscription, token = subscription_create(
        user=feed_world.member, label="Téléphone", network=world.network
    )
    other = OrganisationFactory(name="Maison médicale du Midi")
    world.network.organisations.add(other)
    feed_world.member.professional.organisations.set([other])

    assert client.get(feed_path(token)).status_code == 200


def test_network_subscriptions_answer_304_and_change_with_the_meetings(client, feed_world, travel):
    world = feed_world.world
    _subscription, token = subscription_create(
        user=feed_world.member, label="Téléphone", network=world.network
    )
    first = client.get(feed_path(token))
    travel.shift(timedelta(minutes=10))

    again = client.get(feed_path(token), HTTP_IF_NONE_MATCH=first["ETag"])
    meeting_update(meeting=world.thematic, changes={"place": "Maison de quartier"})
    changed = client.get(feed_path(token), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert first["Cache-Control"] == "private, no-cache"
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert "Maison de quartier" in _unfolded(changed.content)


def test_a_network_subscription_304_takes_one_query(client, feed_world):
    world = feed_world.world
    _subscription, token = subscription_create(
        user=feed_world.member, label="Téléphone", network=world.network
    )
    first = client.get(feed_path(token))

    with CaptureQueriesContext(connection) as queries:
        again = client.get(feed_path(token), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert len(queries) == 1  # the subscription, its membership and its feed's numbers


# The public feed


def test_public_feed_is_off_by_default(client, feed_world):
    world = feed_world.world
    client.force_login(world.users["coordinator"])

    body = unescape(client.get(PAGE).content.decode())

    assert not PublicNetworkFeed.objects.exists()
    section = body.split(f'id="public-feed-{world.network.pk}"')[1].split("</article>")[0]
    assert "Aucun agenda public" in section
    assert "jamais le lien de visioconférence" in section
    assert PUBLIC_URL.search(body) is None
    assert client.get(reverse("calendar:network_feed", args=["0" * 48])).status_code == 404


def test_publishing_needs_the_confirmation(client, feed_world):
    world = feed_world.world
    client.force_login(world.users["coordinator"])
    url = reverse("calendar:network_public_feed", args=[world.network.pk])

    refused = client.post(url, {"action": "publish"}, follow=True)
    bogus = client.post(url, {"action": "everything"}, follow=True)

    assert "Cochez la case qui dit ce que l'agenda public publie" in unescape(refused.content.decode())
    assert "Ce choix n'existe pas." in unescape(bogus.content.decode())
    assert not PublicNetworkFeed.objects.exists()


def test_a_coordinator_publishes_and_the_feed_shows_no_video_link(client, feed_world):
    world = feed_world.world
    online_only = _with_video_links(feed_world)
    client.force_login(world.users["coordinator"])

    response = client.post(
        reverse("calendar:network_public_feed", args=[world.network.pk]),
        {"action": "publish", "confirm": "1"},
        follow=True,
    )
    page = unescape(response.content.decode())
    url = PUBLIC_URL.search(page).group(1)
    client.logout()
    feed = client.get(_path(url))

    assert "L'agenda public de Réseau Marolles est publié" in page
    assert PublicNetworkFeed.objects.get().published_by == world.users["coordinator"]
    assert feed.status_code == 200
    assert feed["Cache-Control"] == "public, no-cache"
    body = _unfolded(feed.content)
    cal = Calendar.from_ical(feed.content)
    events = cal.walk("VEVENT")
    assert {str(e["UID"]) for e in events} == {
        world.thematic.uid,
        feed_world.thematic_series.uid,
        online_only.uid,
    }
    for link in LINKS:
        assert link not in body
    assert "visio.example.be" not in body
    assert "online_link" not in body
    for event in events:
        assert "URL" not in event  # not even the meeting's page, which needs a login
        assert "DESCRIPTION" not in event
        assert not [name for name in event if name.startswith("X-")]
        for value in event.values():
            assert "visio" not in str(value)
    by_uid = {str(e["UID"]): e for e in events if "RECURRENCE-ID" not in e}
    assert str(by_uid[world.thematic.uid]["SUMMARY"]) == THEMATIC_TITLE
    assert str(by_uid[world.thematic.uid]["LOCATION"]) == "CPAS"
    assert by_uid[world.thematic.uid]["DTSTART"].dt == world.thematic.start
    assert str(by_uid[feed_world.thematic_series.uid]["LOCATION"]) == "CPAS d'Anderlecht"
    assert "LOCATION" not in by_uid[online_only.uid]  # online only: nothing to show
    # The occurrence whose link differs from its series' is there, without its link.
    assert [e for e in events if str(e["UID"]) == feed_world.thematic_series.uid and "RECURRENCE-ID" in e]


def test_members_still_get_the_video_links_in_their_subscription(client, feed_world):
    world = feed_world.world
    _with_video_links(feed_world)
    _publish(world)
    _subscription, token = subscription_create(
        user=feed_world.member, label="Téléphone", network=world.network
    )

    body = _unfolded(client.get(feed_path(token)).content)

    assert f"LOCATION:{ONLY_ONLINE_VISIO}" in body


def test_changing_the_address_makes_the_old_one_404(client, feed_world):
    world = feed_world.world
    old_path = _publish(world)
    assert client.get(old_path).status_code == 200
    client.force_login(world.users["coordinator"])

    response = client.post(
        reverse("calendar:network_public_feed", args=[world.network.pk]), {"action": "change"}, follow=True
    )
    page = unescape(response.content.decode())
    new_path = _path(PUBLIC_URL.search(page).group(1))
    client.logout()

    assert "a une nouvelle adresse : l'ancienne ne fonctionne plus" in page
    assert new_path != old_path
    old = client.get(old_path)
    assert old.status_code == 404
    assert old.content == client.get(reverse("calendar:network_feed", args=["y" * 48])).content
    assert client.get(new_path).status_code == 200


def test_withdrawing_the_public_feed_makes_it_404_and_republishing_gives_a_new_address(client, feed_world):
    world = feed_world.world
    first_path = _publish(world)
    client.force_login(world.users["coordinator"])

    response = client.post(
        reverse("calendar:network_public_feed", args=[world.network.pk]), {"action": "withdraw"}, follow=True
    )

    page = unescape(response.content.decode())
    assert "n'est plus publié" in page
    assert "Aucun agenda public" in page
    assert not PublicNetworkFeed.objects.exists()
    assert client.get(first_path).status_code == 404
    second_path = _publish(world)
    assert second_path != first_path
    assert client.get(first_path).status_code == 404
    assert client.get(second_path).status_code == 200


def test_only_the_networks_coordinators_publish(client, feed_world):
    world = feed_world.world
    url = reverse("calendar:network_public_feed", args=[world.network.pk])
    answers = {}
    for role in ["member", "facilitator", "other_coordinator"]:
        client.force_login(world.users[role])
        answers[role] = client.post(url, {"action": "publish", "confirm": "1"}).status_code
    client.logout()
    anonymous = client.post(url, {"action": "publish", "confirm": "1"})

    assert answers == {"member": 403, "facilitator": 403, "other_coordinator": 404}
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    assert not PublicNetworkFeed.objects.exists()
    client.force_login(world.users["member"])
    assert 'id="public-feeds"' not in client.get(PAGE).content.decode()


def test_the_public_address_is_signed_and_not_stored(feed_world, settings):
    world = feed_world.world
    feed = public_feed_publish(network=world.network, by=world.users["coordinator"])
    token = public_feed_token(feed)

    assert re.fullmatch(r"[0-9a-f]{48}", token)  # 192 bits
    stored = PublicNetworkFeed.objects.values_list("key", "token_hash").get()
    assert token not in stored
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    # Publishing again keeps the address; another network gets another.
    assert (
        public_feed_token(public_feed_publish(network=world.network, by=world.users["coordinator"])) == token
    )
    other = public_feed_publish(network=world.other_network, by=world.users["other_coordinator"])
    assert public_feed_token(other) != token
    # The site's secret key replaced, the former one kept as a fallback: the same address.
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "another-secret-key-" + "k" * 40
    assert public_feed_token(PublicNetworkFeed.objects.get(network=world.network)) == token
    settings.SECRET_KEY_FALLBACKS = []
    assert public_feed_token(PublicNetworkFeed.objects.get(network=world.network)) is None


def test_an_address_that_cannot_be_shown_still_answers(client, feed_world, settings):
    world = feed_world.world
    path = _publish(world)
    settings.SECRET_KEY = "another-secret-key-" + "k" * 40
    client.force_login(world.users["coordinator"])

    page = unescape(client.get(PAGE).content.decode())

    assert "Cette adresse ne peut plus être affichée" in page
    assert PUBLIC_URL.search(page) is None
    client.logout()
    assert client.get(path).status_code == 200
    assert public_feed_change_address(network=world.network) is not None
    client.force_login(world.users["coordinator"])
    assert PUBLIC_URL.search(unescape(client.get(PAGE).content.decode()))


def test_changing_or_withdrawing_a_feed_that_is_not_published_changes_nothing(client, feed_world):
    network = feed_world.world.network
    client.force_login(feed_world.world.users["coordinator"])

    response = client.post(
        reverse("calendar:network_public_feed", args=[network.pk]), {"action": "change"}, follow=True
    )

    assert "Réseau Marolles ne publie pas d'agenda public." in unescape(response.content.decode())
    assert public_feed_change_address(network=network) is None
    assert public_feed_withdraw(network=network) is False
    assert not PublicNetworkFeed.objects.exists()


def test_public_feed_is_rate_limited_per_address_and_client(client, feed_world, monkeypatch):
    from meetings.calendar import views as feed_views

    monkeypatch.setattr(feed_views, "PUBLIC_RATE_LIMIT", 3)
    path = _publish(feed_world.world)

    answers = [client.get(path).status_code for _ in range(4)]
    elsewhere = client.get(path, REMOTE_ADDR="192.0.2.7")

    assert answers == [200, 200, 200, 429]
    assert elsewhere.status_code == 200


# What network feeds never hold


def test_no_concertation_or_closed_group_in_network_feeds(client, feed_world):
    world = feed_world.world
    public_path = _publish(world)
    _subscription, token = subscription_create(
        user=feed_world.member, label="Téléphone", network=world.network
    )
    open_uids = {world.thematic.uid, feed_world.thematic_series.uid}

    for path in [public_path, feed_path(token)]:
        content = client.get(path).content
        body = _unfolded(content)
        assert {str(e["UID"]) for e in Calendar.from_ical(content).walk("VEVENT")} == open_uids
        for secret in [CONCERTATION_TITLE, GROUP_NAME, "Concertation clinique", "Rue Haute 100"]:
            assert secret not in body, (path, secret)
        for closed in [world.session, world.concertation, feed_world.concertation, feed_world.renamed_balint]:
            assert closed.uid not in body


def test_public_feeds_on_the_page_take_the_same_queries_for_1_and_3_networks(client, feed_world):
    world = feed_world.world
    coordinator = world.users["coordinator"]
    client.force_login(coordinator)
    _publish(world)
    client.get(PAGE)  # the session is read once

    with CaptureQueriesContext(connection) as one:
        first = client.get(PAGE)
    for name in ["Réseau du Midi", "Réseau du Nord"]:
        network = NetworkFactory(name=name, coordinators=[coordinator])
        public_feed_publish(network=network, by=coordinator)
    with CaptureQueriesContext(connection) as three:
        again = client.get(PAGE)

    assert len(PUBLIC_URL.findall(unescape(first.content.decode()))) == 1
    assert len(PUBLIC_URL.findall(unescape(again.content.decode()))) == 3
    assert len(one) == len(three)


def test_revoked_network_subscriptions_stay_revoked_when_the_feed_is_published(client, feed_world):
    world = feed_world.world
    subscription, token = subscription_create(
        user=feed_world.member, label="Téléphone", network=world.network
    )
    subscription_revoke(subscription=subscription)

    _publish(world)

    assert client.get(feed_path(token)).status_code == 404
