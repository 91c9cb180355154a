"""A person's data in polls: what they were asked and answered (export); erasure removes their
participations, answers and busy times (the polls they organised stay, with their organiser's
tombstone account)."""

from meetings.polls.models import PollParticipant


def export(user, *, confidential: bool) -> dict:
    rows = (
        PollParticipant.objects.filter(user=user)
        .select_related("poll")
        .prefetch_related("answers__slot")
        .order_by("created_at")
    )
    return {
        "participations": [
            {
                "poll": p.poll.title,
                "required": p.required,
                "time_zone": p.time_zone,
                "answered_at": p.answered_at.isoformat() if p.answered_at else None,
                "answers": [
                    {"slot_start": a.slot.start.isoformat(), "rrule": a.slot.rrule, "choice": a.choice}
                    for a in p.answers.all()
                ],
            }
            for p in rows
        ]
    }


def erase(user, *, now) -> None:
    PollParticipant.objects.filter(user=user).delete()
