"""Answer links of a poll: signed, bound to one participant of one poll, revocable one by one.

A link carries the participant's id and nonce, signed with the secret key (HMAC-SHA256) and a
timestamp; nothing secret is stored. A new nonce (services.participant_new_link) revokes every
link sent before; an unknown, tampered, revoked or misplaced link reads as None, which the views
answer with the same 404 (privacy rule 5). The link opens the answer page; only sending that page
records anything (privacy rule 7).
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from meetings.polls.models import PollParticipant

SALT = "meetings.polls.answer"
# Longer than any poll stays open: a poll's deadline is at most POLL_MAX_DAYS ahead.
MAX_AGE = timedelta(days=400)


def token_for(participant: PollParticipant) -> str:
    return signing.dumps({"p": participant.pk, "n": participant.nonce}, salt=SALT)


def link_path(participant: PollParticipant) -> str:
    return reverse("polls:answer_link", kwargs={"pk": participant.poll_id, "token": token_for(participant)})


def link_url(participant: PollParticipant) -> str:
    return settings.SITE_URL + link_path(participant)


def read(*, poll_id: int, token: str) -> PollParticipant | None:
    """The participant a link stands for, or None."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    participant = (
        PollParticipant.objects.select_related("poll", "user")
        .filter(pk=data.get("p"), nonce=data.get("n"), poll_id=poll_id)
        .first()
    )
    return participant
