"""Reads for the situation pages."""

from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from meetings.models import MeetingStatus
from meetings.situations.models import Concertation, Member, PlanAction, ReportParticipant, Situation
from meetings.situations.models.plan import OPEN_ACTION_STATUSES
from meetings.situations.rules import situations_seen_by


def my_situations(user: User) -> QuerySet[Situation]:
    """The situations this person coordinates or is around, with the counts the list shows (one query)."""
    today = timezone.localdate()
    now = timezone.now()
    return (
        Situation.objects.filter(situations_seen_by(user, today))
        .select_related("network")
        .annotate(
            open_actions=Count("actions", filter=Q(actions__status__in=OPEN_ACTION_STATUSES), distinct=True),
            next_concertation=Min(
                "concertations__meeting__start",
                filter=Q(
                    concertations__meeting__start__gte=now,
                    concertations__meeting__status=MeetingStatus.SCHEDULED,
                ),
            ),
            last_change=Max("status_changes__at"),
        )
        .order_by("-last_change", "-pk")
    )


def members_of(situation: Situation) -> list[Member]:
    return list(situation.members.select_related("user", "organisation").order_by("kind", "since", "pk"))


def concertations_of(situation: Situation, *, invited: User | None = None) -> list[Concertation]:
    """The situation's concertations, newest first; with INVITED, only those they were invited to."""
    concertations = situation.concertations.select_related("meeting", "report", "facilitator__user")
    if invited is not None:
        concertations = concertations.filter(meeting__invitations__user=invited).distinct()
    return list(concertations.order_by("-meeting__start"))


def actions_of(situation: Situation) -> list[PlanAction]:
    return list(situation.actions.select_related("owner__user", "goal").order_by("status", "due_date", "pk"))


def actions_owned_by(situation: Situation, member: Member | None) -> list[PlanAction]:
    if member is None:
        return []
    return list(situation.actions.filter(owner=member).order_by("due_date", "pk"))


def reports_to_confirm(situation: Situation, user: User) -> list[ReportParticipant]:
    """This person's participations in the situation's reports, not yet confirmed."""
    return list(
        ReportParticipant.objects.filter(
            report__concertation__situation=situation, member__user=user, confirmed_at__isnull=True
        ).select_related("report__concertation__meeting")
    )
