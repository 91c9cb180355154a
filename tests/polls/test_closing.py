"""Closing a poll: into a meeting or a series, with invitations per the organiser's choice;
stopping answers; reopening once; what is refused (a passed slot, deciding twice)."""

import re
from datetime import date, time

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.models import Invitation, Meeting, MessageKind, Series, SeriesInvitation
from meetings.polls.models import BusyInterval, InviteChoice, PollStatus
from meetings.polls.services import closing
from meetings.polls.services.polls import participants_add
from meetings.polls.slots import at
from outbox.models import OutboxMessage
from tests.polls.closing_world import answer
from tests.polls.conftest import GUEST, make_series_poll


def slots_of(poll):
    return list(poll.slots.order_by("start"))


def requests():
    return OutboxMessage.objects.filter(kind=MessageKind.REQUEST)


def busy(participant):
    return BusyInterval.objects.create(
        participant=participant,
        start=at(date(2026, 11, 24), time(12, 0)),
        end=at(date(2026, 11, 24), time(13, 0)),
    )


def test_deciding_creates_the_meeting_and_invites_every_participant(poll_world):
    w, facilitator = poll_world, poll_world.world.users["facilitator"]
    tuesday = slots_of(w.poll)[0]
    busy(w.member)
    participants_add(poll=w.poll, people=[{"email": facilitator.email, "user": facilitator}])

    poll = closing.poll_decide(poll=w.poll, slot=tuesday, invite=InviteChoice.ALL, by=facilitator)

    meeting = Meeting.objects.get(pk=poll.meeting_id)
    assert (meeting.kind, meeting.title, meeting.group, meeting.organiser) == (
        w.poll.kind,
        w.poll.title,
        w.world.group,
        facilitator,
    )
    assert (meeting.start, meeting.end, meeting.place) == (tuesday.start, tuesday.end, w.poll.place)
    invited = dict(meeting.invitations.values_list("email", "user_id"))
    users = w.world.users
    assert invited == {
        users["member"].email: users["member"].pk,
        users["pending"].email: users["pending"].pk,
        GUEST: None,
    }
    assert facilitator.email not in invited  # the organiser organises, as in the core's creation
    rows = {r.recipient_email: r.refs for r in requests()}
    assert set(rows) == set(invited)
    guest_invitation = Invitation.objects.get(meeting=meeting, email=GUEST)
    assert rows[GUEST] == {"meeting": meeting.pk, "invitation": guest_invitation.pk}
    poll.refresh_from_db()
    assert (poll.status, poll.chosen_slot, poll.invite_choice) == (
        PollStatus.DECIDED,
        tuesday,
        InviteChoice.ALL,
    )
    assert not BusyInterval.objects.exists()


def test_available_invites_only_who_said_yes_or_if_need_be_on_that_slot(poll_world):
    w = poll_world
    tuesday, thursday, _ = slots_of(w.poll)
    answer(w.member, {tuesday: "yes", thursday: "no"})
    answer(w.pending, {tuesday: "no", thursday: "yes"})
    answer(w.guest, {tuesday: "maybe"})

    poll = closing.poll_decide(
        poll=w.poll, slot=tuesday, invite=InviteChoice.AVAILABLE, by=w.world.users["facilitator"]
    )

    invited = set(Meeting.objects.get(pk=poll.meeting_id).invitations.values_list("email", flat=True))
    assert invited == {w.member.email, GUEST}
    assert set(requests().values_list("recipient_email", flat=True)) == invited


def test_nobody_creates_the_meeting_without_invitations(poll_world):
    w = poll_world
    poll = closing.poll_decide(
        poll=w.poll, slot=slots_of(w.poll)[1], invite=InviteChoice.NOBODY, by=w.world.users["facilitator"]
    )
    meeting = Meeting.objects.get(pk=poll.meeting_id)
    assert meeting.invitations.count() == 0
    assert not requests().exists()
    assert poll.invite_choice == InviteChoice.NOBODY


