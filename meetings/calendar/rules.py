"""Who may subscribe to which feed, and what a feed may show of a meeting to its reader."""

from accounts.models import Network, User
from accounts.rules import coordinated_network_ids, network_ids_of
from meetings.kinds import Membership
from meetings.models import StandingGroup
from meetings.rules import is_group_member


def can_subscribe_to_group(user: User, group: StandingGroup) -> bool:
    """A group's calendar feed is for its active members (a member who has not accepted the
    charter gets it without places and links, as on the group's pages)."""
    return is_group_member(user, group)


def can_subscribe_to_network(user: User, network: Network) -> bool:
    """A network's feed of its open meetings, with their places and links, is for its members, as
    the agenda shows those meetings to them (feeds.candidates.belongs_to_network says the same
    in SQL, for each fetch)."""
    return network.pk in network_ids_of(user)


def can_publish_network_feed(user: User, network: Network) -> bool:
    """Publishing a network's open meetings to anyone, and changing or withdrawing that address,
    is its coordinators' choice."""
    return network.pk in coordinated_network_ids(user)


def can_see_place_in_feed(subject, *, organiser: bool, invited: bool, sees_group_details: bool) -> bool:
    """Whether a calendar feed shows the place and link of SUBJECT (a meeting or a series) to its
    reader, from what the feed's queries read: whether the reader organises it, was invited to it,
    and may see the details of its group (meetings.rules.sees_group_details).

    As can_see_meeting_details: the organiser sees them, and a closed group's session shows them
    only to the members who may see its details (facilitators, members who accepted the current
    charter). A feed also shows them to whoever was invited to the session or its series: the
    invitation e-mail gave place and link already.
    """
    if organiser:
        return True
    if subject.policy.membership == Membership.CLOSED_GROUP and subject.group_id is not None:
        return sees_group_details or invited
    return True
