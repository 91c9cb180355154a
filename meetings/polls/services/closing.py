"""Closing a poll: stop the answers, decide on a slot (the meeting or the series is created and
invited), reopen once; and the periodic work (closing at the deadline, reminders).

Lifecycle: OPEN → CLOSED (poll_stop, or close_expired at the deadline) → OPEN again once
(poll_reopen, with a new deadline) → DECIDED (poll_decide, from OPEN or CLOSED, once). Whenever
answers stop, the busy times read from the participants' own calendars are deleted.

Every function refuses with a ValidationError in French and then changes nothing.
"""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from meetings.polls import notices, rules
from meetings.polls.models import (
    BusyInterval,
    Choice,
    InviteChoice,
    Poll,
    PollAnswer,
    PollParticipant,
    PollSlot,
    PollStatus,
)
from meetings.polls.notices import PollKind
from meetings.polls.services.polls import check_deadline
from meetings.services import invitations
from meetings.services.meetings import meeting_create
from meetings.services.series import series_create

# Participants who have not answered hear once, this long before the deadline.
REMIND_BEFORE = timedelta(days=2)


def _check_manager(poll: Poll, by: User) -> None:
    if not rules.can_manage_poll(by, poll):
        raise ValidationError(_("Seul l'organisateur du sondage peut le clore."), code="not_manager")


def _locked(poll: Poll) -> Poll:
    """POLL's row, locked until the transaction ends: only the poll's own row (PostgreSQL locks
    no row of an outer join's nullable side, the group, and the organiser's row is not ours)."""
    return (
        Poll.objects.select_for_update(of=("self",))
        .select_related("group", "organiser", "network")
        .get(pk=poll.pk)
    )


def forget_busy(poll: Poll) -> int:
    """The busy times imported for POLL are deleted when its answers stop, and with them the
    word that a calendar was read (after a reopening, each may paste it again)."""
    deleted, _by_model = BusyInterval.objects.filter(participant__poll=poll).delete()
    PollParticipant.objects.filter(poll=poll, calendar_read_at__isnull=False).update(calendar_read_at=None)
    return deleted


def _refresh(poll: Poll, locked: Poll) -> Poll:
    for name in ("status", "closed_at", "reopened_at", "deadline", "complete_notified_at"):
        setattr(poll, name, getattr(locked, name))
    for name in ("chosen_slot", "meeting", "series"):
        setattr(poll, f"{name}_id", getattr(locked, f"{name}_id"))
    poll.invite_choice = locked.invite_choice
    return poll


@transaction.atomic
def poll_stop(*, poll: Poll, by: User, now: datetime | None = None) -> Poll:
    """Stop the answers without deciding yet (OPEN → CLOSED)."""
    now = now or timezone.now()
    _check_manager(poll, by)
    locked = _locked(poll)
    if locked.status != PollStatus.OPEN:
        raise ValidationError(_("Ce sondage n'est plus ouvert aux réponses."), code="not_open")
    locked.status, locked.closed_at = PollStatus.CLOSED, now
    locked.save(update_fields=["status", "closed_at"])
    forget_busy(locked)
    return _refresh(poll, locked)


def invitees_for(poll: Poll, slot: PollSlot, choice: str) -> list[invitations.Invitee]:
    """Who the meeting invites for CHOICE: every participant, those who answered yes or if need
    be on SLOT, or nobody. As in the core's creation of a meeting, the organiser organises it and
    is not sent an invitation. Directory members through their account, others as guests."""
    if choice == InviteChoice.NOBODY:
        return []
    participants = PollParticipant.objects.filter(poll=poll).select_related("user").order_by("pk")
    if choice == InviteChoice.AVAILABLE:
        participants = participants.filter(
            Exists(
                PollAnswer.objects.filter(
                    participant=OuterRef("pk"), slot=slot, choice__in=[Choice.YES, Choice.MAYBE]
                )
            )
        )
    found = []
    for participant in participants:
        if participant.user_id is not None and participant.user_id == poll.organiser_id:
            continue
        if participant.user is not None:
            found.append(invitations.invitee_for(participant.user))
        else:
            found.append(invitations.guest(participant.email, participant.name, participant.language))
    return found


