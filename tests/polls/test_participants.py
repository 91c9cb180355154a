"""Who is asked: from the directory, a whole group, external addresses; each once, with one
e-mail each; required; a new link revokes the old one; removing; only who manages the poll."""

from datetime import date, time

import pytest
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from meetings.polls import tokens
from meetings.polls.models import PollParticipant, PollStatus
from meetings.polls.notices import PollKind
from meetings.polls.slots import at
from meetings.polls.views.participants import manage_context
from outbox.models import OutboxMessage
from tests.factories import UserFactory
from tests.polls.conftest import GUEST, make_poll

pytestmark = pytest.mark.django_db


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def invitations(poll) -> list[tuple[str, dict]]:
    rows = OutboxMessage.objects.filter(kind=PollKind.INVITATION, refs__poll=poll.pk).order_by("pk")
    return [(row.recipient_email, row.refs) for row in rows]


@pytest.fixture
def poll(world):
    """A poll nobody is asked yet, by the group's facilitator."""
    return make_poll(world)


def add(client, world, poll, **fields):
    client.force_login(world.users["facilitator"])
    payload = {"ask-people": [], "ask-people_text": "", "ask-group": "", "ask-emails": "", **fields}
    return client.post(reverse("polls:participants_add", args=[poll.pk]), payload)


def test_people_from_the_directory_are_asked_each_with_one_email(client, world, poll):
    member, outsider = world.users["member"], world.users["outsider"]

    response = add(client, world, poll, **{"ask-people": [f"u{member.pk}", f"u{outsider.pk}"]})

    assert response.status_code == 302
    assert response.url == reverse("polls:detail", args=[poll.pk]) + "#participants-title"
    asked = {p.email: p for p in poll.participants.all()}
    assert set(asked) == {member.email, outsider.email}
    assert asked[member.email].user == member and not asked[member.email].required
    assert invitations(poll) == [
        (member.email, {"poll": poll.pk, "participant": asked[member.email].pk}),
        (outsider.email, {"poll": poll.pk, "participant": asked[outsider.email].pk}),
    ]
    assert said(response) == ["2 personnes ajoutées : chacune reçoit un e-mail avec son lien pour répondre."]


def test_a_whole_group_and_external_addresses(client, world, poll):
    response = add(
        client,
        world,
        poll,
        **{
            "ask-group": world.group.pk,
            "ask-emails": "Invitee@Partenaire.test\n\n  cpas@bxl.test  ",
            "ask-required": "on",
        },
    )

    users = world.users
    expected = {
        users["facilitator"].email,
        users["member"].email,
        users["pending"].email,
        GUEST,
        "cpas@bxl.test",
    }
    participants = list(poll.participants.all())
    assert {p.email for p in participants} == expected
    assert all(p.required for p in participants)
    assert {p.email for p in participants if p.user_id is None} == {GUEST, "cpas@bxl.test"}
    assert sorted(email for email, _refs in invitations(poll)) == sorted(expected)
    assert said(response) == ["5 personnes ajoutées : chacune reçoit un e-mail avec son lien pour répondre."]


def test_asking_twice_asks_once_and_sends_one_email(client, world, poll):
    member = world.users["member"]
    add(client, world, poll, **{"ask-people": [f"u{member.pk}"], "ask-emails": GUEST})

    again = add(
        client,
        world,
        poll,
        **{"ask-people": [f"u{member.pk}"], "ask-group": world.group.pk, "ask-emails": GUEST},
    )

    assert poll.participants.filter(email=member.email).count() == 1
    assert poll.participants.filter(email=GUEST).count() == 1
    assert [email for email, _refs in invitations(poll)].count(member.email) == 1
    assert [email for email, _refs in invitations(poll)].count(GUEST) == 1
    # The group's facilitator and pending member were new.
    assert said(again)[-2:] == [
        "2 personnes ajoutées : chacune reçoit un e-mail avec son lien pour répondre.",
        "2 personnes étaient déjà invitées : rien ne leur est renvoyé.",
    ]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"ask-emails": "cpas@bxl.test\npas-une-adresse"}, "Adresses non valides : pas-une-adresse"),
        ({}, "Choisissez au moins une personne, un groupe ou une adresse."),
        ({"ask-people": ["u999999"]}, "Une personne choisie ne peut pas l'être ici"),
    ],
)
def test_a_bad_request_changes_nothing_and_says_why(client, world, poll, fields, message):
    response = add(client, world, poll, **fields)

    assert response.status_code == 302
    assert not poll.participants.exists()
    assert not OutboxMessage.objects.filter(refs__poll=poll.pk).exists()
    assert message in said(response)[0]


