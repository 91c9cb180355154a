"""The database refuses every query: pages, feeds and the health check answer 503 with a calm
page in the reader's language (concertation/unavailable.py); other errors stay 500s, and a
request the database answers is untouched. With a real PostgreSQL stopped and started during a
burst of requests: tests/integration/test_postgres_restart.py."""

import pytest
from django.db import InterfaceError, OperationalError, ProgrammingError, connection
from django.urls import reverse

from meetings import rsvp
from meetings.calendar.services.subscriptions import subscription_create
from meetings.models import PartStat
from meetings.services import invitations as inv
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

UNAVAILABLE = "Concertation est momentanément indisponible"


class Refusing:
    """A database that raises ERROR at every query, or every write (connection.execute_wrapper),
    counting what it refused."""

    def __init__(self, error: Exception, only_writes: bool):
        self.error, self.only_writes, self.queries = error, only_writes, 0

    def __call__(self, execute, sql, params, many, context):
        if self.only_writes and sql.lstrip().upper().startswith("SELECT"):
            return execute(sql, params, many, context)
        self.queries += 1
        raise self.error


def refused(error: Exception | None = None, *, only_writes: bool = False) -> Refusing:
    error = error or OperationalError('connection to server at "127.0.0.1", port 5432 failed')
    return Refusing(error, only_writes)


@pytest.fixture
def client(client):
    """The test client answering as a web process does, rather than raising the view's error."""
    client.raise_request_exception = False
    return client


@pytest.fixture
def member(client):
    user = UserFactory(email="member@example.test", first_name="Marc")
    client.force_login(user)
    return user


def text(response) -> str:
    return response.content.decode()


def test_a_page_whose_session_cannot_be_read_answers_503_in_french(client, member):
    database = refused()
    with connection.execute_wrapper(database):
        response = client.get(reverse("meetings:agenda"))

    assert database.queries >= 1  # the session, read by the login check before any view
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"] == "text/html; charset=utf-8"
    body = text(response)
    assert '<html lang="fr">' in body
    assert f"<h1>{UNAVAILABLE}</h1>" in body
    assert "Réessayez dans une minute." in body
    assert 'href="/agenda/"' in body  # « Réessayer »
    assert "Server Error" not in body
    assert "Traceback" not in body
    assert "member@example.test" not in body and "Marc" not in body


def test_the_page_speaks_the_readers_language(client, member):
    client.cookies["django_language"] = "nl"
    with connection.execute_wrapper(refused()):
        response = client.get(reverse("home"))

    assert response.status_code == 503
    assert '<html lang="nl">' in text(response)


def test_an_answer_the_database_refuses_to_write_answers_503_and_changes_nothing(client, world):
    [invitation] = inv.invite_to_meeting(meeting=world.thematic, invitees=[inv.guest("ines@example.be")])
    path = rsvp.link_path(invitation, "accept")
    database = refused(only_writes=True)  # it went away between the request's reads and its write

    with connection.execute_wrapper(database):
        response = client.post(path, {"partstat": "ACCEPTED"})

    assert database.queries == 1
    assert response.status_code == 503
    assert UNAVAILABLE in text(response)
    assert f'href="{path}"' in text(response)  # back to the answer page, which says what is recorded
    invitation.refresh_from_db()
    assert invitation.partstat == PartStat.NEEDS_ACTION
    assert client.post(path, {"partstat": "ACCEPTED"}).status_code == 302  # and again, once it is back
    invitation.refresh_from_db()
    assert invitation.partstat == PartStat.ACCEPTED


def test_a_closed_connection_answers_503_too(client, member):
    with connection.execute_wrapper(refused(InterfaceError("connection already closed"))):
        response = client.get(reverse("followup:actions"))

    assert response.status_code == 503
    assert UNAVAILABLE in text(response)


def test_a_feed_answers_503_with_retry_after(client):
    _subscription, token = subscription_create(user=UserFactory(), label="Téléphone")
    with connection.execute_wrapper(refused()):
        response = client.get(reverse("calendar:feed", args=[token]))

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert UNAVAILABLE in text(response)


def test_the_health_check_answers_503_while_the_database_is_away(client):
    with connection.execute_wrapper(refused()):
        response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response["Retry-After"] == "30"


def test_any_other_error_stays_a_500(client, member):
    with connection.execute_wrapper(refused(ProgrammingError('relation "meetings_meeting" does not exist'))):
        response = client.get(reverse("meetings:agenda"))

    assert response.status_code == 500
    assert not response.has_header("Retry-After")
    assert UNAVAILABLE not in text(response)


def test_a_request_the_database_answers_is_untouched(client, member):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert not response.has_header("Retry-After")
    body = text(response)
    assert UNAVAILABLE not in body
    assert "Marc" in body
