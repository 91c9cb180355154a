"""Who may do what in the directory and networks.

Superusers aside, a coordinator's powers stop at their network's borders. Meeting and group
permissions build on these in meetings/rules.py.
"""

from accounts.models import Network, Organisation, User


def coordinated_networks(user: User):
    if not user.is_authenticated:
        return Network.objects.none()
    if user.is_superuser:
        return Network.objects.all()
    return Network.objects.filter(coordinators=user)


def can_edit_organisation(user: User, organisation: Organisation) -> bool:
    """Coordinators edit the entries of their own networks' member organisations."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return organisation.networks.filter(coordinators=user).exists()


def can_invite_people(user: User) -> bool:
    return coordinated_networks(user).exists()


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
