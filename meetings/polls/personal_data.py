"""A person's data in polls: what they were asked and answered, and the busy times read from
their own calendar (export); erasure removes their participations with their answers and busy
times (the polls they organised stay, with their organiser's tombstone account).

Their participations are those of their account, and those asked at their address before the
account existed (participants_add ties an address to the account it finds, then)."""

from django.db.models import Q

from meetings import ical
from meetings.polls.models import PollParticipant


def participations(user):
    return PollParticipant.objects.filter(Q(user=user) | Q(user__isnull=True, email__iexact=user.email))


def export(user, *, confidential: bool) -> dict:
    rows = (
        participations(user)
        .select_related("poll__group")
        .prefetch_related("answers__slot", "busy")
        .order_by("created_at", "pk")
    )
    return {
        "participations": [
            {
                # As the person was shown it (a concertation's title may name its subject).
                "poll": ical.public_heading(p.poll),
                "kind": p.poll.kind,
                "deadline": p.poll.deadline.isoformat(),
                "email": p.email,
                "required": p.required,
                "time_zone": p.time_zone,
                "answered_at": p.answered_at.isoformat() if p.answered_at else None,
                "answers": [
                    {"slot_start": a.slot.start.isoformat(), "rrule": a.slot.rrule, "choice": a.choice}
                    for a in sorted(p.answers.all(), key=lambda a: (a.slot.start, a.slot_id))
                ],
                "busy_times": [
                    {"start": b.start.isoformat(), "end": b.end.isoformat()} for b in p.busy.all()
                ],
            }
            for p in rows
        ]
    }


def erase(user, *, now) -> None:
    participations(user).delete()
