"""Answer links: signed, expiring, revocable, and bound to one meeting or series. A link opens
the answer page with its answer chosen; only sending that page records it (privacy rule 7).

A link carries the invitation's id, its nonce and the answer, signed with the secret key
(HMAC-SHA256) and a timestamp. Changing any part breaks the signature; a new nonce revokes every
link sent before; links expire after RSVP_MAX_AGE. Nothing secret is stored in the database.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.urls import reverse

from meetings.models import Invitation, PartStat, SeriesInvitation

SALT = "meetings.rsvp"
RSVP_MAX_AGE = timedelta(days=120)
# "Envoyez-moi le compte rendu": not coming, and the minutes-only role (services.answer).
MINUTES_ONLY = "MINUTES-ONLY"
ANSWERS = {
    "accept": PartStat.ACCEPTED,
    "maybe": PartStat.TENTATIVE,
    "decline": PartStat.DECLINED,
    "minutes": MINUTES_ONLY,
}


def current_choice(target) -> str:
    """What TARGET answered, as the answer page's choices say it."""
    from meetings.models import InvitationRole

    return MINUTES_ONLY if target.role == InvitationRole.MINUTES_ONLY else target.partstat


@dataclass(frozen=True)
class Answer:
    target: Invitation | SeriesInvitation
    partstat: str  # one of ANSWERS' values: a PartStat, or MINUTES_ONLY


def _scope(target) -> tuple[str, int]:
    if isinstance(target, SeriesInvitation):
        return "series", target.series_id
    return "meeting", target.meeting_id


def link_path(target, answer: str) -> str:
    scope, scope_id = _scope(target)
    token = signing.dumps(
        {"k": "s" if scope == "series" else "m", "i": target.pk, "n": target.nonce, "a": answer}, salt=SALT
    )
    return reverse("meetings:rsvp", kwargs={"scope": scope, "scope_id": scope_id, "token": token})


def read(*, scope: str, scope_id: int, token: str) -> Answer | None:
    """The answer a link stands for, or None when it is expired, tampered, revoked or misplaced."""
    try:
        data = signing.loads(token, salt=SALT, max_age=RSVP_MAX_AGE)
    except signing.BadSignature:
        return None
    if data.get("a") not in ANSWERS:
        return None
    model = SeriesInvitation if data.get("k") == "s" else Invitation
    target = model.objects.filter(pk=data.get("i"), nonce=data.get("n")).first()
    if target is None or _scope(target) != (scope, scope_id):
        return None
    return Answer(target=target, partstat=ANSWERS[data["a"]])
