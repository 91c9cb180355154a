"""/polls/: the polls I organise and those I am asked to answer."""

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from meetings import rules as core
from meetings.ical import public_heading
from meetings.models import StandingGroup
from meetings.polls import rules
from meetings.polls.models import Poll, PollParticipant, PollStatus

RECENT = 10


def _count(participants):
    """How many of PARTICIPANTS each poll has, as a correlated subquery: counting through a join
    would group every poll row seen, and the planner then scans them all."""
    counted = (
        participants.filter(poll_id=OuterRef("pk")).values("poll_id").annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(counted), 0)


def polls_of(user) -> list[Poll]:
    """Every poll USER sees, with what the list says of it, in one query: whether they manage
    it, whether they are asked and have answered, and how many of those asked have answered."""
    mine = PollParticipant.objects.filter(poll_id=OuterRef("pk"), user_id=user.pk)
    managed = Q(organiser_id=user.pk) | Q(
        group__in=StandingGroup.objects.filter(core.groups_managed_by(user))
    )
    return list(
        Poll.objects.filter(rules.polls_seen_by(user))
        .select_related("group")
        .annotate(
            manages=ExpressionWrapper(managed, output_field=BooleanField()),
            asked_me=Exists(mine),
            i_answered=Exists(mine.filter(answered_at__isnull=False)),
            asked=_count(PollParticipant.objects.all()),
            answered=_count(PollParticipant.objects.filter(answered_at__isnull=False)),
        )
        .order_by("deadline", "pk")
    )


@require_GET
def polls_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    polls = polls_of(request.user)
    for poll in polls:
        # What a participant is shown of it is what their e-mail said (the kind's privacy rule:
        # a concertation's title may name the person it is about); its managers see its title.
        poll.heading = poll.title if poll.manages else public_heading(poll)
    to_answer = [p for p in polls if p.asked_me and p.status == PollStatus.OPEN and p.deadline > now]
    mine = [p for p in polls if p.manages and p.status != PollStatus.DECIDED]
    shown = {p.pk for p in to_answer} | {p.pk for p in mine}
    recent = sorted(
        (p for p in polls if p.pk not in shown and (p.status != PollStatus.OPEN or p.deadline <= now)),
        key=lambda p: p.closed_at or p.deadline,
        reverse=True,
    )[:RECENT]
    context = {
        "to_answer": to_answer,
        "mine": mine,
        "recent": recent,
        "now": now,
        "may_create": rules.networks_for_new_polls(request.user).exists(),
    }
    return render(request, "polls/list.html", context)


urlpatterns = [
    path("polls/", polls_list, name="list"),
]
