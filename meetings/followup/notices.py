"""E-mails after meetings: action reminders, the overdue digest, closing reminders and feedback
requests. Like every e-mail, they carry no case material (DESIGN.md, privacy rule 1): an action's
description may name a situation, so e-mails give its due date, its meeting's safe heading and a
link to "Mes actions" (login required), never the description itself.

This module is the outbox's renderer of those KINDS (registered in FollowupConfig.ready()). A
row's references: "user" (the recipient's account), and "meeting" or "action".
"""

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import formats, timezone

from meetings import ical
from meetings.followup.models import Action, ActionStatus
from meetings.models import Meeting, MessageKind
from meetings.recurrence import format_date
from outbox.models import OutboxMessage
from outbox.rendering import template_email

KINDS = (
    MessageKind.ACTION_REMINDER,
    MessageKind.ACTION_DIGEST,
    MessageKind.CLOSE_REMINDER,
    MessageKind.FEEDBACK,
)

FEEDBACK_SALT = b"meetings.feedback"
FEEDBACK_MAX_AGE = 60 * 60 * 24 * 60  # two months to answer


def _feedback_cipher() -> Fernet:
    key = hashlib.sha256(FEEDBACK_SALT + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def feedback_link_path(message: OutboxMessage, score: int) -> str:
    """A link, in the feedback request MESSAGE, that opens the answer page with SCORE chosen.
    Encrypted, not only signed: access logs and browser histories must not tell who gave which
    score. It names its outbox row, so deleting the row revokes the e-mail's links."""
    payload = {"m": message.refs["meeting"], "u": message.refs["user"], "s": score, "o": message.pk}
    token = _feedback_cipher().encrypt(json.dumps(payload).encode()).decode()
    return reverse("followup:feedback_link", kwargs={"token": token})


def read_feedback_token(token: str) -> dict | None:
    """The link's meeting ("m"), person ("u") and score ("s"); None when it is unknown, older
    than FEEDBACK_MAX_AGE, or revoked (its e-mail's outbox row is gone)."""
    try:
        data = json.loads(_feedback_cipher().decrypt(token.encode(), ttl=FEEDBACK_MAX_AGE))
    except (InvalidToken, ValueError):
        return None
    if not isinstance(data, dict) or not {"m", "u", "s"} <= set(data):
        return None
    requests = OutboxMessage.objects.filter(kind=MessageKind.FEEDBACK).about(
        meeting=data["m"], user=data["u"]
    )
    # Links sent before they named their row: any feedback request to that person still standing.
    if "o" in data:
        requests = requests.filter(pk=data["o"])
    return data if requests.exists() else None


def render(message: OutboxMessage, cache: dict) -> EmailMultiAlternatives | None:
    """The e-mail after a meeting: no calendar part, no answer links. The outbox calls it in
    the recipient's language."""
    found = context(message)
    if found is None:
        return None
    found["recipient_name"] = message.recipient_name
    return template_email(message.kind.replace("_", "-"), found)


def context(message: OutboxMessage) -> dict | None:
    """What MESSAGE's templates say, as things stand now; None when there is nothing to say any
    more (the action was done, the meeting is gone)."""
    actions_url = settings.SITE_URL + reverse("followup:actions")
    if message.kind == MessageKind.ACTION_REMINDER:
        action = Action.objects.select_related("origin__group").filter(pk=message.refs.get("action")).first()
        if action is None or action.status != ActionStatus.OPEN:
            return None  # done or dropped since: nothing to remind
        return {
            "due": formats.date_format(action.due_date, "j F Y"),
            "heading": ical.public_heading(action.origin),
            "url": actions_url,
        }
    if message.kind == MessageKind.ACTION_DIGEST:
        today = timezone.localdate()
        overdue = Action.objects.filter(
            owner_id=message.refs.get("user"), status=ActionStatus.OPEN, due_date__lt=today
        )
        overdue = list(overdue.select_related("origin__group").order_by("due_date"))
        if not overdue:
            return None
        rows = [
            {"due": formats.date_format(a.due_date, "j F Y"), "heading": ical.public_heading(a.origin)}
            for a in overdue
        ]
        return {"rows": rows, "count": len(rows), "url": actions_url}
    meeting = Meeting.objects.select_related("group").filter(pk=message.refs.get("meeting")).first()
    if meeting is None:
        return None
    context = {
        "heading": ical.public_heading(meeting),
        "when": format_date(meeting.start),
        "url": ical.meeting_url(meeting),
    }
    if message.kind == MessageKind.CLOSE_REMINDER:
        return context
    if message.kind == MessageKind.FEEDBACK:
        scores = [(score, settings.SITE_URL + feedback_link_path(message, score)) for score in range(1, 6)]
        return context | {"scores": scores}
    return None
