"""The home page's "À faire": roll calls open now, outcomes to write, meetings to close and my
actions due this week, each shown to whom it falls, in a constant number of queries."""

from datetime import time, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from meetings.attendance.services import roll_call as att
from meetings.followup.models import Action, ActionStatus
from meetings.followup.services import outcomes as out
from meetings.kinds import Kind
from meetings.models import Invitation, InvitationRole
from meetings.recurrence import local_start
from meetings.services.meetings import meeting_create
from tests.factories import professional_in

pytestmark = pytest.mark.django_db


def todo(client, user, about=None) -> list[tuple[str, str, str]]:
    """(kind, text, url) of each item of USER's home page, in order; with ABOUT, only those about
    that meeting (the world's thematic meeting and concertation are over by its session)."""
    client.force_login(user)
    response = client.get(reverse("home"))
    items = [(item.kind, item.text, item.url) for item in response.context["todos"]]
    if about is None:
        return items
    return [item for item in items if item[2].startswith(f"/meetings/{about.pk}/")]


def home_body(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("home")).content.decode()


def thematic(world, title: str, start, minutes: int = 60):
    """A meeting the world's facilitator organises (a kind whose outcome the anonymiser leaves alone)."""
    return meeting_create(
        network=world.network,
        kind=Kind.THEMATIC,
        title=title,
        start=start,
        end=start + timedelta(minutes=minutes),
        organiser=world.users["facilitator"],
        place="CPAS",
    )


def mark_everyone(meeting, facilitator, now) -> None:
    att.mark_everyone_present(meeting=meeting, by=facilitator, now=now)


def test_the_facilitator_sees_the_roll_call_open_now_and_a_member_sees_none(client, world):
    """The member is in the session's group and invited to the concertation, over by then."""
    session, facilitator, member = world.session, world.users["facilitator"], world.users["member"]
    roll_call = reverse("attendance:roll_call", args=[session.pk])

    with time_machine.travel(session.start + timedelta(minutes=10), tick=False):
        facilitators = todo(client, facilitator, about=session)
        members = todo(client, member)
        body = home_body(client, member)

    assert facilitators == [("roll_call", session.title, roll_call)]
    assert members == []
    assert 'id="todo-empty"' in body and roll_call not in body


def test_a_roll_call_opens_a_quarter_of_an_hour_before_the_start(client, world):
    session, facilitator = world.session, world.users["facilitator"]

    with time_machine.travel(session.start - timedelta(minutes=16), tick=False):
        before = todo(client, facilitator, about=session)
    with time_machine.travel(session.start - timedelta(minutes=14), tick=False):
        opened = todo(client, facilitator, about=session)

    assert before == []
    assert [kind for kind, _text, _url in opened] == ["roll_call"]


def test_after_the_meeting_the_roll_call_then_the_outcome_then_closing_are_asked_in_turn(client, world):
    session, facilitator = world.session, world.users["facilitator"]
    after = session.end + timedelta(hours=1)

    with time_machine.travel(after, tick=False):
        not_marked = todo(client, facilitator, about=session)
        mark_everyone(session, facilitator, after)
        marked = todo(client, facilitator, about=session)
        out.outcome_record(meeting=session, by=facilitator, summary="La colère du patient.", now=after)
        written = todo(client, facilitator, about=session)
        out.meeting_close(meeting=session, by=facilitator, now=after)
        closed = todo(client, facilitator, about=session)

    assert [kind for kind, _text, _url in not_marked] == ["roll_call", "outcome"]
    assert marked == [("outcome", session.title, reverse("followup:outcome", args=[session.pk]))]
    assert written == [("close", session.title, reverse("meetings:meeting", args=[session.pk]) + "#outcome")]
    assert closed == []


def test_meetings_over_for_more_than_30_days_are_no_longer_chased(client, world):
    session, facilitator = world.session, world.users["facilitator"]

    with time_machine.travel(session.end + timedelta(days=31), tick=False):
        shown = todo(client, facilitator, about=session)

    assert shown == []


def test_a_coordinator_and_members_are_asked_nothing_of_a_meeting_they_do_not_run(client, world):
    session = world.session
    with time_machine.travel(session.end + timedelta(hours=1), tick=False):
        roles = ("coordinator", "member", "pending")
        shown = {role: todo(client, world.users[role], about=session) for role in roles}

    assert shown == {"coordinator": [], "member": [], "pending": []}


