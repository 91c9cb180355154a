"""Who sees and decides what about meeting load.

- Anyone logged in sees their own load and sets their own budget, FTE and travel times.
- An organisation's members see its aggregates (never a person's figures); those who edit the
  organisation's directory entry (its networks' coordinators) set its budget per FTE.
- A network's coordinators see its dashboard and its health flags, and dismiss them.
- A series' yearly review is answered by whoever may schedule its sessions: its organiser, its
  group's facilitators, the network's coordinators for a network series.
"""

from django.db.models import Exists, OuterRef, Q

from accounts import rules as account_rules
from accounts.models import Network, Organisation, User
from meetings import rules as core
from meetings.kinds import network_kinds
from meetings.models import GroupMembership, MembershipStatus, Series, StandingGroup

# No figure about fewer people than this (FIELD.md: aggregates protect people only in numbers).
SMALLEST_GROUP = 5


def can_see_organisation_load(user: User, organisation: Organisation) -> bool:
    profile = getattr(user, "professional", None)
    if profile is not None and profile.organisations.filter(pk=organisation.pk).exists():
        return True
    return account_rules.can_edit_organisation(user, organisation) and not user.is_superuser


def can_set_organisation_budget(user: User, organisation: Organisation) -> bool:
    return account_rules.can_edit_organisation(user, organisation)


def can_see_network_load(user: User, network: Network) -> bool:
    return core.is_coordinator(user, network.pk)


def can_review_series(user: User, series: Series) -> bool:
    if not user.is_authenticated:
        return False
    if series.organiser_id == user.pk:
        return True
    return core.can_schedule_series(user, series.network, series.group)


def shows_figures(people: int) -> bool:
    """Whether a figure about PEOPLE people may be shown."""
    return people >= SMALLEST_GROUP


def series_reviewable_by(user: User) -> Q:
    """can_review_series read in SQL, as a filter on series: the series USER organises, the
    series of the groups they manage (groups_managed_by: facilitators, substitutes, the
    network's coordinators) and, for network series, those of the networks they coordinate."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    managed = StandingGroup.objects.filter(core.groups_managed_by(user))
    return (
        Q(organiser_id=user.pk)
        | Q(group__isnull=False, group_id__in=managed.values("pk"))
        | (Q(group__isnull=True) & Q(core.in_coordinated_network(user)))
    )


def reviews_waiting_for(user: User) -> Q:
    """The open reviews USER may answer, as a filter on SeriesReview (the "À faire")."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    return Q(answer="", series__in=Series.objects.filter(series_reviewable_by(user)))


# The kinds whose sessions every member of the network sees.
OPEN_KINDS = [policy.kind.value for policy in network_kinds()]


def series_seen_by(user: User) -> Q:
    """The series USER sees (the review page answers 404 for the others, and a merge goes only
    to one of them), as a filter on series: those they may review, the series of the groups
    they are an active member of, and the series of open kinds in their networks."""
    member = GroupMembership.objects.filter(
        group_id=OuterRef("group_id"), user_id=user.pk, status=MembershipStatus.ACTIVE
    )
    return (
        series_reviewable_by(user)
        | Q(Exists(member))
        | Q(kind__in=OPEN_KINDS, network_id__in=account_rules.network_ids_of(user))
    )