def test_someone_of_another_network_cannot_be_picked(client, world, poll):
    stranger = UserFactory()

    response = add(client, world, poll, **{"ask-people": [f"u{stranger.pk}"]})

    assert not poll.participants.exists()
    assert "Une personne choisie ne peut pas l'être ici" in said(response)[0]


def test_a_closed_poll_asks_nobody_more(client, world, poll):
    poll.status = PollStatus.CLOSED
    poll.save()

    response = add(client, world, poll, **{"ask-emails": GUEST})

    assert not poll.participants.exists()
    assert said(response) == ["Ce sondage est clos : les réponses ne sont plus possibles."]


def test_marking_a_participant_required_and_back(client, world, poll_world):
    client.force_login(world.users["facilitator"])
    guest = poll_world.guest
    url = reverse("polls:participant_required", args=[poll_world.poll.pk, guest.pk])

    on = client.post(url, {"required": "1"})
    guest.refresh_from_db()
    assert guest.required
    assert said(on) == ["Invitée du CPAS : présence indispensable."]

    client.post(url, {"required": "0"})
    guest.refresh_from_db()
    assert not guest.required


def test_a_new_link_revokes_the_old_one_and_is_sent(client, world, poll_world):
    client.force_login(world.users["facilitator"])
    guest = poll_world.guest
    old = tokens.token_for(guest)
    assert tokens.read(poll_id=poll_world.poll.pk, token=old) == guest

    response = client.post(reverse("polls:participant_link", args=[poll_world.poll.pk, guest.pk]))

    guest.refresh_from_db()
    assert tokens.read(poll_id=poll_world.poll.pk, token=old) is None
    assert tokens.read(poll_id=poll_world.poll.pk, token=tokens.token_for(guest)) == guest
    assert [refs for email, refs in invitations(poll_world.poll) if email == GUEST] == [
        {"poll": poll_world.poll.pk, "participant": guest.pk}
    ] * 2
    assert said(response) == [f"Nouveau lien envoyé à {GUEST} ; le lien envoyé avant ne fonctionne plus."]


def test_removing_a_participant(client, world, poll_world):
    client.force_login(world.users["facilitator"])
    guest = poll_world.guest
    old = tokens.token_for(guest)

    response = client.post(reverse("polls:participant_remove", args=[poll_world.poll.pk, guest.pk]))

    assert not PollParticipant.objects.filter(pk=guest.pk).exists()
    assert poll_world.poll.participants.count() == 2
    assert tokens.read(poll_id=poll_world.poll.pk, token=old) is None
    assert said(response) == ["Invitée du CPAS ne fait plus partie du sondage."]


def test_a_decided_poll_keeps_its_participants(client, world, poll_world):
    Poll = type(poll_world.poll)
    Poll.objects.filter(pk=poll_world.poll.pk).update(status=PollStatus.DECIDED)
    client.force_login(world.users["facilitator"])

    response = client.post(
        reverse("polls:participant_remove", args=[poll_world.poll.pk, poll_world.guest.pk])
    )

    assert PollParticipant.objects.filter(pk=poll_world.guest.pk).exists()
    assert said(response) == ["Ce sondage est déjà décidé."]


@pytest.mark.parametrize(("role", "status"), [("member", 403), ("outsider", 404), ("coordinator", 403)])
def test_only_who_manages_the_poll_changes_who_is_asked(client, world, poll_world, role, status):
    """The member is asked (sees the poll: 403); the outsider is not (404). The coordinator
    manages the group: a poll of its group is theirs to manage too."""
    if role == "coordinator":
        status = 302
    poll, guest = poll_world.poll, poll_world.guest
    client.force_login(world.users[role])
    before = list(poll.participants.values_list("pk", "required", "nonce"))
    sent = OutboxMessage.objects.count()

    responses = [
        client.post(reverse("polls:participants_add", args=[poll.pk]), {"ask-emails": "x@y.test"}),
        client.post(reverse("polls:participant_required", args=[poll.pk, guest.pk]), {"required": "1"}),
        client.post(reverse("polls:participant_link", args=[poll.pk, guest.pk])),
        client.post(reverse("polls:participant_remove", args=[poll.pk, guest.pk])),
        client.get(reverse("polls:people", args=[poll.pk]), {"q": "a"}),
    ]

    if status == 302:
        assert [r.status_code for r in responses] == [302, 302, 302, 302, 200]
        return
    assert [r.status_code for r in responses] == [status] * 5
    assert list(poll.participants.values_list("pk", "required", "nonce")) == before
    assert OutboxMessage.objects.count() == sent


