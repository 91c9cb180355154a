"""A real worker on Redis sends the e-mails that the web process queues."""

from accounts import services
from accounts.models import User
from tests.factories import NetworkFactory, OrganisationFactory, UserFactory


def test_invitation_reaches_smtp_through_the_worker(celery_worker, smtp_inbox):
    coordinator = UserFactory()
    organisation = OrganisationFactory()
    network = NetworkFactory(coordinators=[coordinator], organisations=[organisation])

    services.professional_invite(
        email="anna@example.test",
        first_name="Anna",
        last_name="Kowalska",
        organisation=organisation,
        profession="nurse",
        network=network,
        language="fr",
        by=coordinator,
    )

    received = smtp_inbox.wait_for(1)
    assert len(received) == 1
    assert received[0]["To"] == "anna@example.test"
    assert received[0]["Subject"] == "Votre accès à Concertation"
    text = received[0].get_body(("plain",)).get_content()
    assert "Bonjour Anna," in text
    assert "/accounts/password/reset/key/" in text
    assert User.objects.get(email="anna@example.test").has_usable_password() is False
