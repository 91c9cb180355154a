"""Reads for the directory."""

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from accounts.models import Network, Organisation, Professional, User
from accounts.text import fold

# The most people a picker's search returns at once: a name typed further narrows it down.
PICKER_LIMIT = 20


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


def people_of_networks(network_ids) -> QuerySet[User]:
    """The active professionals working in an organisation of NETWORK_IDS (ids or a queryset):
    who may be chosen from there. A filter, not a list: pickers search it, forms check against it."""
    works_there = Network.organisations.through.objects.filter(
        network_id__in=network_ids,
        organisation__professionals__user=OuterRef("pk"),
    )
    return User.objects.filter(Exists(works_there), is_active=True)


def search_people(query: str, *, among: QuerySet[User], limit: int = PICKER_LIMIT) -> list[User]:
    """At most LIMIT + 1 people of AMONG (the caller shows LIMIT and says there are more) whose
    first or last names start with each word of QUERY, accent- and case-insensitive; none for an
    empty query. One query for the people, one for their organisations, whatever AMONG holds.

    What a result shows is what the directory shows of a person (name, profession, services),
    never their e-mail address."""
    words = fold(query).replace(",", " ").split()[:4]
    if not words:
        return []
    people = among.select_related("professional")
    for word in words:
        people = people.filter(search_name__contains=f" {word}")
    organisations = Organisation.objects.only("pk", "name").order_by("name")
    return list(
        people.prefetch_related(Prefetch("professional__organisations", queryset=organisations)).order_by(
            "last_name", "first_name", "pk"
        )[: limit + 1]
    )