def test_a_series_poll_creates_the_series_of_the_chosen_pattern_and_invites_to_it(world):
    from tests.polls.conftest import ask

    poll = make_series_poll(world)
    member, _pending, _guest = ask(poll, world)
    third_thursday = next(s for s in slots_of(poll) if "+3TH" in s.rrule)
    answer(member, {third_thursday: "yes"})

    poll = closing.poll_decide(
        poll=poll, slot=third_thursday, invite=InviteChoice.AVAILABLE, by=world.users["facilitator"]
    )

    series = Series.objects.get(pk=poll.series_id)
    assert (series.dtstart, series.rrule, series.duration) == (
        third_thursday.start,
        third_thursday.rrule,
        poll.duration,
    )
    assert (series.group, series.organiser, series.title) == (
        world.group,
        world.users["facilitator"],
        poll.title,
    )
    assert list(SeriesInvitation.objects.filter(series=series).values_list("email", flat=True)) == [
        member.email
    ]
    rows = list(requests().values_list("recipient_email", "refs"))
    si = SeriesInvitation.objects.get(series=series)
    assert rows == [(member.email, {"series": series.pk, "series_invitation": si.pk})]
    first = series.occurrences.order_by("start").first()
    assert first.start == third_thursday.start
    assert first.invitations.filter(email=member.email).exists()


def test_closing_on_a_slot_that_has_passed_is_refused_and_changes_nothing(poll_world):
    w = poll_world
    tuesday = slots_of(w.poll)[0]
    with (
        time_machine.travel(at(date(2026, 11, 24), time(13, 0)), tick=False),
        pytest.raises(ValidationError, match="déjà passé"),
    ):
        closing.poll_decide(
            poll=w.poll, slot=tuesday, invite=InviteChoice.ALL, by=w.world.users["facilitator"]
        )
    w.poll.refresh_from_db()
    assert w.poll.status == PollStatus.OPEN and w.poll.meeting_id is None
    assert not Meeting.objects.filter(title=w.poll.title).exists()


def test_deciding_twice_is_refused(poll_world):
    w, facilitator = poll_world, poll_world.world.users["facilitator"]
    tuesday, thursday, _ = slots_of(w.poll)
    closing.poll_decide(poll=w.poll, slot=tuesday, invite=InviteChoice.ALL, by=facilitator)
    with pytest.raises(ValidationError, match="déjà décidé"):
        closing.poll_decide(poll=w.poll, slot=thursday, invite=InviteChoice.ALL, by=facilitator)
    assert Meeting.objects.filter(title=w.poll.title).count() == 1
    with pytest.raises(ValidationError, match="déjà décidé"):
        closing.poll_reopen(poll=w.poll, deadline=at(date(2026, 11, 22), time(18, 0)), by=facilitator)


def test_only_who_manages_the_poll_closes_it(poll_world):
    w = poll_world
    for user in (w.world.users["member"], w.world.users["outsider"]):
        with pytest.raises(ValidationError):
            closing.poll_decide(poll=w.poll, slot=slots_of(w.poll)[0], invite=InviteChoice.ALL, by=user)
        with pytest.raises(ValidationError):
            closing.poll_stop(poll=w.poll, by=user)
    w.poll.refresh_from_db()
    assert w.poll.status == PollStatus.OPEN


def test_stop_then_reopen_once(poll_world):
    w, facilitator = poll_world, poll_world.world.users["facilitator"]
    busy(w.member)
    closing.poll_stop(poll=w.poll, by=facilitator)
    w.poll.refresh_from_db()
    assert w.poll.status == PollStatus.CLOSED and w.poll.closed_at is not None
    assert not BusyInterval.objects.exists()
    with pytest.raises(ValidationError):
        closing.poll_stop(poll=w.poll, by=facilitator)

    with pytest.raises(ValidationError, match="passée"):
        closing.poll_reopen(poll=w.poll, deadline=at(date(2026, 11, 18), time(18, 0)), by=facilitator)
    w.poll.refresh_from_db()
    assert w.poll.status == PollStatus.CLOSED and w.poll.reopened_at is None

    new_deadline = at(date(2026, 11, 22), time(18, 0))
    closing.poll_reopen(poll=w.poll, deadline=new_deadline, by=facilitator)
    w.poll.refresh_from_db()
    assert (w.poll.status, w.poll.deadline, w.poll.complete_notified_at) == (
        PollStatus.OPEN,
        new_deadline,
        None,
    )
    assert w.poll.reopened_at is not None

    closing.poll_stop(poll=w.poll, by=facilitator)
    with pytest.raises(ValidationError, match="qu'une fois"):
        closing.poll_reopen(poll=w.poll, deadline=new_deadline, by=facilitator)
    w.poll.refresh_from_db()
    assert w.poll.status == PollStatus.CLOSED


