"""The outbox's own rules: registered kinds only, primitive references, one send per row, one
Message-ID, and stored bodies emptied once a row is final."""

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from meetings import emails
from meetings.attendance.services.reports import REPORT_REMINDER
from meetings.exchanges.emails.agreement import AgreementKind
from meetings.exchanges.emails.feedback import FeedbackKind
from meetings.exchanges.emails.placement import PlacementKind
from meetings.load.notices import ReviewKind
from meetings.models import MessageKind
from meetings.polls.notices import PollKind
from meetings.situations.notices import NoticeKind
from outbox import registry
from outbox import services as outbox
from outbox.models import OutboxMessage, OutboxStatus
from outbox.rendering import render, render_stored
from tests.smtp import free_port
from worker.tasks import send_email

pytestmark = pytest.mark.django_db(transaction=True)


def reset_link_email(to: str = "a@example.be") -> EmailMultiAlternatives:
    email = EmailMultiAlternatives("Réinitialisation", "Lien : https://x.test/reset/key/abc-123/", to=[to])
    email.attach_alternative('<a href="https://x.test/reset/key/abc-123/">Lien</a>', "text/html")
    return email


def test_an_unknown_kind_is_refused_and_writes_nothing():
    with pytest.raises(registry.UnknownKind):
        outbox.queue(kind="carrier_pigeon", recipient_email="a@example.be")
    with pytest.raises(registry.UnknownKind):
        outbox.queue_many([{"kind": "carrier_pigeon", "recipient_email": "a@example.be"}])

    assert OutboxMessage.objects.count() == 0
    assert mail.outbox == []


def test_references_are_primitive_ids(world):
    with pytest.raises(TypeError):
        outbox.queue(
            kind=MessageKind.REQUEST, recipient_email="a@example.be", refs={"meeting": world.thematic}
        )

    assert OutboxMessage.objects.count() == 0


def test_a_row_whose_kind_nobody_registers_fails_when_sent():
    message = OutboxMessage.objects.create(
        kind="retired_kind", recipient_email="a@example.be", send_after=timezone.now()
    )

    assert outbox.deliver(message.pk) == OutboxStatus.FAILED
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert message.last_error.startswith("UnknownKind: ")
    assert mail.outbox == []


def test_a_kind_claimed_by_two_renderers_is_a_configuration_error():
    # The same registration again (ready() run twice) is harmless.
    registry.register(
        MessageKind.REQUEST, emails.render, label=MessageKind.REQUEST.label, prepare=emails.prepare
    )

    with pytest.raises(ImproperlyConfigured):
        registry.register(MessageKind.REQUEST, render_stored)
    assert registry.kind(MessageKind.REQUEST).render is emails.render


def test_every_kind_of_the_application_is_registered():
    assert set(registry.kinds()) == {
        *MessageKind.values,
        *NoticeKind.values,
        *ReviewKind.values,
        *PollKind.values,
        *AgreementKind.values,
        *PlacementKind.values,
        *FeedbackKind.values,
        "account_invitation",
        "allauth",
        REPORT_REMINDER,
    }


def test_the_send_task_run_twice_sends_once(world):
    message = OutboxMessage.objects.create(
        kind=MessageKind.REQUEST,
        recipient_email="a@example.be",
        refs={"meeting": world.thematic.pk},
        send_after=timezone.now(),
    )  # written without dispatch: the two runs below are the only ones

    first = send_email.delay(message.pk).get()
    second = send_email.delay(message.pk).get()

    assert (first, second) == (OutboxStatus.SENT, "skipped")
    assert [m.to for m in mail.outbox] == [["a@example.be"]]
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 1)


def test_the_outbox_addresses_the_email_and_gives_it_the_rows_message_id(world):
    message = outbox.queue(
        kind=MessageKind.REQUEST, recipient_email="a@example.be", refs={"meeting": world.thematic.pk}
    )

    rendered_by_the_app = emails.render(message)
    [sent] = mail.outbox

    assert "Message-ID" not in rendered_by_the_app.extra_headers
    assert rendered_by_the_app.to == []
    assert sent.to == ["a@example.be"]
    assert (
        sent.extra_headers["Message-ID"] == message.message_id == render(message).extra_headers["Message-ID"]
    )


def test_rows_written_at_once_get_their_own_message_ids(world):
    rows = outbox.queue_many(
        [
            {
                "kind": MessageKind.REQUEST,
                "recipient_email": f"{n}@example.be",
                "refs": {"meeting": world.thematic.pk},
            }
            for n in "abc"
        ]
    )

    ids = set(OutboxMessage.objects.values_list("message_id", flat=True))
    assert len(ids) == 3
    assert {m.message_id for m in rows} == ids
    assert all(i.startswith("<") and i.endswith("@concertation>") for i in ids)


def test_a_stored_message_is_sent_as_it_was_and_its_bodies_emptied():
    message = outbox.queue_rendered(kind="allauth", email=reset_link_email(), language="nl", refs={"user": 7})

    [sent] = mail.outbox
    assert sent.subject == "Réinitialisation"
    assert sent.body == "Lien : https://x.test/reset/key/abc-123/"
    assert sent.alternatives[0][1] == "text/html"
    message.refresh_from_db()
    assert (message.status, message.language, message.refs) == (OutboxStatus.SENT, "nl", {"user": 7})
    assert message.subject == "Réinitialisation"  # kept for history: it names no secret
    assert (message.body_text, message.body_html) == ("", "")


def test_a_stored_message_that_fails_for_good_keeps_no_link(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens: transient errors

    message = outbox.queue_rendered(kind="allauth", email=reset_link_email(), language="fr")
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.QUEUED, 1)
    assert "abc-123" in message.body_text  # still waiting: the link is needed to send it
    OutboxMessage.objects.filter(pk=message.pk).update(
        attempts=outbox.MAX_ATTEMPTS - 1, send_after=timezone.now()
    )
    outbox.deliver(message.pk)

    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert (message.body_text, message.body_html) == ("", "")


def test_a_superseded_stored_message_keeps_no_link():
    message = OutboxMessage.objects.create(
        kind="allauth",
        recipient_email="a@example.be",
        body_text="https://x.test/reset/key/abc-123/",
        send_after=timezone.now(),
    )

    assert outbox.supersede(OutboxMessage.objects.filter(pk=message.pk)) == 1
    message.refresh_from_db()
    assert (message.status, message.body_text, message.body_html) == (OutboxStatus.SUPERSEDED, "", "")


def test_an_emptied_stored_message_is_never_sent_empty():
    message = OutboxMessage.objects.create(
        kind="allauth", recipient_email="a@example.be", subject="Réinitialisation", send_after=timezone.now()
    )

    assert outbox.deliver(message.pk) == OutboxStatus.SUPERSEDED
    assert mail.outbox == []