def test_the_people_search_finds_the_networks_members_and_marks_who_is_asked(client, world, poll_world):
    client.force_login(world.users["facilitator"])
    member, outsider = world.users["member"], world.users["outsider"]

    body = client.get(
        reverse("polls:people", args=[poll_world.poll.pk]), {"q": member.first_name}
    ).content.decode()
    other = client.get(
        reverse("polls:people", args=[poll_world.poll.pk]), {"q": outsider.last_name}
    ).content.decode()

    assert member.get_full_name() in body and "déjà invité·e" in body
    assert outsider.get_full_name() in other and "déjà invité·e" not in other
    assert member.email not in body


def _section(world, poll, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(
        "polls/_participants.html", {"poll": poll, **manage_context(request, poll)}, request=request
    )


def test_the_section_lists_each_participant_answered_or_not_and_required(world, private_poll_world):
    poll = private_poll_world.poll
    PollParticipant.objects.filter(pk=private_poll_world.member.pk).update(
        answered_at=at(date(2026, 11, 19), time(9))
    )
    PollParticipant.objects.filter(pk=private_poll_world.guest.pk).update(required=True)

    body = _section(world, poll, world.users["facilitator"])

    rows = body.split("<li>")[1:]
    by_name = {
        name: next(r for r in rows if name in r)
        for name in [world.users["member"].get_full_name(), "Invitée du CPAS"]
    }
    assert "a répondu" in by_name[world.users["member"].get_full_name()]
    assert (
        "pas encore répondu" in by_name["Invitée du CPAS"]
        and "présence indispensable" in by_name["Invitée du CPAS"]
    )
    assert "1 réponse(s) sur 3" in body
    assert f'action="/polls/{poll.pk}/participants/"' in body
    assert f'hx-get="/polls/{poll.pk}/people/"' in body


def test_without_the_managers_context_the_section_shows_nobody(world, private_poll_world):
    body = render_to_string("polls/_participants.html", {"poll": private_poll_world.poll})

    assert world.users["member"].get_full_name() not in body
    assert GUEST not in body and "Invitée du CPAS" not in body


def test_a_group_whose_members_one_does_not_see_cannot_be_asked(client, world, poll):
    from meetings.kinds import Kind
    from meetings.services.groups import group_create

    coordinator = world.users["coordinator"]
    other = group_create(
        network=world.network,
        kind=Kind.INTERVISION,
        name="Intervision du jeudi",
        facilitators=[coordinator],
        members=[world.users["outsider"]],
        charter="Ce qui se dit ici reste ici.",
        by=coordinator,
    )

    response = add(client, world, poll, **{"ask-group": other.pk})

    assert not poll.participants.exists()
    assert "Sélectionnez un choix valide" in said(response)[0]
    request = RequestFactory().get("/")
    request.user = world.users["facilitator"]
    offered = list(manage_context(request, poll)["add_form"].fields["group"].queryset)
    assert offered == [world.group]


def test_an_address_typed_in_the_picker_asks_an_external_person(client, world, poll):
    member = world.users["member"]

    add(client, world, poll, **{"ask-people_text": f"{member.email.upper()}, cpas@bxl.test"})

    asked = {p.email: p.user for p in poll.participants.all()}
    assert asked == {member.email: member, "cpas@bxl.test": None}


def test_the_section_shows_no_members_address(world, poll_world):
    body = _section(world, poll_world.poll, world.users["facilitator"])

    assert world.users["member"].get_full_name() in body
    assert world.users["member"].email not in body
    assert GUEST in body  # an external person is their address


def test_after_the_deadline_the_section_offers_neither_new_people_nor_new_links(world, poll_world):
    import time_machine

    with time_machine.travel(at(date(2026, 11, 23), time(18, 1)), tick=False):
        body = _section(world, poll_world.poll, world.users["facilitator"])

    assert "Le sondage est clos : on n'y invite plus personne." in body
    assert "participants-form" not in body and "Envoyer un nouveau lien" not in body
    assert "Invitée du CPAS" in body
