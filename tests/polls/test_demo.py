"""The demo's date polls: the intervision's extra session, open, asked of Claire (medecin@…), who
has not answered, organised by the group's facilitator, in Claire's "À faire"; the Balint group's
series poll, open and not private; a private poll decided into a meeting whose invitations went
out. Seeding twice writes nothing more and e-mails nobody."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from meetings import ical
from meetings.demo import BALINT, INTERVISION
from meetings.models import Invitation, MessageKind
from meetings.polls import rules
from meetings.polls.demo import DECIDED_POLL_TITLE, MEETING_POLL_TITLE, SERIES_POLL_TITLE
from meetings.polls.models import Poll, PollAnswer, PollMode, PollParticipant, PollStatus
from meetings.polls.notices import PollKind
from meetings.polls.todo import to_answer
from outbox.models import OutboxMessage, OutboxStatus

pytestmark = pytest.mark.django_db

MEDECIN = "medecin@demo.concertation.test"


@pytest.fixture
def seeded():
    call_command("seed_demo")


def test_the_open_poll_asks_claire_who_has_not_answered_and_its_facilitator_manages_it(seeded):
    poll = Poll.objects.get(title=MEETING_POLL_TITLE)
    claire = User.objects.get(email=MEDECIN)
    now = timezone.now()

    assert poll.status == PollStatus.OPEN and now < poll.deadline <= now + timedelta(days=4)
    assert poll.mode == PollMode.MEETING and poll.group.name == INTERVISION and not poll.private
    assert poll.organiser.email == "animateur@demo.concertation.test"
    assert rules.can_manage_poll(poll.organiser, poll)
    slots = list(poll.slots.all())
    assert 4 <= len(slots) <= 6
    assert all(poll.deadline < s.start < now + timedelta(days=15) for s in slots)

    # Among the polls Claire sees (the list page's), the one open is this one, hers to answer.
    seen = Poll.objects.filter(rules.polls_seen_by(claire)).distinct()
    assert [p.pk for p in seen.filter(status=PollStatus.OPEN)] == [poll.pk]
    assert rules.participant_of(claire, poll) is not None and not rules.can_manage_poll(claire, poll)
    mine = poll.participants.get(user=claire)
    assert mine.answered_at is None and not mine.answers.exists()
    participants = list(poll.participants.all())
    answered = [p for p in participants if p.answered_at]
    assert 4 <= len(participants) <= 6 and 1 <= len(answered) < len(participants)
    assert all(p.answers.count() == len(slots) for p in answered)
    # Everyone's invitation went out already: nothing waits in the outbox.
    invitations = OutboxMessage.objects.filter(kind=PollKind.INVITATION).about(poll=poll.pk)
    assert sorted(invitations.values_list("recipient_email", flat=True)) == sorted(
        p.email for p in participants
    )
    assert set(invitations.values_list("status", flat=True)) == {OutboxStatus.SENT}


def test_claires_home_page_asks_her_to_answer_it(seeded, client):
    poll = Poll.objects.get(title=MEETING_POLL_TITLE)
    claire = User.objects.get(email=MEDECIN)

    client.force_login(claire)
    home = client.get(reverse("home"))

    items = [(i.kind, i.text, i.url) for i in home.context["todos"] if i.kind == "poll_answer"]
    heading = ical.public_heading(poll)  # "Intervision — Intervision du jeudi", as her e-mail said
    assert items == [("poll_answer", heading, reverse("polls:answer", args=[poll.pk]))]
    assert [t.text for t in to_answer(claire, now=timezone.now())] == [heading]


def test_the_series_poll_is_open_and_the_decided_one_made_its_meeting(seeded):
    series_poll = Poll.objects.get(title=SERIES_POLL_TITLE)
    assert series_poll.is_series and series_poll.is_open and not series_poll.private
    assert series_poll.group.name == BALINT and series_poll.session_count == 10
    assert [bool(s.rrule) for s in series_poll.slots.all()] == [True, True]
    assert series_poll.participants.filter(answered_at__isnull=False).exists()

    decided = Poll.objects.get(title=DECIDED_POLL_TITLE)
    meeting = decided.meeting
    assert decided.status == PollStatus.DECIDED and decided.private
    assert decided.chosen_slot.start == meeting.start and meeting.start > timezone.now()
    assert not decided.participants.filter(answered_at__isnull=True).exists()
    invited = set(meeting.invitations.values_list("email", flat=True))
    assert invited == set(decided.participants.values_list("email", flat=True))
    requests = OutboxMessage.objects.filter(kind=MessageKind.REQUEST).about(meeting=meeting.pk)
    assert set(requests.values_list("recipient_email", flat=True)) == invited
    assert set(requests.values_list("status", flat=True)) == {OutboxStatus.SENT}


def test_seeding_again_writes_nothing_more_and_sends_nothing(seeded):
    counts = lambda: (  # noqa: E731
        Poll.objects.count(),
        PollParticipant.objects.count(),
        PollAnswer.objects.count(),
        Invitation.objects.count(),
        OutboxMessage.objects.count(),
    )
    before = counts()
    mail.outbox.clear()

    call_command("seed_demo")

    assert counts() == before and before[0] == 3
    assert mail.outbox == []
    assert (
        not OutboxMessage.objects.exclude(status=OutboxStatus.SENT).filter(kind__startswith="poll_").exists()
    )


def test_done_when_claire_answers_on_polls_and_its_organiser_closes_it_into_the_meeting(
    seeded, client, django_capture_on_commit_callbacks
):
    """Issue 18's "Done when", through the pages: /polls/ shows Claire the one open poll she can
    answer; she answers it; its organiser closes it on the best slot, inviting everyone asked:
    the meeting exists, with an invitation (and its e-mail) for each participant."""
    poll = Poll.objects.get(title=MEETING_POLL_TITLE, status=PollStatus.OPEN)
    claire = User.objects.get(email=MEDECIN)
    answer_url = reverse("polls:answer", args=[poll.pk])

    client.force_login(claire)
    listing = client.get(reverse("polls:list")).content.decode()
    assert listing.count(f'href="{answer_url}"') == 1
    page = client.get(answer_url)
    assert page.status_code == 200
    slots = list(poll.slots.order_by("start"))
    choices = {f"slot_{s.pk}": "yes" if i == 1 else "no" for i, s in enumerate(slots)}
    sent = client.post(answer_url, {**choices, "time_zone": "Europe/Brussels"})
    assert sent.status_code == 302
    assert (
        dict(poll.participants.get(user=claire).answers.values_list("slot_id", "choice"))[slots[1].pk]
        == "yes"
    )

    client.force_login(poll.organiser)
    results = client.get(reverse("polls:detail", args=[poll.pk]))
    best = results.context["ranked"][0]["slot"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        closed = client.post(reverse("polls:close", args=[poll.pk]), {"slot": best.pk, "invite": "all"})
    assert closed.status_code == 302

    poll.refresh_from_db()
    assert poll.status == PollStatus.DECIDED and poll.chosen_slot_id == best.pk
    meeting = poll.meeting
    assert (meeting.start, meeting.end, meeting.group_id) == (best.start, best.end, poll.group_id)
    asked = set(poll.participants.values_list("email", flat=True))
    assert set(Invitation.objects.filter(meeting=meeting).values_list("email", flat=True)) == asked
    requests = OutboxMessage.objects.filter(kind=MessageKind.REQUEST).about(meeting=meeting.pk)
    assert set(requests.values_list("recipient_email", flat=True)) == asked
    assert {m.to[0] for m in mail.outbox} >= asked
