"""Reads for the directory."""

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.db.models import Prefetch, QuerySet

from accounts.models import Organisation, Professional, User
from accounts.text import fold


def search_organisations(query: str = "") -> QuerySet[Organisation]:
    """Organisations whose name, commune, kind or public contain every word of QUERY.

    Accent- and case-insensitive: "sante" finds "Service de santé mentale".
    """
    organisations = Organisation.objects.prefetch_related("networks")
    for word in fold(query).split()[:8]:
        organisations = organisations.filter(search_text__contains=word)
    return organisations.order_by("name")


def organisation_with_people(pk: int) -> Organisation:
    professionals = Professional.objects.select_related("user").order_by(
        "user__last_name", "user__first_name"
    )
    return Organisation.objects.prefetch_related(
        "networks", Prefetch("professionals", queryset=professionals)
    ).get(pk=pk)


def has_second_factor(user: User) -> bool:
    """Whether USER logs in with a TOTP app (allauth's mfa)."""
    return is_mfa_enabled(user, [Authenticator.Type.TOTP])
