"""Which meetings each feed is drawn from, and who may still read a network's (who sees a closed
group's details is meetings.rules's sees_group_details).

Conditions (Q, Exists) that the version's numbers (versioning) and the reading of a feed
(queries) both build on, so that both always speak of the same meetings.
"""

from django.db.models import Exists, Q

from accounts.models import Network, Professional
from meetings.candidates import (
    OPEN_KINDS,
    active_memberships,
    invited_to,
    organised_by,
    sessions_of,
    union_of,
)
from meetings.models import Meeting, SeriesInvitation


def is_active_member(user, group) -> Exists:
    return Exists(active_memberships(user).filter(group_id=group))


def personal_meetings(user) -> Q:
    """Meetings that may be in USER's personal feed: organised, invited to (even declined: the
    builder sorts declines out, and the version must see them), sessions of their groups and
    occurrences of series they were invited to. USER is an id or an expression that does not
    depend on the row. One IN over a UNION: each part follows its own index."""
    ids = union_of(
        invited_to(user),
        organised_by(user),
        sessions_of(active_memberships(user).values("group_id")),
        Meeting.objects.filter(
            series_id__in=SeriesInvitation.objects.filter(user_id=user).values("series_id")
        ).values("pk"),
    )
    return Q(pk__in=ids)


def group_meetings(group) -> Q:
    return Q(group_id=group)


def network_meetings(network) -> Q:
    return Q(network_id=network, kind__in=OPEN_KINDS)


def belongs_to_network(user, network) -> Q:
    """Whether USER belongs to NETWORK (ids or expressions), as accounts.rules.network_ids_of says:
    through one of their organisations, or as a coordinator (a superuser is no exception)."""
    through_work = Professional.objects.filter(user_id=user, organisations__networks=network)
    coordinates = Network.coordinators.through.objects.filter(user_id=user, network_id=network)
    return Exists(through_work) | Exists(coordinates)
