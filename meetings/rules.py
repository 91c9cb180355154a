"""Who may see, edit or facilitate a group or a meeting: the core's rules, which each
capability app's own rules.py builds on. Views ask rules; they decide nothing themselves.

The levels, from least to most:
- see a group's card (its name, kind, facilitators) to ask to join: members of its network;
- see a meeting (date, place, kind): depends on the kind's membership policy;
- see a meeting's details (purpose, agenda, participants): for closed groups, only members who
  accepted the current charter, facilitators and the organiser; otherwise whoever sees it;
- edit or facilitate: organisers, the group's facilitators, and the network's coordinators for
  kinds not reserved to invitees. A coordinator's powers stop at their network's borders.

Nobody reads above the rules (DESIGN.md, privacy rule 8): a superuser is here whatever their
memberships, invitations and coordinations make them, like anyone else; they administer accounts
and metadata in the admin, not meetings.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import Network, User
from accounts.rules import coordinated_network_ids, coordinated_networks, network_ids_of
from meetings.kinds import Membership
from meetings.models import (
    CharterAcceptance,
    GroupMembership,
    Invitation,
    InvitationRole,
    Meeting,
    MeetingStatus,
    MembershipStatus,
    Role,
    StandingGroup,
)

MANAGING_ROLES = {Role.FACILITATOR, Role.SUBSTITUTE}


def is_network_member(user: User, network_id: int) -> bool:
    return user.is_authenticated and network_id in network_ids_of(user)


def is_coordinator(user: User, network_id: int) -> bool:
    return user.is_authenticated and network_id in coordinated_network_ids(user)


def membership_of(user: User, group: StandingGroup) -> GroupMembership | None:
    """USER's membership of GROUP whatever its status (a request, a refusal, one left), read once
    per request: the group page and each of its rules ask. Cached on the user object, a new one
    each request."""
    if not user.is_authenticated:
        return None
    cache = user.__dict__.setdefault("_memberships", {})
    if group.pk not in cache:
        # Whether they accepted the current charter comes along (has_accepted_charter asks it
        # for the same member: one query rather than two).
        accepted = CharterAcceptance.objects.filter(
            group_id=group.pk, user_id=user.pk, version=group.charter_version
        )
        # One row at most (one_membership_per_person): no ordering, no limit to compile.
        rows = GroupMembership.objects.filter(group_id=group.pk, user_id=user.pk).annotate(
            accepted_current=Exists(accepted)
        )
        membership = next(iter(rows), None)
        if membership is not None:
            charters = user.__dict__.setdefault("_charters", {})
            charters[(group.pk, group.charter_version)] = membership.accepted_current
        cache[group.pk] = membership
    return cache[group.pk]


def _membership(user: User, group: StandingGroup) -> GroupMembership | None:
    membership = membership_of(user, group)
    return membership if membership is not None and membership.status == MembershipStatus.ACTIVE else None


def has_accepted_charter(user: User, group: StandingGroup) -> bool:
    """Whether USER accepted GROUP's current charter, read once per request (cached as above)."""
    cache = user.__dict__.setdefault("_charters", {})
    key = (group.pk, group.charter_version)
    if key not in cache:
        cache[key] = group.charter_acceptances.filter(user=user, version=group.charter_version).exists()
    return cache[key]


def member_sees_details(user: User, group: StandingGroup) -> bool:
    """An active member who may see the group's details: a facilitator or substitute, or a
    member who accepted the current charter (sees_group_details says it in SQL)."""
    membership = _membership(user, group)
    return membership is not None and (membership.role in MANAGING_ROLES or has_accepted_charter(user, group))


def sees_group_details(user, group) -> Exists:
    """member_sees_details read in SQL: an active facilitator or substitute, or an active member
    who accepted the current charter. USER and GROUP are ids or expressions (OuterRef), so that
    feeds and lists ask it row by row inside one query."""
    return Exists(
        GroupMembership.objects.filter(user_id=user, group_id=group, status=MembershipStatus.ACTIVE).filter(
            Q(role__in=MANAGING_ROLES)
            | Q(
                Exists(
                    CharterAcceptance.objects.filter(
                        user_id=OuterRef("user_id"),
                        group_id=OuterRef("group_id"),
                        version=OuterRef("group__charter_version"),
                    )
                )
            )
        )
    )


# Groups


def can_see_group(user: User, group: StandingGroup) -> bool:
    # The membership first: the group page reads it anyway, and a member needs no more.
    return _membership(user, group) is not None or is_network_member(user, group.network_id)


