"""Words a network keeps in its vignettes (KeptTerm): added in the admin by a
coordinator for their network or by an administrator for every network, passed to the
anonymiser by the check, at one query per check."""

from datetime import time, timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.kinds import Kind
from meetings.recurrence import local_start
from meetings.services.meetings import meeting_create
from meetings.vignettes import queries, rules
from meetings.vignettes import services as vs
from meetings.vignettes.models import KeptTerm, Vignette
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TEXT = "Rendez-vous à la Maison Kabasele, où Madame Sylvie Verstraeten passe le jeudi."
TERM = "Maison Kabasele"


@pytest.fixture
def vignettes(world):
    """One vignette in the world's network (its thematic meeting) and one in the other network."""
    other_meeting = meeting_create(
        network=world.other_network,
        kind=Kind.THEMATIC,
        title="Rencontre du réseau voisin",
        start=local_start(timezone.localdate() + timedelta(days=4), time(9, 30)),
        end=local_start(timezone.localdate() + timedelta(days=4), time(11, 0)),
        organiser=world.users["other_coordinator"],
    )
    ours = vs.vignette_create(
        meeting=world.thematic, author=world.users["coordinator"], title="Un suivi", text=TEXT
    )
    theirs = vs.vignette_create(
        meeting=other_meeting, author=world.users["other_coordinator"], title="Un suivi", text=TEXT
    )
    return ours, theirs


def finding_texts(vignette: Vignette) -> list[str]:
    return [f.text for f in vs.open_findings(Vignette.objects.get(pk=vignette.pk))]


def add_in_admin(client, user, **data):
    client.force_login(user)
    return client.post(reverse("admin:vignettes_keptterm_add"), data)


@pytest.mark.slow
def test_a_coordinator_adds_a_term_in_the_admin_and_their_networks_check_keeps_it(client, world, vignettes):
    ours, theirs = vignettes
    assert any("Kabasele" in text for text in finding_texts(ours))  # found before the term is added
    coordinator = world.users["coordinator"]
    coordinator.is_staff = True
    coordinator.save()

    response = add_in_admin(client, coordinator, term="  Maison   Kabasele ", network=world.network.pk)

    assert response.status_code == 302
    kept_term = KeptTerm.objects.get()
    assert (kept_term.term, kept_term.network, kept_term.added_by) == (TERM, world.network, coordinator)
    assert finding_texts(ours) == ["Madame Sylvie Verstraeten"]
    assert any("Kabasele" in text for text in finding_texts(theirs))  # another network's vignette


@pytest.mark.slow
def test_a_term_for_every_network_is_kept_in_every_network(world, vignettes):
    KeptTerm.objects.create(term=TERM, network=None)
    for vignette in vignettes:
        assert finding_texts(vignette) == ["Madame Sylvie Verstraeten"]


@pytest.mark.slow
def test_the_title_is_checked_with_the_networks_terms_too(world, vignettes):
    ours, _theirs = vignettes
    KeptTerm.objects.create(term=TERM, network=world.network)
    vs.vignette_update(
        vignette=ours, by=world.users["coordinator"], title="La Maison Kabasele", text="Un refus de soins."
    )
    shared = vs.vignette_share(vignette=ours, by=world.users["coordinator"], confirmed=True)
    assert shared.is_shared


def test_a_coordinator_cannot_add_a_term_to_another_network_nor_to_every_network(client, world):
    other = world.users["other_coordinator"]
    other.is_staff = True
    other.save()

    into_ours = add_in_admin(client, other, term=TERM, network=world.network.pk)
    everywhere = add_in_admin(client, other, term=TERM, network="")

    assert into_ours.status_code == everywhere.status_code == 200  # the form again, with its error
    assert not KeptTerm.objects.exists()


def test_an_administrator_adds_a_term_for_every_network(client, world):
    admin = UserFactory(email="admin@example.test", is_staff=True, is_superuser=True)
    response = add_in_admin(client, admin, term=TERM, network="")
    assert response.status_code == 302
    assert KeptTerm.objects.get().network is None


def test_the_admin_lists_a_coordinator_only_their_networks_terms(client, world):
    KeptTerm.objects.create(term="Le Goéland", network=world.network)
    KeptTerm.objects.create(term="Het Anker", network=world.other_network)
    KeptTerm.objects.create(term="Projet Partout", network=None)
    coordinator = world.users["coordinator"]
    coordinator.is_staff = True
    coordinator.save()
    client.force_login(coordinator)

    page = client.get(reverse("admin:vignettes_keptterm_changelist")).content.decode()
    searched = client.get(reverse("admin:vignettes_keptterm_changelist"), {"q": "goé"}).content.decode()

    assert "Le Goéland" in page and "Het Anker" not in page and "Projet Partout" not in page
    assert "Le Goéland" in searched
    other_term = KeptTerm.objects.get(term="Het Anker")
    assert client.get(reverse("admin:vignettes_keptterm_change", args=[other_term.pk])).status_code == 302


def test_a_term_needs_two_letters(client, world):
    admin = UserFactory(email="admin@example.test", is_staff=True, is_superuser=True)
    response = add_in_admin(client, admin, term=" - ", network="")
    assert response.status_code == 200
    assert "deux lettres au moins" in response.content.decode()
    assert not KeptTerm.objects.exists()


@pytest.mark.parametrize("term", ["Sylvie", "Peeters", "Jan Peeters", "Van Damme"])
def test_a_persons_name_cannot_be_kept(client, world, term):
    admin = UserFactory(email="admin@example.test", is_staff=True, is_superuser=True)
    response = add_in_admin(client, admin, term=term, network="")
    assert response.status_code == 200
    assert "est un nom de personne" in unescape(response.content.decode())
    assert not KeptTerm.objects.exists()


def test_who_manages_the_terms(world):
    users = world.users
    admin = UserFactory(email="admin@example.test", is_superuser=True)
    assert rules.can_manage_kept_term(users["coordinator"], world.network)
    assert not rules.can_manage_kept_term(users["coordinator"], world.other_network)
    assert not rules.can_manage_kept_term(users["coordinator"], None)
    assert rules.can_manage_kept_term(admin, None)
    assert not rules.can_manage_kept_terms(users["member"])


@pytest.mark.slow
def test_passing_the_terms_costs_one_query_per_check_however_many(
    world, vignettes, django_assert_num_queries
):
    ours, _theirs = vignettes
    vignette = Vignette.objects.get(pk=ours.pk)
    with django_assert_num_queries(1):
        vs.open_findings(vignette)
    KeptTerm.objects.bulk_create(
        [KeptTerm(term=f"Projet {n} du quartier", network=world.network) for n in range(20)]
        + [KeptTerm(term=f"Service {n}", network=None) for n in range(20)]
        + [KeptTerm(term=f"Ailleurs {n}", network=world.other_network) for n in range(20)]
    )
    vignette = Vignette.objects.get(pk=ours.pk)
    with django_assert_num_queries(1):
        vs.open_findings(vignette)
    assert len(queries.kept_terms_for(vignette)) == 40
