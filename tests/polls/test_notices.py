"""The e-mails of date polls, as they leave: their content, the participant's own link rendered
when it leaves, and never another participant's name."""

import pytest

from meetings.polls import notices, tokens
from meetings.polls.notices import PollKind
from meetings.polls.services import closing
from meetings.polls.services.polls import participant_new_link, participant_remove
from outbox.models import OutboxMessage
from outbox.rendering import render
from tests.mail import html_body, text_body
from tests.polls.closing_world import answer

HIDDEN_TITLE = "séance extraordinaire"


def row(kind, **refs):
    return OutboxMessage.objects.filter(kind=kind, **{f"refs__{k}": v for k, v in refs.items()}).latest("pk")


def bodies(email):
    return [email.subject, text_body(email), html_body(email)]


def test_the_invitation_carries_the_heading_the_deadline_the_slots_and_the_own_link(poll_world):
    w = poll_world
    email = render(row(PollKind.INVITATION, participant=w.guest.pk))
    assert email.to == [w.guest.email]
    link = tokens.link_url(w.guest)
    subject, text, html = bodies(email)
    assert "Balint des Marolles" in subject and "23 novembre 2026" in subject
    for body in (text, html):
        assert link in body.replace("&amp;", "&")
        assert "3 dates sont proposées" in body
        assert "Bonjour Invitée du CPAS" in body
    for part in bodies(email):
        assert HIDDEN_TITLE not in part  # a closed group's poll shows its kind and group only


def test_a_link_revoked_before_the_e_mail_leaves_is_never_sent(poll_world):
    w = poll_world
    first = row(PollKind.INVITATION, participant=w.guest.pk)
    old_link = tokens.link_url(w.guest)
    participant_new_link(participant=w.guest)
    w.guest.refresh_from_db()
    text = text_body(render(first))
    assert old_link not in text
    assert tokens.link_url(w.guest) in text


def test_a_removed_participant_gets_nothing(poll_world):
    w = poll_world
    invitation = row(PollKind.INVITATION, participant=w.guest.pk)
    participant_remove(participant=w.guest)
    assert render(invitation) is None


def test_the_reminder_is_for_who_has_not_answered_while_the_poll_is_open(poll_world):
    w = poll_world
    assert notices.queue_reminder(w.guest)
    reminder = row(PollKind.REMINDER, participant=w.guest.pk)
    subject, text, _html = bodies(render(reminder))
    assert subject.startswith("Rappel")
    assert "pas encore répondu" in text and "3 propositions" in text
    assert tokens.link_url(w.guest) in text

    answer(w.guest, {w.poll.slots.first(): "yes"})
    assert render(reminder) is None

    assert notices.queue_reminder(w.pending) is True
    closing.poll_stop(poll=w.poll, by=w.world.users["facilitator"])
    assert render(row(PollKind.REMINDER, participant=w.pending.pk)) is None


def test_the_organiser_hears_of_the_poll_closed_and_complete_with_its_page(poll_world):
    w = poll_world
    facilitator = w.world.users["facilitator"]
    page = f"/polls/{w.poll.pk}/"
    notices.queue_to_organiser(w.poll, kind=PollKind.COMPLETE)
    complete = render(row(PollKind.COMPLETE, poll=w.poll.pk))
    assert complete.to == [facilitator.email]
    assert "Tout le monde a répondu" in complete.subject
    assert page in text_body(complete) and page in html_body(complete)

    closing.poll_stop(poll=w.poll, by=facilitator)
    notices.queue_to_organiser(w.poll, kind=PollKind.CLOSED)
    closed = render(row(PollKind.CLOSED, poll=w.poll.pk))
    assert "Sondage clos" in closed.subject and "23 novembre 2026" in text_body(closed)
    assert page in text_body(closed)
    for email in (complete, closed):
        for part in bodies(email):
            assert HIDDEN_TITLE not in part


@pytest.mark.parametrize("fixture", ["poll_world", "private_poll_world"])
def test_no_e_mail_names_another_participant(request, fixture):
    w = request.getfixturevalue(fixture)
    people = [w.member, w.pending, w.guest]
    for participant in people:
        notices.queue_reminder(participant)
    notices.queue_to_organiser(w.poll, kind=PollKind.COMPLETE)
    closing.close_expired(now=w.poll.deadline)
    rows = list(OutboxMessage.objects.filter(kind__in=notices.KINDS))
    assert {r.kind for r in rows} == set(notices.KINDS)
    for message in rows:
        if message.kind == PollKind.REMINDER:
            continue  # the poll is closed now: no reminder leaves (tested above)
        email = render(message)
        assert email is not None or message.kind == PollKind.INVITATION
        if email is None:
            continue
        content = " ".join(bodies(email))
        others = [p for p in people if p.email != message.recipient_email]
        for other in others:
            assert other.email not in content
            assert other.display_name not in content


@pytest.mark.parametrize("fixture", ["poll_world", "private_poll_world"])
def test_no_invitation_or_reminder_names_another_participant_while_open(request, fixture):
    w = request.getfixturevalue(fixture)
    people = [w.member, w.pending, w.guest]
    for participant in people:
        notices.queue_reminder(participant)
    rows = list(OutboxMessage.objects.filter(kind__in=[PollKind.INVITATION, PollKind.REMINDER]))
    assert len(rows) == 6
    for message in rows:
        content = " ".join(bodies(render(message)))
        for other in (p for p in people if p.email != message.recipient_email):
            assert other.email not in content
            assert other.display_name not in content