def groups_seen_by(user: User) -> Q:
    """can_see_group read in SQL, as a filter on groups: those of USER's networks (to ask to
    join) and those they are an active member of."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    member = GroupMembership.objects.filter(
        group=OuterRef("pk"), user_id=user.pk, status=MembershipStatus.ACTIVE
    )
    return Q(network_id__in=network_ids_of(user)) | Q(Exists(member))


def can_manage_group(user: User, group: StandingGroup) -> bool:
    """Facilitate: accept members, change the charter, schedule sessions."""
    membership = _membership(user, group)
    if membership and membership.role in MANAGING_ROLES:
        return True
    return is_coordinator(user, group.network_id)


def can_choose_rapporteur(user: User, group: StandingGroup) -> bool:
    """The rapporteur hands the group's attendance to INAMI: the network's coordinator names them."""
    return is_coordinator(user, group.network_id)


def is_rapporteur(user: User, group: StandingGroup) -> bool:
    """The group's rapporteur, while a member who sees its details (the charter accepted): the
    attendance list they hand in names the group's participants."""
    return user.is_authenticated and group.rapporteur_id == user.pk and member_sees_details(user, group)


def in_coordinated_network(user: User) -> Exists:
    """The row (a group or a meeting) belongs to a network USER coordinates, read in SQL."""
    return Exists(
        Network.coordinators.through.objects.filter(network_id=OuterRef("network_id"), user_id=user.pk)
    )


def groups_managed_by(user: User) -> Q:
    """can_manage_group read in SQL, as a filter on groups: a list asks once, not group by group."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    managing = GroupMembership.objects.filter(
        group=OuterRef("pk"), user_id=user.pk, status=MembershipStatus.ACTIVE, role__in=MANAGING_ROLES
    )
    return Q(Exists(managing)) | Q(in_coordinated_network(user))


def is_group_member(user: User, group: StandingGroup) -> bool:
    return _membership(user, group) is not None


def can_see_group_details(user: User, group: StandingGroup) -> bool:
    """Members and sessions' details: members who accepted the charter, facilitators, coordinators."""
    return member_sees_details(user, group) or is_coordinator(user, group.network_id)