@transaction.atomic
def poll_decide(*, poll: Poll, slot: PollSlot, invite: str, by: User, now: datetime | None = None) -> Poll:
    """Decide on SLOT: create the meeting (or, for a series poll, the series of SLOT's pattern)
    with the poll's details, invite per INVITE (an InviteChoice), and mark the poll DECIDED."""
    now = now or timezone.now()
    _check_manager(poll, by)
    locked = _locked(poll)
    if locked.status == PollStatus.DECIDED:
        raise ValidationError(_("Ce sondage est déjà décidé : la réunion a été créée."), code="decided")
    if slot.poll_id != locked.pk:
        raise ValidationError(_("Ce créneau n'est pas proposé par ce sondage."), code="slot_other")
    if slot.start <= now:
        raise ValidationError(_("Ce créneau est déjà passé : choisissez-en un autre."), code="slot_past")
    if invite not in InviteChoice.values:
        raise ValidationError(
            _("Choisissez qui inviter : tous, ceux qui sont disponibles, ou personne pour l'instant."),
            code="invite_choice",
        )
    details = {
        "network": locked.network,
        "kind": locked.kind,
        "title": locked.title,
        "organiser": locked.organiser,
        "group": locked.group,
        "purpose": locked.purpose,
        "place": locked.place,
        "online_link": locked.online_link,
    }
    invitees = invitees_for(locked, slot, invite)
    if locked.is_series:
        series = series_create(
            **details, dtstart=slot.start, duration=locked.duration, rrule=slot.rrule, now=now
        )
        if invitees:
            invitations.invite_to_series(series=series, invitees=invitees, now=now)
        locked.series = series
    else:
        meeting = meeting_create(**details, start=slot.start, end=slot.end)
        if invitees:
            invitations.invite_to_meeting(meeting=meeting, invitees=invitees)
        locked.meeting = meeting
    locked.status = PollStatus.DECIDED
    locked.chosen_slot = slot
    locked.invite_choice = invite
    locked.closed_at = locked.closed_at or now
    locked.full_clean()
    locked.save()
    forget_busy(locked)
    return _refresh(poll, locked)


@transaction.atomic
def poll_reopen(*, poll: Poll, deadline: datetime, by: User, now: datetime | None = None) -> Poll:
    """Open a closed poll again, once, until a new DEADLINE (before anything is decided)."""
    now = now or timezone.now()
    _check_manager(poll, by)
    locked = _locked(poll)
    if locked.status == PollStatus.DECIDED:
        raise ValidationError(_("Ce sondage est déjà décidé : il ne peut plus être rouvert."), code="decided")
    if locked.status != PollStatus.CLOSED:
        raise ValidationError(_("Ce sondage est encore ouvert."), code="open")
    if locked.reopened_at is not None:
        raise ValidationError(_("Un sondage ne peut être rouvert qu'une fois."), code="reopened")
    check_deadline(deadline, now=now)
    locked.status, locked.deadline, locked.reopened_at = PollStatus.OPEN, deadline, now
    locked.closed_at = None
    locked.complete_notified_at = None
    locked.full_clean()
    locked.save(update_fields=["status", "deadline", "reopened_at", "closed_at", "complete_notified_at"])
    return _refresh(poll, locked)


def close_expired(*, now: datetime | None = None) -> int:
    """Open polls past their deadline close; their organiser is told once. Returns how many."""
    now = now or timezone.now()
    count = 0
    due = Poll.objects.filter(status=PollStatus.OPEN, deadline__lte=now).values_list("pk", flat=True)
    for poll_id in list(due):
        with transaction.atomic():
            if not Poll.objects.filter(pk=poll_id, status=PollStatus.OPEN, deadline__lte=now).update(
                status=PollStatus.CLOSED, closed_at=now
            ):
                continue  # closed meanwhile
            poll = Poll.objects.select_related("organiser").get(pk=poll_id)
            forget_busy(poll)
            notices.queue_to_organiser(poll, kind=PollKind.CLOSED)
            count += 1
    return count


# An invitation this recent needs no reminder yet.
FRESH_INVITATION = timedelta(days=1)


def not_answered(participants):
    """PARTICIPANTS (a queryset) who have not answered at all."""
    return participants.filter(answered_at__isnull=True).exclude(
        Exists(PollAnswer.objects.filter(participant=OuterRef("pk")))
    )


def send_reminders(*, now: datetime | None = None) -> int:
    """REMIND_BEFORE the deadline of an open poll, each participant who has not answered hears
    once (per opening: notices.queue_reminder). Someone asked less than a day ago is not
    reminded: their invitation is fresh (a poll due in a day and a half, or a late addition).
    Returns how many reminders were queued."""
    now = now or timezone.now()
    participants = not_answered(
        PollParticipant.objects.filter(
            poll__status=PollStatus.OPEN,
            poll__deadline__gt=now,
            poll__deadline__lte=now + REMIND_BEFORE,
            created_at__lte=now - FRESH_INVITATION,
        )
    ).select_related("poll")
    return sum(notices.queue_reminder(participant) for participant in participants)
