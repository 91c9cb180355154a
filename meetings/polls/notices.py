"""The e-mails of date polls, all through the outbox.

- the invitation to answer (to each participant, with their own link; again with a new link),
- the reminder two days before the deadline (to those who have not answered),
- "everyone has answered" and "the poll has closed" (to the organiser).

Like every e-mail they carry no case material (privacy rule 1): the poll's heading follows its
kind's rule (`ical.public_heading`: the kind and group name for closed groups, the kind only for
concertations), never the other participants (a private poll names nobody; an open one names
nobody in e-mails either), and links that open pages recording nothing on GET (privacy rule 7).
A row's references: "poll", and "participant" for the mails to participants ("user" for the
organiser's).
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from meetings import ical
from meetings.polls.zones import zone_named
from outbox import services as outbox


class PollKind(models.TextChoices):
    INVITATION = "poll_invitation", _("sondage de date : invitation à répondre")
    REMINDER = "poll_reminder", _("sondage de date : rappel avant la date limite")
    COMPLETE = "poll_complete", _("sondage de date : tout le monde a répondu")
    CLOSED = "poll_closed", _("sondage de date : clos à la date limite")


KINDS = tuple(PollKind)


def _to_participant(participant, *, kind: str, **fields) -> dict:
    return {
        "kind": kind,
        "recipient_email": participant.email,
        "recipient_name": participant.display_name,
        "language": participant.language,
        "refs": {"poll": participant.poll_id, "participant": participant.pk},
        **fields,
    }


def queue_invitation(participant):
    """The invitation to answer, with the participant's link (rendered when it leaves, so a
    link revoked meanwhile is never sent)."""
    return outbox.queue(**_to_participant(participant, kind=PollKind.INVITATION))


def _opening(reopened_at) -> str:
    return reopened_at.isoformat() if reopened_at else "first"


def reminder_key(*, poll_id: int, participant_id: int, reopened_at=None) -> str:
    """A reminder is sent once per participant and poll opening (a reopened poll reminds again)."""
    return f"poll-remind:{poll_id}:{participant_id}:{_opening(reopened_at)}"


def organiser_key(*, kind: str, poll_id: int, reopened_at=None, asked: int = 0) -> str:
    """What the organiser is told, once per opening; "everyone has answered" once per number
    of people asked, so that it is told again once people added later have answered too."""
    key = f"{kind}:{poll_id}:{_opening(reopened_at)}"
    return f"{key}:{asked}" if kind == PollKind.COMPLETE else key


def queue_reminder(participant) -> bool:
    return outbox.queue_once(
        dedupe_key=reminder_key(
            poll_id=participant.poll_id,
            participant_id=participant.pk,
            reopened_at=participant.poll.reopened_at,
        ),
        **_to_participant(participant, kind=PollKind.REMINDER),
    )


def queue_to_organiser(poll, *, kind: str) -> bool:
    asked = poll.participants.count() if kind == PollKind.COMPLETE else 0
    return outbox.queue_once(
        kind=kind,
        dedupe_key=organiser_key(kind=kind, poll_id=poll.pk, reopened_at=poll.reopened_at, asked=asked),
        **outbox.addressed_to(poll.organiser, poll=poll.pk),
    )


def poll_url(poll_id: int) -> str:
    return settings.SITE_URL + reverse("polls:detail", kwargs={"pk": poll_id})


def _moment(value, zone: str) -> str:
    return formats.date_format(value.astimezone(zone_named(zone)), "l j F Y, H:i")


def _participant(message, cache: dict):
    from meetings.polls.models import PollParticipant

    participants = cache.setdefault("poll_participants", {})
    participant_id = message.refs.get("participant")
    if participant_id not in participants:
        participants[participant_id] = (
            PollParticipant.objects.filter(pk=participant_id)
            .select_related("poll__group")
            .annotate(answer_count=models.Count("answers"))
            .first()
        )
    participant = participants[participant_id]
    if participant is None or participant.poll_id != message.refs.get("poll"):
        return None
    return participant


def _poll(message, cache: dict):
    from meetings.polls.models import Poll

    polls = cache.setdefault("polls", {})
    poll_id = message.refs.get("poll")
    if poll_id not in polls:
        polls[poll_id] = Poll.objects.filter(pk=poll_id).select_related("group").first()
    return polls[poll_id]


def render(message, cache: dict) -> EmailMultiAlternatives | None:
    """The e-mail as things stand when it leaves, or None: a participant removed (their link is
    revoked), a poll no longer open for the invitation and the reminder, someone who answered
    since for the reminder. It names nobody but its recipient."""
    from meetings.polls import tokens
    from meetings.polls.models import PollStatus
    from outbox.rendering import template_email

    if message.kind in (PollKind.INVITATION, PollKind.REMINDER):
        participant = _participant(message, cache)
        if participant is None:
            return None
        poll = participant.poll
        if poll.status != PollStatus.OPEN:
            return None
        answered = participant.answered_at is not None or getattr(participant, "answer_count", 0) > 0
        if message.kind == PollKind.REMINDER and answered:
            return None
        zone, url = participant.time_zone, tokens.link_url(participant)
    else:
        poll = _poll(message, cache)
        if poll is None:
            return None
        if message.kind == PollKind.CLOSED and poll.status != PollStatus.CLOSED:
            return None  # reopened or decided since
        if message.kind == PollKind.COMPLETE and poll.status == PollStatus.DECIDED:
            return None
        zone, url = "Europe/Brussels", poll_url(poll.pk)
    context = {
        "recipient_name": message.recipient_name,
        "heading": ical.public_heading(poll),
        "deadline": _moment(poll.deadline, zone),
        "slot_count": poll.slots.count(),
        "is_series": poll.is_series,
        "url": url,
    }
    return template_email(message.kind.replace("_", "-"), context)