def groups_whose_details_are_seen_by(user: User) -> Q:
    """can_see_group_details read in SQL, as a filter on groups."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    return Q(sees_group_details(user.pk, OuterRef("pk"))) | Q(in_coordinated_network(user))


def can_create_group(user: User, network: Network) -> bool:
    return is_coordinator(user, network.pk)


def networks_for_new_groups(user: User) -> QuerySet[Network]:
    """The networks in which USER may create a group (can_create_group, as a list)."""
    return coordinated_networks(user)


def may_create_groups(user: User) -> bool:
    """Whether USER may create a group in some network (the group list offers the button)."""
    return bool(coordinated_network_ids(user))


# Meetings


def my_invitations(user: User, meeting: Meeting) -> list[Invitation]:
    """USER's invitations to MEETING (one, but for a person invited at two addresses), read once
    per request: a meeting page's rules (seeing it, its details, vignettes, attendance, feedback)
    each ask. Cached on the user object, a new one each request, like the memberships."""
    if not user.is_authenticated:
        return []
    cache = user.__dict__.setdefault("_invitations", {})
    if meeting.pk not in cache:
        cache[meeting.pk] = list(Invitation.objects.filter(meeting_id=meeting.pk, user_id=user.pk))
    return cache[meeting.pk]


def _is_invited(user: User, meeting: Meeting) -> bool:
    # A person who declined still sees the meeting: they may change their mind.
    return bool(my_invitations(user, meeting))


def can_see_meeting(user: User, meeting: Meeting) -> bool:
    if not user.is_authenticated:
        return False
    if meeting.organiser_id == user.pk or _is_invited(user, meeting):
        return True
    if meeting.status == MeetingStatus.DRAFT:
        return meeting.group is not None and can_manage_group(user, meeting.group)
    membership = meeting.policy.membership
    if membership == Membership.OPEN_TO_NETWORK:
        return is_network_member(user, meeting.network_id)
    if membership == Membership.CLOSED_GROUP:
        if meeting.group is None:
            return is_coordinator(user, meeting.network_id)
        return is_group_member(user, meeting.group) or is_coordinator(user, meeting.network_id)
    return False  # invited only: the organiser and the invitees


def can_see_meeting_details(user: User, meeting: Meeting) -> bool:
    """Purpose, agenda, participants and link. Closed groups: only after accepting the charter."""
    if not can_see_meeting(user, meeting):
        return False
    if meeting.organiser_id == user.pk:
        return True
    if meeting.policy.membership == Membership.CLOSED_GROUP and meeting.group is not None:
        return member_sees_details(user, meeting.group)
    return True


def can_edit_meeting(user: User, meeting: Meeting) -> bool:
    if not can_see_meeting(user, meeting):
        return False
    if meeting.organiser_id == user.pk:
        return True
    if meeting.group is not None and can_manage_group(user, meeting.group):
        return True
    reserved_to_invitees = meeting.policy.membership == Membership.INVITED_ONLY
    return not reserved_to_invitees and is_coordinator(user, meeting.network_id)


def can_create_meeting(user: User, network: Network, membership: Membership) -> bool:
    """Coordinators schedule network meetings; any member may call a meeting on invitation."""
    if membership == Membership.INVITED_ONLY:
        return is_network_member(user, network.pk)
    return is_coordinator(user, network.pk)


def networks_for_new_meetings(user: User) -> QuerySet[Network]:
    """The networks in which USER may call a meeting of some kind: those they belong to (any
    member calls a meeting on invitation; can_create_meeting decides for the kind chosen)."""
    return Network.objects.filter(pk__in=network_ids_of(user))


def can_schedule_series(user: User, network: Network, group: StandingGroup | None = None) -> bool:
    """A group's sessions: whoever manages the group. A network's open meetings: its coordinators."""
    if group is not None:
        return can_manage_group(user, group)
    return is_coordinator(user, network.pk)


def networks_for_new_series(user: User) -> QuerySet[Network]:
    """The networks whose open meetings USER may schedule as a series (can_schedule_series
    without a group, as a list)."""
    return coordinated_networks(user)


# Attendance, outcomes and follow-up


def is_facilitator(user: User, meeting: Meeting) -> bool:
    """Who runs the meeting: its organiser, the group's facilitators, or an invited facilitator.
    Coordinators are not facilitators of every meeting; they correct attendance after closing."""
    if not user.is_authenticated:
        return False
    if meeting.organiser_id == user.pk:
        return True
    return Meeting.objects.filter(meetings_facilitated_by(user), pk=meeting.pk).exists()


def meetings_facilitated_by(user: User) -> Q:
    """The one rule of who facilitates, as a filter on meetings (is_facilitator asks it for one
    meeting, "Réunions à clôturer" for a list): the meetings USER organises, the sessions of the
    groups they facilitate or stand in for, and the meetings they are invited to facilitate."""
    managed = GroupMembership.objects.filter(
        user_id=user.pk, status=MembershipStatus.ACTIVE, role__in=MANAGING_ROLES
    )
    invited = Invitation.objects.filter(user_id=user.pk, role=InvitationRole.FACILITATOR)
    return (
        Q(organiser_id=user.pk)
        | Q(group_id__in=managed.values("group_id"))
        | Q(pk__in=invited.values("meeting_id"))
    )


def facilitators_by_meeting(meetings: QuerySet[Meeting]) -> dict[int, list[User]]:
    """meetings_facilitated_by the other way round: who facilitates each of MEETINGS (a queryset),
    in two queries whatever their number."""
    meetings = meetings.order_by()
    organisers = meetings.values_list("pk", "organiser_id")
    managers = GroupMembership.objects.filter(
        group__meetings__in=meetings, status=MembershipStatus.ACTIVE, role__in=MANAGING_ROLES
    ).values_list("group__meetings", "user_id")
    invited = Invitation.objects.filter(
        meeting__in=meetings, role=InvitationRole.FACILITATOR, user__isnull=False
    ).values_list("meeting_id", "user_id")
    pairs = set(organisers.union(managers.order_by(), invited.order_by()))
    users = User.objects.in_bulk({user_id for _meeting_id, user_id in pairs})
    people: dict[int, list[User]] = {}
    for meeting_id, user_id in sorted(pairs):
        people.setdefault(meeting_id, []).append(users[user_id])
    return people


def coordinates_meeting(user: User, meeting: Meeting) -> bool:
    """A coordinator's powers over a meeting, which stop at kinds reserved to their invitees."""
    return meeting.policy.membership != Membership.INVITED_ONLY and is_coordinator(user, meeting.network_id)


# Vignettes
