"""Account e-mails go through the outbox: coordinators' invitations, rendered when they leave,
and django-allauth's own messages, rendered by allauth in the person's language when queued."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse

from accounts import services
from outbox.models import OutboxMessage, OutboxStatus
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RESET_LINK = r"http://\S+/accounts/password/reset/key/\S+"


def invite(coordinator, network, organisation, *, email="els@example.test", language="nl"):
    return services.professional_invite(
        email=email,
        first_name="Els",
        last_name="Peeters",
        organisation=organisation,
        profession="psychologist",
        network=network,
        language=language,
        by=coordinator,
    )


def test_password_reset_is_an_outbox_row_in_the_persons_language(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="joris@example.test", first_name="Joris", language="nl")

    with django_capture_on_commit_callbacks() as on_commit:
        response = client.post(reverse("account_reset_password"), {"email": "joris@example.test"})
        row = OutboxMessage.objects.get()
        before_commit = list(mail.outbox)

    assert response.status_code == 302
    assert before_commit == []  # nothing leaves before the transaction commits
    assert (row.kind, row.status, row.recipient_email, row.language) == (
        "allauth",
        OutboxStatus.QUEUED,
        "joris@example.test",
        "nl",
    )
    assert row.refs == {"user": user.pk}
    assert row.subject == "[Concertation] Nieuw wachtwoord"  # the page was in French
    assert re.search(RESET_LINK, row.body_text)
    assert len(on_commit) == 1

    on_commit[0]()

    [sent] = mail.outbox
    assert sent.to == ["joris@example.test"]
    assert sent.subject == "[Concertation] Nieuw wachtwoord"
    assert sent.extra_headers["Message-ID"] == row.message_id
    assert re.search(RESET_LINK, sent.body)
    row.refresh_from_db()
    assert row.status == OutboxStatus.SENT
    assert (row.body_text, row.body_html) == ("", "")  # the sent link stays in no row


def test_the_reset_link_from_the_outbox_sets_a_new_password(client, django_capture_on_commit_callbacks):
    UserFactory(email="joris@example.test", language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "joris@example.test"})
    [sent] = mail.outbox
    path = urlsplit(re.search(RESET_LINK, sent.body).group(0)).path

    form_page = client.get(path, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"password1": "nouveau-mot-de-passe-42", "password2": "nouveau-mot-de-passe-42"},
    )

    assert sent.subject == "[Concertation] E-mail de réinitialisation de mot de passe"
    assert client.login(email="joris@example.test", password="nouveau-mot-de-passe-42") is True


def test_an_unknown_address_is_answered_in_the_pages_language(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_reset_password"), {"email": "nobody@example.test"}, HTTP_ACCEPT_LANGUAGE="en"
        )

    row = OutboxMessage.objects.get()
    [sent] = mail.outbox
    assert (row.kind, row.language, row.refs, row.status) == ("allauth", "en", {}, OutboxStatus.SENT)
    assert sent.to == ["nobody@example.test"]
    assert sent.subject == "[Concertation] Unknown Account"


def test_account_invitation_waits_in_the_outbox_without_its_link(
    coordinator, network, member_organisation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = invite(coordinator, network, member_organisation, language="nl")

    row = OutboxMessage.objects.get()
    assert (row.kind, row.recipient_email, row.recipient_name, row.language) == (
        "account_invitation",
        "els@example.test",
        "Els Peeters",
        "nl",
    )
    assert row.refs == {"user": user.pk, "inviter": coordinator.pk}
    # Rendered when it left: the link to choose a password was made then and stored nowhere.
    assert (row.subject, row.body_text, row.body_html) == ("", "", "")
    [sent] = mail.outbox
    assert sent.subject == "Uw toegang tot Concertation"
    assert "Kies hier uw wachtwoord:" in sent.body
    assert re.search(RESET_LINK, sent.body)
    assert sent.extra_headers["Message-ID"] == row.message_id


def test_an_invitation_to_someone_who_has_a_password_by_then_is_not_sent(
    coordinator, network, member_organisation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as on_commit:
        user = invite(coordinator, network, member_organisation)
    user.set_password("choisi-entre-temps-42")
    user.save()

    for callback in on_commit:
        callback()

    assert mail.outbox == []
    assert OutboxMessage.objects.get().status == OutboxStatus.SUPERSEDED