def test_an_invited_facilitator_who_does_not_see_the_groups_details_gets_no_title(client, world):
    """The agenda's rule: a closed group's session is named by its kind and group to whom its
    details are not shown, even when they are asked to run it."""
    session, outsider = world.session, world.users["outsider"]
    Invitation.objects.create(
        meeting=session, user=outsider, email=outsider.email, role=InvitationRole.FACILITATOR
    )

    with time_machine.travel(session.start, tick=False):
        shown = todo(client, outsider)
        body = home_body(client, outsider)

    heading = "Groupe Balint — Balint des Marolles"
    assert [(kind, text) for kind, text, _url in shown] == [("roll_call", heading)]
    assert session.title not in body


def give_actions(world, *due_days: int, owner="member", status=ActionStatus.OPEN) -> list[Action]:
    today = timezone.localdate()
    return [
        Action.objects.create(
            origin=world.thematic,
            description=f"Action à {days} jours ({owner})",
            owner=world.users[owner],
            due_date=today + timedelta(days=days),
            created_by=world.users["coordinator"],
            status=status,
        )
        for days in due_days
    ]


def test_my_actions_due_this_week_are_mine_only_overdue_ones_included(client, world):
    # FIXED_NOW is a Thursday: Sunday is 3 days on, next Monday 4.
    give_actions(world, -2, 0, 3, 4, 10)
    give_actions(world, 1, status=ActionStatus.DONE)
    give_actions(world, 1, owner="facilitator")
    member = world.users["member"]

    shown = todo(client, member)
    body = home_body(client, member)
    overdue = [item.overdue for item in client.get(reverse("home")).context["todos"]]

    assert [text for _kind, text, _url in shown] == [
        "Action à -2 jours (member)",
        "Action à 0 jours (member)",
        "Action à 3 jours (member)",
    ]
    assert overdue == [True, False, False]
    assert "(facilitator)" not in body and "Action à 4 jours" not in body
    sunday = timezone.localdate() + timedelta(days=3)
    assert f'<time datetime="{sunday.isoformat()}">' in body


def test_actions_link_to_the_line_of_my_actions_page_that_marks_them_done(client, world):
    (action,) = give_actions(world, 1)
    member = world.users["member"]

    (item,) = todo(client, member)
    page = client.get(reverse("followup:actions")).content.decode()

    assert item[2] == reverse("followup:actions") + f"#action-{action.pk}"
    assert f'id="action-{action.pk}"' in page


def facilitators_day(world, count: int, now) -> None:
    """COUNT items of each kind for the world's facilitator at NOW: meetings under way, meetings
    over whose outcome waits, meetings over waiting to be closed, actions due this week."""
    facilitator = world.users["facilitator"]
    yesterday = local_start(timezone.localdate(now) - timedelta(days=1), time(9, 0))
    for n in range(count):
        thematic(world, f"En cours {n}", now - timedelta(minutes=10))
        waiting = thematic(world, f"Compte rendu {n}", yesterday)
        mark_everyone(waiting, facilitator, now)
        done = thematic(world, f"À clôturer {n}", yesterday)
        mark_everyone(done, facilitator, now)
        out.outcome_record(
            meeting=done,
            by=facilitator,
            summary="Tour de table.",
            actions=[out.NewAction(f"Rappeler {n}", facilitator, timezone.localdate(now))],
            now=now,
        )


@pytest.mark.parametrize("count", [1, 4])
def test_home_page_query_count_does_not_grow_with_what_is_to_do(
    client, world, django_assert_num_queries, count
):
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        facilitators_day(world, count, now)
        client.force_login(world.users["facilitator"])

        # session, user, profile; roll calls, outcomes to write, meetings to close, actions,
        # yearly reviews of series, polls to answer, visits (« Vis ma vie »); organisations,
        # coordinated networks
        with django_assert_num_queries(12):
            response = client.get(reverse("home"))

    kinds = [item.kind for item in response.context["todos"]]
    assert kinds == ["roll_call"] * count + ["outcome"] * count + ["close"] * count + ["action"] * count


def test_a_professional_in_no_group_sees_an_empty_list(client, world):
    newcomer = professional_in(world.network.organisations.first(), email="new@example.test")

    body = home_body(client, newcomer)

    assert 'id="todo-empty"' in body and 'id="todo"' not in body
