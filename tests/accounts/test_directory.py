"""The directory ("répertoire"): search, organisation pages, editing rights."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation
from tests.factories import NetworkFactory, OrganisationFactory, ProfessionalFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client, network, member_organisation):
    user = UserFactory()
    ProfessionalFactory(user=user, organisations=[member_organisation])
    client.force_login(user)
    return user


def test_search_ignores_accents_and_case(client, member):
    OrganisationFactory(name="CPAS d'Ixelles", kind="public_welfare")
    OrganisationFactory(name="Maison médicale Santé Plus", kind="medical_house")

    response = client.get(reverse("accounts:directory"), {"q": "SANTE"})

    names = [o.name for o in response.context["organisations"]]
    assert names == ["Maison médicale Santé Plus", "Service de santé mentale Les Tilleuls"]
    assert "Maison médicale Santé Plus" in response.content.decode()


def test_search_matches_kind_commune_and_public(client, member):
    OrganisationFactory(name="Logis", kind="housing", commune="Forest", public_served="Jeunes adultes")
    OrganisationFactory(name="Autre", kind="other", commune="Uccle")

    by_kind = client.get(reverse("accounts:directory"), {"q": "logement"}).context["organisations"]
    by_commune = client.get(reverse("accounts:directory"), {"q": "forest"}).context["organisations"]
    by_public = client.get(reverse("accounts:directory"), {"q": "jeunes"}).context["organisations"]

    assert [o.name for o in by_kind] == ["Logis"]
    assert [o.name for o in by_commune] == ["Logis"]
    assert [o.name for o in by_public] == ["Logis"]


def test_search_finds_kind_in_dutch_too(client, member):
    OrganisationFactory(name="Huisvesting Zuid", kind="housing")

    response = client.get(reverse("accounts:directory"), {"q": "logement zuid"})

    assert [o.name for o in response.context["organisations"]] == ["Huisvesting Zuid"]


def test_unknown_search_gives_friendly_empty_result(client, member):
    response = client.get(reverse("accounts:directory"), {"q": "zzzxq"})

    assert list(response.context["organisations"]) == []
    assert "Aucun service ne correspond à « zzzxq »" in response.content.decode()


def test_htmx_search_returns_only_the_results(client, member):
    response = client.get(reverse("accounts:directory"), {"q": "tilleuls"}, HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert "Service de santé mentale Les Tilleuls" in body
    assert "<html" not in body


def test_directory_needs_login(client, member_organisation):
    response = client.get(reverse("accounts:directory"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("rows", [1, 5])
def test_directory_query_count_does_not_grow(client, member, django_assert_num_queries, rows):
    for _ in range(rows):
        OrganisationFactory()

    # session, user, organisations, their networks (prefetch), coordinated networks (invite link)
    with django_assert_num_queries(5):
        response = client.get(reverse("accounts:directory"))

    assert len(response.context["organisations"]) == rows + 1


def test_organisation_page_lists_who_works_there(client, member, member_organisation):
    colleague = UserFactory(first_name="Els", last_name="Peeters")
    ProfessionalFactory(user=colleague, organisations=[member_organisation], profession="psychiatrist")
    member_organisation.last_verified = timezone.localdate().replace(year=2026, month=3, day=4)
    member_organisation.save()

    response = client.get(reverse("accounts:organisation", args=[member_organisation.pk]))

    body = response.content.decode()
    assert "Els Peeters" in body
    assert "Psychiatre" in body
    assert '<time datetime="2026-03-04">4 mars 2026</time>' in body


@pytest.mark.parametrize("rows", [1, 4])
def test_organisation_page_query_count_does_not_grow(
    client, member, member_organisation, django_assert_num_queries, rows
):
    for _ in range(rows):
        ProfessionalFactory(organisations=[member_organisation])

    # session, user, organisation, networks, professionals with users, can_edit
    with django_assert_num_queries(6):
        client.get(reverse("accounts:organisation", args=[member_organisation.pk]))


def test_member_cannot_edit_an_entry(client, member, member_organisation):
    url = reverse("accounts:organisation_edit", args=[member_organisation.pk])

    response = client.post(url, {"name": "Renamed", "kind": "other"})

    assert response.status_code == 403
    member_organisation.refresh_from_db()
    assert member_organisation.name == "Service de santé mentale Les Tilleuls"


def test_coordinator_of_another_network_cannot_edit(client, member_organisation):
    other_coordinator = UserFactory()
    NetworkFactory(coordinators=[other_coordinator], organisations=[OrganisationFactory()])
    client.force_login(other_coordinator)

    response = client.post(
        reverse("accounts:organisation_edit", args=[member_organisation.pk]), {"name": "X", "kind": "other"}
    )

    assert response.status_code == 403
    assert Organisation.objects.get(pk=member_organisation.pk).name == "Service de santé mentale Les Tilleuls"


def test_coordinator_edits_and_stamps_verification(client, coordinator, member_organisation):
    client.force_login(coordinator)

    response = client.post(
        reverse("accounts:organisation_edit", args=[member_organisation.pk]),
        {"name": "SSM Les Tilleuls", "kind": "mental_health", "commune": "Anderlecht", "verified": "on"},
    )

    assert response.status_code == 302
    member_organisation.refresh_from_db()
    assert member_organisation.name == "SSM Les Tilleuls"
    assert member_organisation.last_verified == timezone.localdate()
    assert "ssm les tilleuls" in member_organisation.search_text


def test_invalid_edit_changes_nothing(client, coordinator, member_organisation):
    client.force_login(coordinator)

    response = client.post(
        reverse("accounts:organisation_edit", args=[member_organisation.pk]),
        {"name": "", "kind": "mental_health", "email": "not-an-address"},
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "Saisissez une adresse de courriel valide." in body
    assert "Ce champ est obligatoire." in body
    member_organisation.refresh_from_db()
    assert member_organisation.name == "Service de santé mentale Les Tilleuls"
