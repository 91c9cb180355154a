"""Reminders before meetings, each sent once.

- To the people who accepted or have not answered, the kind's delay before the start (48 h for
  most kinds, or the meeting's own).
- To the organiser, 72 h before, when a kind that requires a purpose or an agenda has none yet.
A meeting is claimed with a conditional UPDATE on its *_sent_at column, so two runs never remind
twice.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from meetings.kinds import POLICIES
from meetings.models import InvitationRole, Meeting, MeetingStatus, MessageKind, PartStat
from outbox import services as outbox

PREPARATION_DELAY = timedelta(hours=72)


def send_due_reminders(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    return _attendee_reminders(now) + _preparation_reminders(now)


def _attendee_reminders(now: datetime) -> int:
    count = 0
    candidates = Meeting.objects.filter(
        status=MeetingStatus.SCHEDULED,
        reminder_sent_at__isnull=True,
        start__gt=now,
        start__lte=now + timedelta(days=7),
    )
    for meeting in candidates:
        if meeting.start - meeting.reminder_delay > now:
            continue
        with transaction.atomic():
            if not Meeting.objects.filter(pk=meeting.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            ):
                continue
            invitations = meeting.invitations.filter(
                partstat__in=[PartStat.ACCEPTED, PartStat.NEEDS_ACTION]
            ).exclude(role=InvitationRole.MINUTES_ONLY)
            for invitation in invitations:
                outbox.queue(
                    kind=MessageKind.REMINDER,
                    recipient_email=invitation.email,
                    recipient_name=invitation.display_name,
                    language=invitation.language,
                    refs={"meeting": meeting.pk, "invitation": invitation.pk},
                )
                count += 1
    return count


def _preparation_reminders(now: datetime) -> int:
    kinds = [k for k, p in POLICIES.items() if p.requires_purpose or p.requires_agenda]
    candidates = (
        Meeting.objects.filter(
            kind__in=kinds,
            status=MeetingStatus.SCHEDULED,
            preparation_reminder_sent_at__isnull=True,
            start__gt=now,
            start__lte=now + PREPARATION_DELAY,
        )
        .annotate(items=Count("agenda_items"))
        .select_related("organiser")
    )
    count = 0
    for meeting in candidates:
        policy = meeting.policy
        missing = (policy.requires_purpose and not meeting.purpose.strip()) or (
            policy.requires_agenda and meeting.items == 0
        )
        if not missing:
            continue
        with transaction.atomic():
            claimed = Meeting.objects.filter(pk=meeting.pk, preparation_reminder_sent_at__isnull=True).update(
                preparation_reminder_sent_at=now
            )
            if not claimed:
                continue
            organiser = meeting.organiser
            outbox.queue(
                kind=MessageKind.PREPARATION,
                recipient_email=organiser.email,
                recipient_name=organiser.get_full_name(),
                language=organiser.language,
                refs={"meeting": meeting.pk, "user": organiser.pk},
            )
            count += 1
    return count
