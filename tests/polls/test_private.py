"""A private poll: its participants see nobody else's name or answers (pages, e-mails, the final
invitation's ICS); its organiser sees everyone. An open poll shows its participants each other."""

from django.urls import reverse

from meetings.models import MessageKind
from meetings.polls.models import InviteChoice
from meetings.polls.services import closing
from outbox.models import OutboxMessage
from outbox.rendering import render
from tests.mail import calendar_part
from tests.polls.closing_world import answer


def page_of(client, user, poll, name="polls:detail"):
    client.force_login(user)
    response = client.get(reverse(name, args=[poll.pk]))
    assert response.status_code == 200
    return response.content.decode()


def others_of(w):
    """What would name the other participants, seen by the member."""
    return [w.pending.display_name, w.pending.email, w.guest.display_name, w.guest.email]


def answered(w):
    first = w.poll.slots.order_by("start").first()
    answer(w.member, {first: "yes"})
    answer(w.pending, {first: "no"})
    answer(w.guest, {first: "maybe"})


def test_the_participant_sees_only_their_own_answers_on_the_poll_page(client, private_poll_world):
    w = private_poll_world
    answered(w)
    page = page_of(client, w.world.users["member"], w.poll)
    assert 'id="poll-mine"' in page and "oui" in page
    for text in others_of(w):
        assert text not in page
    assert 'id="poll-grid"' not in page


def test_the_organiser_sees_every_name_and_answer(client, private_poll_world):
    w = private_poll_world
    answered(w)
    page = page_of(client, w.world.users["facilitator"], w.poll)
    for person in (w.member, w.pending, w.guest):
        assert person.display_name in page
    assert 'id="poll-grid"' in page and "si nécessaire" in page


def test_an_open_poll_shows_its_participants_each_other(client, poll_world):
    w = poll_world
    answered(w)
    page = page_of(client, w.world.users["member"], w.poll)
    assert w.pending.display_name in page and w.guest.display_name in page


def test_someone_not_asked_gets_a_404(client, private_poll_world):
    w = private_poll_world
    client.force_login(w.world.users["outsider"])
    assert client.get(reverse("polls:detail", args=[w.poll.pk])).status_code == 404


def test_the_answer_page_names_nobody_else(client, private_poll_world):
    w = private_poll_world
    answered(w)
    page = page_of(client, w.world.users["member"], w.poll, name="polls:answer")
    for text in others_of(w):
        assert text not in page


def test_the_final_invitations_name_only_their_own_recipient_as_attendee(private_poll_world):
    w = private_poll_world
    slot = w.poll.slots.order_by("start").first()
    closing.poll_decide(poll=w.poll, slot=slot, invite=InviteChoice.ALL, by=w.world.users["facilitator"])
    rows = list(OutboxMessage.objects.filter(kind=MessageKind.REQUEST))
    assert {r.recipient_email for r in rows} == {w.member.email, w.pending.email, w.guest.email}
    for message in rows:
        method, cal = calendar_part(render(message))
        assert method == "REQUEST"
        events = cal.walk("VEVENT")
        assert events
        for event in events:
            attendees = event.get("ATTENDEE")
            attendees = attendees if isinstance(attendees, list) else [attendees]
            assert [str(a).lower() for a in attendees] == [f"mailto:{message.recipient_email}"]
        raw = cal.to_ical().decode()
        for other in (w.member, w.pending, w.guest):
            if other.email != message.recipient_email:
                assert other.email not in raw
                assert other.display_name not in raw


def test_a_concertations_poll_is_named_by_its_kind_to_those_asked(client, world):
    """A concertation's title may name the person it is about: who is asked reads "Concertation
    clinique" on every page (as in their e-mail and on their home page); its organiser, the title."""
    from meetings.kinds import Kind
    from tests.polls.conftest import ask, make_poll

    title = "Concertation autour de Madame Y., sortie d'hôpital"
    poll = make_poll(world, kind=Kind.CONCERTATION, group=None, title=title, place="")
    ask(poll, world)
    member = world.users["member"]

    for name in ("polls:detail", "polls:answer"):
        page = page_of(client, member, poll, name)
        assert "Concertation clinique" in page and "Madame Y." not in page
    client.force_login(member)
    assert "Madame Y." not in client.get(reverse("polls:list")).content.decode()
    assert "Madame Y." not in client.get(reverse("home")).content.decode()
    assert "Concertation autour de Madame Y." in page_of(client, world.users["facilitator"], poll)
