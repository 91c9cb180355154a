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

from django.db import models
from django.utils.translation import gettext_lazy as _

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


def queue_reminder(participant) -> bool:
    """Once per participant and poll opening (a reopened poll may remind again)."""
    opening = participant.poll.reopened_at.isoformat() if participant.poll.reopened_at else "first"
    return outbox.queue_once(
        dedupe_key=f"poll-remind:{participant.poll_id}:{participant.pk}:{opening}",
        **_to_participant(participant, kind=PollKind.REMINDER),
    )


def queue_to_organiser(poll, *, kind: str) -> bool:
    opening = poll.reopened_at.isoformat() if poll.reopened_at else "first"
    return outbox.queue_once(
        kind=kind,
        dedupe_key=f"{kind}:{poll.pk}:{opening}",
        **outbox.addressed_to(poll.organiser, poll=poll.pk),
    )


def render(message, cache):
    raise NotImplementedError  # written with the e-mail templates
