"""Periodic nudges after meetings, each sent once whatever runs twice (outbox dedupe keys):
- a reminder to an action's owner 2 days before it is due;
- a weekly digest of overdue actions, one per owner and ISO week;
- a reminder to the facilitators of a meeting still not closed 72 hours after its end.
"""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from meetings import rules as meeting_rules
from meetings.followup import rules
from meetings.followup.models import Action, ActionStatus
from meetings.followup.queries import meetings_to_close
from meetings.models import Meeting, MessageKind
from outbox import services as outbox

ACTION_REMINDER_BEFORE = timedelta(days=2)
CLOSE_REMINDER_AFTER = timedelta(hours=72)


def send_action_reminders(*, today: date | None = None) -> int:
    today = today or timezone.localdate()
    due = Action.objects.filter(
        status=ActionStatus.OPEN,
        reminder_sent_at__isnull=True,
        due_date__gte=today,
        due_date__lte=today + ACTION_REMINDER_BEFORE,
    ).select_related("owner")
    count = 0
    for action in due:
        with transaction.atomic():
            if not Action.objects.filter(pk=action.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=timezone.now()
            ):
                continue
            count += outbox.queue_once(
                dedupe_key=f"action-reminder:{action.pk}:{action.due_date.isoformat()}",
                kind=MessageKind.ACTION_REMINDER,
                **outbox.addressed_to(action.owner, action=action.pk, meeting=action.origin_id),
            )
    return count


def send_overdue_digests(*, today: date | None = None) -> int:
    """One e-mail per person with overdue open actions, at most once per ISO week."""
    today = today or timezone.localdate()
    year, week, _weekday = today.isocalendar()
    overdue = Action.objects.filter(status=ActionStatus.OPEN, due_date__lt=today)
    owners = User.objects.filter(pk__in=overdue.values("owner_id"))
    return sum(
        outbox.queue_once(
            dedupe_key=f"action-digest:{owner.pk}:{year}-W{week:02d}",
            kind=MessageKind.ACTION_DIGEST,
            **outbox.addressed_to(owner),
        )
        for owner in owners
    )


def send_close_reminders(*, now: datetime | None = None) -> int:
    """Remind whoever facilitates a meeting left open CLOSE_REMINDER_AFTER its end (the same
    people who may close it and see it under "Réunions à clôturer")."""
    now = now or timezone.now()
    count = 0
    pending = meetings_to_close(now=now, since=CLOSE_REMINDER_AFTER).filter(
        close_reminder_sent_at__isnull=True
    )
    facilitators = meeting_rules.facilitators_by_meeting(pending)
    for meeting in pending:
        with transaction.atomic():
            if not Meeting.objects.filter(pk=meeting.pk, close_reminder_sent_at__isnull=True).update(
                close_reminder_sent_at=now
            ):
                continue
            for person in facilitators.get(meeting.pk, []):
                count += outbox.queue_once(
                    dedupe_key=f"close-reminder:{meeting.pk}:{person.pk}",
                    kind=MessageKind.CLOSE_REMINDER,
                    **outbox.addressed_to(person, meeting=meeting.pk),
                )
    return count


def open_actions_for(meeting: Meeting, viewer: User):
    """ "Suivi des actions": the open actions handed out at earlier meetings of the same series or
    group, shown on the agenda of the meetings that follow until someone closes them. VIEWER may
    see this meeting's outcome; for kinds whose minutes may hold clinical content, whoever reads
    an earlier meeting's actions is decided by that meeting's own invitations."""
    if not meeting.series_id and not meeting.group_id:
        return Action.objects.none()  # a meeting on its own carries nothing over
    same_run = Q(pk__in=[])
    if meeting.series_id:
        same_run |= Q(origin__series_id=meeting.series_id)
    if meeting.group_id:
        same_run |= Q(origin__group_id=meeting.group_id)
    actions = Action.objects.filter(same_run, status=ActionStatus.OPEN, origin__start__lt=meeting.start)
    if meeting.policy.clinical_minutes:
        readable = Meeting.objects.filter(rules.clinical_minutes_readable_by(viewer))
        actions = actions.filter(origin__in=readable)
    return actions.exclude(origin=meeting).select_related("owner").order_by("due_date", "pk")
