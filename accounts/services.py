"""Writes for accounts and the directory. Views, commands and tasks call these."""

from datetime import datetime
from decimal import Decimal

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import personal_data
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


def professional_set_inami_number(*, professional: Professional, number: str) -> Professional:
    """Record (or, with "", remove) the professional's INAMI number: its 11 digits."""
    professional.inami_number = number
    professional.full_clean(validate_unique=False)
    professional.save(update_fields=["inami_number"])
    return professional


# Erasure


# The tombstone is stored data, not interface text: the same words whatever language the
# administrator uses, so that every page and export shows one name.
ERASED_NAME = "Personne effacée"


def erased_name(user: User) -> str:
    return f"{ERASED_NAME} #{user.pk}"


def erased_email(user: User) -> str:
    """Unique per account, and never deliverable: .invalid is reserved (RFC 6761), and the outbox
    supersedes any message to it."""
    return f"erased-{user.pk}@erased.invalid"


def is_erased(user: User) -> bool:
    return user.email == erased_email(user)


def addresses_of(user: User, *, erasing: bool = False) -> set[str]:
    """The addresses the person proved are theirs (verified with allauth), lower-cased: what was
    sent or addressed to them as a guest is theirs to download. An address merely added to the
    account proves nothing and must not open someone else's invitations. ERASING adds the
    account's own address, verified or not: nothing should go on reaching it."""
    verified = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    addresses = {email.lower() for email in verified}
    return addresses | {user.email.lower()} if erasing else addresses


@transaction.atomic
def erase_person(*, user: User, by: User, now: datetime | None = None) -> User:
    """Erase the personal data of a professional who leaves, keeping what others rely on.

    Every app's registered step runs first (accounts.personal_data), while the name and the
    addresses are still there to be found: invitations lose their copy of the address and the
    answers' comments, future invitations and group memberships end, calendar subscriptions are
    revoked, drafts forgotten, feedback unlinked, certificates renamed, messages waiting for them
    superseded. Then the account becomes a tombstone: the name "Personne effacée #<id>", a
    unique undeliverable address, no usable password, inactive, no rights, no second factor, its
    profile texts, INAMI number and organisations emptied, its coordinator roles gone. Rows are
    kept, never deleted, so no protected reference fails and no attendance cascades away:
    figures, other people's records and the access log stay, showing the tombstone.

    One transaction; running it again changes nothing. Nobody erases their own account here.
    """
    if user.pk == by.pk:
        raise ValidationError(_("Vous ne pouvez pas effacer votre propre compte."), code="self")
    user = User.objects.select_for_update().get(pk=user.pk)
    now = now or timezone.now()
    personal_data.erase(user, now=now)
    _erase_account(user)
    return user


def _erase_account(user: User) -> None:
    name = erased_name(user)
    Network.coordinators.through.objects.filter(user=user).delete()
    profile = Professional.objects.filter(user=user).first()
    if profile is not None:
        profile.organisations.clear()
        Professional.objects.filter(pk=profile.pk).exclude(languages="").update(languages="")
        Professional.objects.filter(pk=profile.pk).exclude(inami_number="").update(inami_number="")
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    # The admin's history of this account named it as it was.
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).exclude(object_repr=name).update(object_repr=name)
    user.groups.clear()
    user.user_permissions.clear()
    user.first_name, user.last_name = ERASED_NAME, f"#{user.pk}"
    user.email = erased_email(user)
    if user.has_usable_password():
        user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.save(
        update_fields=[
            "first_name",
            "last_name",
            "email",
            "password",
            "is_active",
            "is_staff",
            "is_superuser",
        ]
    )
