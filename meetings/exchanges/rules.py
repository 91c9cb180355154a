"""Who may do what in « Vis ma vie ».

- A round is the business of its network: its members see it and its offers; its coordinators
  create it, see every application, record a service's agreement, match, confirm and cancel
  visits, and export the report.
- Offer: a member of the network offers for one of their own services (a coordinator for any of
  the network's services); who created it, its contact person and the coordinators edit it.
- Apply: a member of the network, for one of their own services, until the round's deadline.
  An application is seen by its visitor and the coordinators (and, through the signed link of the
  agreement e-mail, by the manager asked to agree).
- A visit is seen by its visitor, its host contact and the coordinators; only the visitor and the
  host contact give feedback on it, once it took place.
- The report (figures, and the feedback excerpts their authors agreed to share) is read by the
  members of the network; its CSV by its coordinators.
"""

from accounts.models import Organisation, User
from accounts.rules import coordinated_network_ids, network_ids_of
from meetings.exchanges.models import Application, ExchangeRound, Offer, Placement


def is_round_coordinator(user: User, round: ExchangeRound) -> bool:
    return user.is_authenticated and round.network_id in coordinated_network_ids(user)


def can_create_round(user: User, network) -> bool:
    return user.is_authenticated and network.pk in coordinated_network_ids(user)


def can_see_round(user: User, round: ExchangeRound) -> bool:
    return user.is_authenticated and round.network_id in network_ids_of(user)


def own_organisations(user: User, round: ExchangeRound):
    """The services USER may offer or apply for in ROUND: their own among the network's members;
    a coordinator's, every member service of the network."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    in_network = Organisation.objects.filter(networks=round.network_id)
    if is_round_coordinator(user, round):
        return in_network
    return in_network.filter(professionals__user=user).distinct()


def can_offer(user: User, round: ExchangeRound) -> bool:
    return can_see_round(user, round) and own_organisations(user, round).exists()


def can_edit_offer(user: User, offer: Offer) -> bool:
    if not user.is_authenticated:
        return False
    return user.pk in (offer.created_by_id, offer.contact_id) or is_round_coordinator(user, offer.round)


def can_apply(user: User, round: ExchangeRound) -> bool:
    """Whether USER may apply in ROUND at all (the deadline is the service's to check)."""
    if not can_see_round(user, round):
        return False
    own = own_organisations(user, round)
    if is_round_coordinator(user, round):
        own = own.filter(professionals__user=user)
    return own.exists()


def can_see_application(user: User, application: Application) -> bool:
    if not user.is_authenticated:
        return False
    return application.visitor_id == user.pk or is_round_coordinator(user, application.round)


def can_record_agreement(user: User, application: Application) -> bool:
    return is_round_coordinator(user, application.round)


def can_match(user: User, round: ExchangeRound) -> bool:
    return is_round_coordinator(user, round)


def is_visitor(user: User, placement: Placement) -> bool:
    return user.is_authenticated and placement.application.visitor_id == user.pk


def is_host(user: User, placement: Placement) -> bool:
    return user.is_authenticated and placement.host_id == user.pk


def can_see_placement(user: User, placement: Placement) -> bool:
    return (
        is_visitor(user, placement) or is_host(user, placement) or is_round_coordinator(user, placement.round)
    )


def can_see_report(user: User, round: ExchangeRound) -> bool:
    return can_see_round(user, round)


def can_export_report(user: User, round: ExchangeRound) -> bool:
    return is_round_coordinator(user, round)
