"""Follow-up's section of a person's data (accounts.personal_data): the actions they own or
handed out, and the feedback they gave.

Feedback is stored under a keyed hash of the meeting and the person, so that nobody can tell
who gave which score: only the person's own copy finds theirs (by making the same keys), and the
administrator's copy leaves it out. Erasure keeps each score for the meeting's figures, empties
the comment and replaces the key by a random one: from then on nobody, the key's holder
included, can link the answer to them. Actions stay (their owner shows as the tombstone)."""

import secrets
from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.personal_data import withheld
from meetings.followup.models import Action, Feedback
from meetings.followup.services.outcomes import respondent_key
from meetings.models import Meeting


def _their_feedback(user: User):
    """Their answers: feedback is asked of who came or accepted, so their meetings are those."""
    meetings = Meeting.objects.filter(Q(attendances__user=user) | Q(invitations__user=user)).distinct()
    keys = [respondent_key(meeting, user) for meeting in meetings.only("pk")]
    return Feedback.objects.filter(respondent__in=keys)


def export(user: User, *, confidential: bool) -> dict:
    actions = Action.objects.filter(Q(owner=user) | Q(created_by=user)).order_by("due_date", "pk")
    return {
        "actions": [
            {
                "id": a.pk,
                "meeting": a.origin_id,
                "mine": a.owner_id == user.pk,
                "handed_out_by_me": a.created_by_id == user.pk,
                "due_date": a.due_date,
                "status": a.status,
                "created_at": a.created_at,
                "closed_at": a.closed_at,
                **({"description": a.description, "drop_reason": a.drop_reason} if confidential else {}),
            }
            for a in actions
        ],
        "feedback": [
            {"meeting": f.meeting_id, "score": f.score, "comment": f.comment}
            for f in _their_feedback(user).order_by("meeting_id")
        ]
        if confidential
        else withheld(_("Anonyme : seule la personne concernée retrouve ses propres avis.")),
    }


def erase(user: User, *, now: datetime) -> None:
    for feedback in _their_feedback(user):
        Feedback.objects.filter(pk=feedback.pk).update(respondent=secrets.token_hex(32), comment="")
