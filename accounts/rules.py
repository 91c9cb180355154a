"""Who may do what in the directory and networks.

A coordinator's powers stop at their network's borders. Meeting and group permissions build on
these in meetings/rules.py.

A superuser administers accounts and metadata (the Django admin, the directory's entries, who
belongs to which network), and is a member or coordinator of no network for being one: nobody
reads above the rules (DESIGN.md, privacy rule 8). The two powers kept for them here are
those a coordinator has in their own networks, over nothing confidential.
"""

from accounts.models import Network, Organisation, User


def coordinated_networks(user: User):
    """The networks USER coordinates; a superuser coordinates only those they are named in."""
    if not user.is_authenticated:
        return Network.objects.none()
    return Network.objects.filter(coordinators=user)


def can_edit_organisation(user: User, organisation: Organisation) -> bool:
    """Coordinators edit the entries of their own networks' member organisations."""
    if not user.is_authenticated:
        return False
    # Kept: a directory entry (name, address, public served) is public metadata that the
    # superuser administers anyway in the admin; a coordinator edits it for their networks.
    if user.is_superuser:
        return True
    return organisation.networks.filter(coordinators=user).exists()


def networks_open_to_invitations(user: User):
    """The networks into which USER may invite a colleague: those they coordinate.

    Kept for a superuser, into any network: creating an account and placing it in an
    organisation is the administration of accounts they do in the admin as well, and a
    coordinator does the same in their own networks. The invitation opens nothing to the
    superuser themselves."""
    if user.is_authenticated and user.is_superuser:
        return Network.objects.all()
    return coordinated_networks(user)


def can_invite_people(user: User) -> bool:
    return networks_open_to_invitations(user).exists()


def network_ids_of(user: User) -> set[int]:
    """Networks a person belongs to: through their organisations, or as a coordinator."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_network_ids", None)
    if cached is None:
        through_work = Network.objects.filter(organisations__professionals__user=user)
        cached = set(through_work.values_list("pk", flat=True)) | coordinated_network_ids(user)
        user._network_ids = cached
    return cached


def coordinated_network_ids(user: User) -> set[int]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_coordinated_ids", None)
    if cached is None:
        cached = set(coordinated_networks(user).values_list("pk", flat=True))
        user._coordinated_ids = cached
    return cached


def must_use_second_factor(user: User) -> bool:
    """Superusers and network coordinators hold the keys to accounts and networks: with
    REQUIRE_MFA_FOR_COORDINATORS they log in with a second factor (TOTP)."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or Network.objects.filter(coordinators=user).exists()