def test_the_page_closes_the_poll_into_a_meeting_and_links_to_it(client, poll_world):
    w = poll_world
    thursday = slots_of(w.poll)[1]
    client.force_login(w.world.users["facilitator"])
    url = reverse("polls:close", args=[w.poll.pk])
    assert client.get(url).status_code == 405  # changes are POST only

    response = client.post(url, {"slot": thursday.pk, "invite": InviteChoice.NOBODY})

    assert response.status_code == 302
    w.poll.refresh_from_db()
    assert w.poll.status == PollStatus.DECIDED and w.poll.chosen_slot == thursday
    page = client.get(reverse("polls:detail", args=[w.poll.pk])).content.decode()
    assert reverse("meetings:meeting", args=[w.poll.meeting_id]) in page
    assert 'id="poll-close"' not in page
    client.force_login(w.world.users["member"])
    mine = client.get(reverse("polls:detail", args=[w.poll.pk])).content.decode()
    assert 'id="poll-chosen"' in mine and "jeudi 26 novembre 2026" in mine


def test_the_page_refuses_a_passed_slot_with_the_reason(client, poll_world):
    w = poll_world
    tuesday = slots_of(w.poll)[0]
    client.force_login(w.world.users["facilitator"])
    with time_machine.travel(at(date(2026, 11, 24), time(13, 0)), tick=False):
        response = client.post(
            reverse("polls:close", args=[w.poll.pk]), {"slot": tuesday.pk, "invite": "all"}
        )
        page = response.content.decode()
    assert response.status_code == 400
    assert "déjà passé" in page
    offered = re.findall(r'name="slot" value="(\d+)"', page)
    assert offered and str(tuesday.pk) not in offered  # the passed slot is no longer offered
    w.poll.refresh_from_db()
    assert w.poll.status == PollStatus.OPEN


def test_the_page_stops_and_reopens(client, poll_world):
    w = poll_world
    client.force_login(w.world.users["facilitator"])
    assert client.post(reverse("polls:stop", args=[w.poll.pk])).status_code == 302
    w.poll.refresh_from_db()
    assert w.poll.status == PollStatus.CLOSED
    page = client.get(reverse("polls:detail", args=[w.poll.pk])).content.decode()
    assert 'id="poll-reopen"' in page

    response = client.post(reverse("polls:reopen", args=[w.poll.pk]), {"deadline": "2026-11-22T18:00"})
    assert response.status_code == 302
    w.poll.refresh_from_db()
    assert (w.poll.status, w.poll.deadline) == (PollStatus.OPEN, at(date(2026, 11, 22), time(18, 0)))


def test_someone_else_cannot_close_through_the_page(client, poll_world):
    w = poll_world
    # A participant sees the poll and is refused; anyone else does not even find it.
    for user, refused in (("member", 403), ("outsider", 404)):
        client.force_login(w.world.users[user])
        response = client.post(
            reverse("polls:close", args=[w.poll.pk]), {"slot": slots_of(w.poll)[0].pk, "invite": "all"}
        )
        assert response.status_code == refused
    w.poll.refresh_from_db()
    assert w.poll.status == PollStatus.OPEN


def test_the_results_page_ranks_the_slots_and_warns_of_a_required_no(client, poll_world):
    w = poll_world
    tuesday, thursday, december = slots_of(w.poll)
    w.member.required = True
    w.member.save()
    answer(w.member, {tuesday: "no", thursday: "yes", december: "maybe"})
    answer(w.pending, {tuesday: "yes", thursday: "maybe", december: "maybe"})
    client.force_login(w.world.users["facilitator"])

    page = client.get(reverse("polls:detail", args=[w.poll.pk])).content.decode()

    ranked = page[page.index('id="poll-ranked"') : page.index('id="poll-close"')]
    order = [ranked.index(f'id="ranked-{slot.pk}"') for slot in (thursday, tuesday, december)]
    assert order == sorted(order)  # 1.5; then 1 and 1, no conflicts: the earlier first
    assert "1 oui, 1 si nécessaire, 0 non, 1 sans réponse" in ranked
    warning = ranked[ranked.index(f'id="required-no-{tuesday.pk}"') :]
    assert w.member.display_name in warning.split("</p>")[0]
    assert f'id="required-no-{thursday.pk}"' not in ranked
    unanswered = ranked[ranked.index('id="poll-unanswered"') :]
    assert w.guest.display_name in unanswered and w.member.display_name not in unanswered


def test_the_close_form_starts_on_the_best_slot_still_to_come(client, poll_world):
    w = poll_world
    tuesday, thursday, december = slots_of(w.poll)
    answer(w.member, {tuesday: "no", thursday: "yes", december: "maybe"})
    client.force_login(w.world.users["facilitator"])
    page = client.get(reverse("polls:detail", args=[w.poll.pk])).content.decode()
    assert re.search(rf'name="slot" value="{thursday.pk}"[^>]*checked', page)
    assert not re.search(rf'name="slot" value="{tuesday.pk}"[^>]*checked', page)
