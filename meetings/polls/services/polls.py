"""Polls: create one, and who is asked (add, mark required, send a new link, remove).

Writes only; every function checks what it is given and changes nothing when it refuses
(ValidationError with a French message, translated like the rest of the interface).
"""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Network, User
from meetings import bounds
from meetings.models import StandingGroup
from meetings.models.invitations import new_nonce
from meetings.polls import notices
from meetings.polls.models import MAX_SLOTS, Poll, PollMode, PollParticipant, PollSlot, PollStatus
from meetings.polls.slots import Candidate
from meetings.recurrence import check_duration

# A poll looks for a date in the weeks to come: its deadline is at most this far ahead.
POLL_MAX_DAYS = 365


def distinct_candidates(candidates: list[Candidate]) -> list[Candidate]:
    """CANDIDATES once each (a slot both generated and typed is one slot), in order; two that
    start together but end apart are refused: which one was meant?"""
    seen: dict[tuple, Candidate] = {}
    for candidate in candidates:
        known = seen.setdefault((candidate.start, candidate.rrule), candidate)
        if known.end != candidate.end:
            raise ValidationError(
                _(
                    "Deux créneaux commencent au même moment mais finissent à des heures "
                    "différentes : gardez-en un."
                ),
                code="same_start",
            )
    return list(seen.values())


def check_slots(candidates: list[Candidate], *, now: datetime) -> None:
    if not candidates:
        raise ValidationError(_("Proposez au moins un créneau."), code="no_slot")
    if len(candidates) > MAX_SLOTS:
        raise ValidationError(
            _("Un sondage propose au plus %(max)s créneaux (ici %(count)s).")
            % {"max": MAX_SLOTS, "count": len(candidates)},
            code="too_many_slots",
        )
    for candidate in candidates:
        check_duration(candidate.end - candidate.start)
        bounds.check_moment(candidate.start)
        if candidate.start <= now:
            raise ValidationError(_("Un créneau proposé est déjà passé."), code="slot_past")


def check_deadline(deadline: datetime, *, now: datetime) -> None:
    if deadline <= now:
        raise ValidationError(_("La date limite des réponses est déjà passée."), code="deadline_past")
    if deadline > now + timedelta(days=POLL_MAX_DAYS):
        raise ValidationError(_("La date limite doit tomber dans l'année qui vient."), code="deadline_far")


@transaction.atomic
def poll_create(
    *,
    network: Network,
    organiser: User,
    title: str,
    kind: str,
    duration: timedelta,
    deadline: datetime,
    candidates: list[Candidate],
    mode: str = PollMode.MEETING,
    group: StandingGroup | None = None,
    purpose: str = "",
    place: str = "",
    online_link: str = "",
    session_count: int | None = None,
    private: bool = False,
    now: datetime | None = None,
) -> Poll:
    """Save a poll and its candidate slots (distinct, at most MAX_SLOTS, none passed), open
    until DEADLINE. Nobody is asked yet: participants_add asks them."""
    now = now or timezone.now()
    candidates = distinct_candidates(candidates)
    check_slots(candidates, now=now)
    check_deadline(deadline, now=now)
    check_duration(duration)
    if group is not None and (group.network_id != network.pk or group.kind != kind):
        raise ValidationError(
            _("Le groupe choisi n'est pas de ce type ou de ce réseau."), code="group_mismatch"
        )
    if mode == PollMode.SERIES and any(not c.rrule for c in candidates):
        raise ValidationError(_("Une série se choisit entre des rythmes."), code="pattern_missing")
    poll = Poll(
        network=network,
        organiser=organiser,
        title=title,
        kind=kind,
        group=group,
        mode=mode,
        purpose=purpose,
        place=place,
        online_link=online_link,
        duration=duration,
        session_count=session_count if mode == PollMode.SERIES else None,
        private=private,
        deadline=deadline,
    )
    poll.full_clean()
    poll.save()
    PollSlot.objects.bulk_create(
        PollSlot(poll=poll, start=c.start, end=c.end, rrule=c.rrule) for c in candidates
    )
    return poll


def check_open(poll: Poll, *, now: datetime | None = None) -> None:
    """Answers and new participants are for an open poll before its deadline."""
    if poll.status != PollStatus.OPEN or poll.deadline <= (now or timezone.now()):
        raise ValidationError(_("Ce sondage est clos : les réponses ne sont plus possibles."), code="closed")


@transaction.atomic
def participants_add(
    *, poll: Poll, people: list[dict], required: bool = False, now: datetime | None = None
) -> list[PollParticipant]:
    """Ask PEOPLE ({"email", "name", "language", "user"}), each once: someone already asked is
    left alone (no second e-mail). Each new participant gets the e-mail with their own link."""
    check_open(poll, now=now)
    existing = set(poll.participants.values_list("email", flat=True))
    created = []
    for person in people:
        email = person["email"].strip().lower()
        if not email or email in existing:
            continue
        existing.add(email)
        user = person.get("user") or User.objects.filter(email__iexact=email).first()
        participant = PollParticipant(
            poll=poll,
            user=user,
            email=email,
            name=(user.get_full_name() if user else person.get("name", "")) or "",
            language=(user.language if user else person.get("language", "fr")) or "fr",
            required=required,
        )
        participant.full_clean(exclude=["poll"])
        participant.save()
        created.append(participant)
        notices.queue_invitation(participant)
    if created:
        # Someone new has not answered: "everyone has answered" may be told again later.
        Poll.objects.filter(pk=poll.pk).update(complete_notified_at=None)
    return created


def participant_set_required(*, participant: PollParticipant, required: bool) -> None:
    participant.required = required
    participant.save(update_fields=["required"])


@transaction.atomic
def participant_new_link(*, participant: PollParticipant, now: datetime | None = None) -> None:
    """Revoke the links sent to PARTICIPANT (a new nonce) and send a new one."""
    check_open(participant.poll, now=now)
    participant.nonce = new_nonce()
    participant.save(update_fields=["nonce"])
    notices.queue_invitation(participant)


@transaction.atomic
def participant_remove(*, participant: PollParticipant, now: datetime | None = None) -> None:
    """Remove someone asked by mistake, with their answers; their link stops working. If they
    were the last one not to have answered, the organiser hears that everyone has."""
    poll = participant.poll
    if poll.status == PollStatus.DECIDED:
        raise ValidationError(_("Ce sondage est déjà décidé."), code="decided")
    participant.delete()
    if poll.status == PollStatus.OPEN and poll.participants.exists():
        tell_when_complete(poll, now=now or timezone.now())


def tell_when_complete(poll: Poll, *, now: datetime) -> None:
    """Once everyone asked has answered, tell the organiser: once for as many people asked
    (notices.organiser_key), the conditional UPDATE letting one answer through when two come
    at once; participants_add clears the mark for the people it adds."""
    if poll.participants.filter(answered_at__isnull=True).exists():
        return
    if Poll.objects.filter(pk=poll.pk, complete_notified_at__isnull=True).update(complete_notified_at=now):
        poll.complete_notified_at = now
        notices.queue_to_organiser(poll, kind=notices.PollKind.COMPLETE)
