"""The subscription page ("Mes abonnements") and the feed_url command."""

import re
from html import unescape
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from meetings.calendar.models import FeedKind, FeedSubscription, hash_token
from meetings.calendar.services.subscriptions import subscription_create
from meetings.qr import qr_svg
from tests.feeds_world import INTERVISION_NAME

PAGE = "/calendar/"
FEED_URL = re.compile(r'<code id="personal-feed-url" class="feed-url">(http[^<]+)</code>')


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_page_is_at_the_contract_address_and_in_the_navigation(client, feed_world):
    client.force_login(feed_world.member)

    body = unescape(client.get(reverse("meetings:agenda")).content.decode())

    assert reverse("calendar:calendar") == PAGE
    assert f'href="{PAGE}"' in body
    assert "Mes abonnements" in body


def test_page_explains_how_to_subscribe_in_each_application(client, feed_world):
    client.force_login(feed_world.member)

    body = unescape(client.get(PAGE).content.decode())

    for application in ("Google Agenda", "Outlook", "Calendrier Apple", "Thunderbird"):
        assert application in body
    assert "toutes les quelques heures, parfois seulement une fois par jour" in body
    assert "Aucun abonnement pour l'instant." in body
    assert 'id="personal-feed-url"' not in body


def test_the_english_page_names_each_application_as_it_calls_itself(client, feed_world):
    client.force_login(feed_world.member)

    body = unescape(client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode())

    for application in ("Google Calendar", "Outlook", "Apple Calendar (iPhone, iPad, Mac)", "Thunderbird"):
        assert f"<dt>{application}</dt>" in body
    assert "Google Agenda" not in body


def test_creating_a_subscription_shows_its_address_once(client, feed_world):
    client.force_login(feed_world.member)

    response = client.post(PAGE, {"feed": "personal", "label": "Téléphone"})

    body = unescape(response.content.decode())
    url = FEED_URL.search(body).group(1)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    subscription = FeedSubscription.objects.get(user=feed_world.member)
    assert url == f"http://127.0.0.1:8000/calendar/feed/{token}.ics"
    assert subscription.token_hash == hash_token(token)
    assert (subscription.label, subscription.kind, subscription.group) == (
        "Téléphone",
        FeedKind.PERSONAL,
        None,
    )
    assert f'href="webcal://127.0.0.1:8000/calendar/feed/{token}.ics"' in body
    assert "Copier l'adresse" in body
    assert "<svg" in body and "<path" in body  # the QR code, drawn on the server
    assert "https://" not in body.split('id="feed-qr"')[1].split("</figure>")[0].replace(
        "http://www.w3.org", ""
    )
    assert response["Cache-Control"] == "no-store"
    assert Calendar.from_ical(client.get(_path(url)).content).walk("VEVENT")
    again = unescape(client.get(PAGE).content.decode())
    assert token not in again
    assert "Téléphone" in again


def test_qr_code_is_the_webcal_address_drawn_on_the_server(client, feed_world):
    client.force_login(feed_world.member)

    body = client.post(PAGE, {"feed": "personal", "label": "Téléphone"}).content.decode()

    url = FEED_URL.search(unescape(body)).group(1)
    expected = qr_svg("webcal://" + url.split("://", 1)[1])
    assert expected.startswith("<svg") and "<path" in expected
    assert expected in body


def test_group_subscription_from_the_page(client, feed_world):
    client.force_login(feed_world.member)

    response = client.post(PAGE, {"feed": str(feed_world.intervision.pk), "label": "Tablette"})

    url = FEED_URL.search(unescape(response.content.decode())).group(1)
    subscription = FeedSubscription.objects.get(user=feed_world.member)
    assert (subscription.kind, subscription.group) == (FeedKind.GROUP, feed_world.intervision)
    cal = Calendar.from_ical(client.get(_path(url)).content)
    assert str(cal["X-WR-CALNAME"]) == f"Intervision — {INTERVISION_NAME}"


def test_one_click_subscribes_without_a_name(client, feed_world, travel):
    client.force_login(feed_world.member)

    response = client.post(PAGE, {"feed": "personal", "label": ""})

    assert FEED_URL.search(unescape(response.content.decode()))
    assert FeedSubscription.objects.get(user=feed_world.member).label == "Ajouté le 15 janvier 2026, 11:00"


def test_bad_input_changes_nothing(client, feed_world):
    client.force_login(feed_world.world.users["outsider"])

    too_long = client.post(PAGE, {"feed": "personal", "label": "x" * 81})
    not_my_group = client.post(PAGE, {"feed": str(feed_world.intervision.pk), "label": "Téléphone"})

    assert "au plus 80 caractères" in unescape(too_long.content.decode())
    assert "Sélectionnez un choix valide" in unescape(not_my_group.content.decode())
    assert FeedSubscription.objects.count() == 0


