"""Writes for accounts and the directory. Views, commands and tasks call these."""

from decimal import Decimal

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from accounts.emails import ACCOUNT_INVITATION
from accounts.models import Network, Organisation, Professional, User
from outbox import services as outbox


def organisation_update(*, organisation: Organisation, data: dict, verified: bool) -> Organisation:
    """Save a directory entry; VERIFIED stamps today as the date its content was checked."""
    for field, value in data.items():
        setattr(organisation, field, value)
    if verified:
        organisation.last_verified = timezone.localdate()
    organisation.full_clean()
    organisation.save()
    return organisation


def mark_email_verified(*, user: User) -> None:
    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)


@transaction.atomic
def professional_invite(
    *,
    email: str,
    first_name: str,
    last_name: str,
    organisation: Organisation,
    profession: str,
    network: Network,
    language: str,
    by: User,
    fte: Decimal = Decimal("1.00"),
) -> User:
    """Create an account for a colleague and send them a link to choose their password.

    The account has no usable password until they follow the link; following it proves they own
    the address, which then counts as verified. The e-mail is an outbox row written in this
    transaction; it leaves once it commits.
    """
    user = User.objects.create_user(
        email=email, first_name=first_name, last_name=last_name, language=language
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    profile = Professional.objects.create(user=user, profession=profession, fte=fte)
    profile.organisations.add(organisation)
    network.organisations.add(organisation)
    outbox.queue(kind=ACCOUNT_INVITATION, **outbox.addressed_to(user, inviter=by.pk))
    return user
