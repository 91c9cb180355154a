"""Plain factory_boy factories for the models tests need."""

from decimal import Decimal

import factory
from allauth.account.models import EmailAddress

from accounts.models import Network, Organisation, OrganisationKind, Profession, Professional, User

PASSWORD = "a-long-test-password"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    first_name = factory.Faker("first_name", locale="fr_BE")
    last_name = factory.Faker("last_name", locale="fr_BE")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Service {n}")
    kind = OrganisationKind.OTHER
    commune = "Anderlecht"
    postcode = "1070"


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Réseau {n}")

    @factory.post_generation
    def coordinators(self, create, extracted, **kwargs):
        if create and extracted:
            self.coordinators.add(*extracted)

    @factory.post_generation
    def organisations(self, create, extracted, **kwargs):
        if create and extracted:
            self.organisations.add(*extracted)


class ProfessionalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Professional
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    profession = Profession.PSYCHOLOGIST
    fte = Decimal("1.00")

    @factory.post_generation
    def organisations(self, create, extracted, **kwargs):
        if create and extracted:
            self.organisations.add(*extracted)


def professional_in(organisation, **user_fields):
    """A user working in ORGANISATION (so a member of its networks)."""
    user = UserFactory(**user_fields)
    ProfessionalFactory(user=user, organisations=[organisation])
    return user