def test_list_shows_last_fetch_and_client(client, feed_world):
    subscription, token = subscription_create(user=feed_world.member, label="Téléphone de garde")
    client.get(reverse("calendar:feed", args=[token]), HTTP_USER_AGENT="iOS/17.4.1 (21E236) dataaccessd/1.0")
    client.force_login(feed_world.member)

    body = unescape(client.get(PAGE).content.decode())

    row = body.split(f'id="subscription-{subscription.pk}"')[1].split("</tr>")[0]
    assert "Téléphone de garde" in row
    assert "Calendrier Apple" in row
    assert "15 janvier 2026, 11:00" in row
    assert "Révoquer" in row


def test_revoke_from_the_page(client, feed_world):
    phone, phone_token = subscription_create(user=feed_world.member, label="Téléphone perdu")
    _laptop, laptop_token = subscription_create(user=feed_world.member, label="Ordinateur")
    client.force_login(feed_world.member)

    response = client.post(reverse("calendar:calendar_revoke", args=[phone.pk]), follow=True)

    phone.refresh_from_db()
    assert phone.revoked_at is not None
    body = unescape(response.content.decode())
    assert "L'abonnement « Téléphone perdu » est révoqué" in body
    assert f'id="subscription-{phone.pk}"' not in body
    assert client.get(reverse("calendar:feed", args=[phone_token])).status_code == 404
    assert client.get(reverse("calendar:feed", args=[laptop_token])).status_code == 200


def test_nobody_revokes_someone_elses_subscription(client, feed_world):
    subscription, _token = subscription_create(user=feed_world.member, label="Téléphone")
    client.force_login(feed_world.world.users["facilitator"])

    response = client.post(reverse("calendar:calendar_revoke", args=[subscription.pk]))

    subscription.refresh_from_db()
    assert response.status_code == 404
    assert subscription.revoked_at is None


def _page_queries(client) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(PAGE)
    return len(re.findall(r'id="subscription-\d+"', response.content.decode())), len(queries)


def test_page_takes_the_same_queries_for_1_and_3_subscriptions(client, feed_world):
    client.force_login(feed_world.member)
    subscription_create(user=feed_world.member, label="Appareil 1", group=feed_world.intervision)
    client.get(PAGE)  # the session is read once

    rows_one, queries_one = _page_queries(client)
    subscription_create(user=feed_world.member, label="Appareil 2", group=feed_world.intervision)
    subscription_create(user=feed_world.member, label="Appareil 3")
    rows_three, queries_three = _page_queries(client)

    assert (rows_one, rows_three) == (1, 3)
    assert queries_one == queries_three


# The feed_url command


def test_feed_url_prints_a_working_address(client, feed_world):
    out = StringIO()

    call_command("feed_url", feed_world.member.email, "--label", "Support", stdout=out)

    url = out.getvalue().strip()
    subscription = FeedSubscription.objects.get(user=feed_world.member)
    assert url.startswith("http://127.0.0.1:8000/calendar/feed/")  # loopback: the dev server has no TLS
    assert subscription.label == "Support"
    assert subscription.token_hash == hash_token(url.rsplit("/", 1)[1].removesuffix(".ics"))
    response = client.get(_path(url))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"


def test_feed_url_is_https_for_a_real_site(feed_world, settings):
    settings.SITE_URL = "http://concertation.example.be"
    out = StringIO()

    call_command("feed_url", feed_world.member.email.upper(), stdout=out)

    assert out.getvalue().startswith("https://concertation.example.be/calendar/feed/")


def test_feed_url_for_an_unknown_address_fails_clearly(db):
    with pytest.raises(CommandError, match=r"No user with the e-mail address nobody@example\.test"):
        call_command("feed_url", "nobody@example.test", stdout=StringIO())


def test_the_revoke_button_asks_for_confirmation_naming_the_device(client, feed_world):
    subscription, _token = subscription_create(user=feed_world.member, label='Le "vieux" <téléphone>')
    client.force_login(feed_world.member)

    body = client.get(reverse("calendar:calendar")).content.decode()

    form = re.search(rf"<form[^>]*{reverse('calendar:calendar_revoke', args=[subscription.pk])}[^>]*>", body)
    confirm = re.search(r'data-confirm="([^"]*)"', form.group(0)).group(1)
    assert unescape(confirm) == (
        'Révoquer l\'abonnement « Le "vieux" <téléphone> » ? Cet agenda ne recevra plus vos réunions, '
        "et son adresse ne fonctionnera plus."
    )
