"""Who may do what in the directory and networks.

Superusers aside, a coordinator's powers stop at their network's borders. Meeting and group
permissions build on these in meetings/permissions.py.
"""

from accounts.models import Network, Organisation, User


def is_coordinator_of(user: User, network: Network) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or network.coordinators.filter(pk=user.pk).exists()


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
