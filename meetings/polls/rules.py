"""Who may do what with a poll.

- Create one: whoever may schedule what it will create (the core's rules): a group's sessions,
  who manages the group; a network's open meetings or series, its coordinators; a meeting on
  invitation, any member of the network.
- Manage it (participants, results with names, closing, reopening): its organiser and who
  manages its group. A coordinator is not above that (privacy rule 8).
- See it: who manages it, and its participants (logged in, or through their own link).
- See the others' names and answers: who manages it; in a poll that is not private, its
  participants too.
"""

from django.db.models import Exists, OuterRef, Q

from accounts.models import Network, User
from meetings import rules as core
from meetings.kinds import policy_for
from meetings.models import StandingGroup
from meetings.polls.models import Poll, PollMode, PollParticipant


def can_create_poll(
    user: User, network: Network, kind: str, group: StandingGroup | None = None, mode: str = PollMode.MEETING
) -> bool:
    if not user.is_authenticated:
        return False
    if group is not None:
        return group.network_id == network.pk and core.can_manage_group(user, group)
    if mode == PollMode.SERIES:
        return core.can_schedule_series(user, network)
    return core.can_create_meeting(user, network, policy_for(kind).membership)


def networks_for_new_polls(user: User):
    return core.networks_for_new_meetings(user)


def can_manage_poll(user: User, poll: Poll) -> bool:
    if not user.is_authenticated:
        return False
    if poll.organiser_id == user.pk:
        return True
    return poll.group_id is not None and core.can_manage_group(user, poll.group)


def participant_of(user: User, poll: Poll) -> PollParticipant | None:
    if not user.is_authenticated:
        return None
    return poll.participants.filter(user_id=user.pk).first()


def can_see_poll(user: User, poll: Poll) -> bool:
    return can_manage_poll(user, poll) or participant_of(user, poll) is not None


def sees_the_others(*, manages: bool, poll: Poll) -> bool:
    """Whether the page shows the other participants' names and answers: to who manages the
    poll, or to a participant of a poll that is not private."""
    return manages or not poll.private


def polls_seen_by(user: User) -> Q:
    """can_see_poll as a filter (the list page): organised, of a group USER manages, or asked."""
    return (
        Q(organiser_id=user.pk)
        | Q(group__in=StandingGroup.objects.filter(core.groups_managed_by(user)))
        | Q(Exists(PollParticipant.objects.filter(poll_id=OuterRef("pk"), user_id=user.pk)))
    )
