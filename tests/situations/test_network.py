"""The network around the person: members, the map and its text alternative."""

from xml.etree import ElementTree

from django.urls import reverse

from meetings.situations.models import Member, MemberKind
from tests.situations.world import CODE


def add_member(client, sworld, **data):
    client.force_login(sworld.users["referent"])
    return client.post(reverse("situations:member_add", kwargs={"pk": sworld.situation.pk}), data)


def test_a_member_from_the_directory_takes_their_discipline_and_secrecy(client, sworld):
    response = add_member(
        client, sworld, kind="professional", directory_email="EXTERNE@midi.test", role="CPAS"
    )

    assert response.status_code == 302
    member = sworld.situation.members.get(user=sworld.users["outsider"])
    assert (member.profession, member.bound_by_secrecy) == ("social_worker", True)


def test_a_relative_is_never_bound_by_professional_secrecy(client, sworld):
    add_member(client, sworld, kind="relative", name="Jean Frère", relation="frère", bound_by_secrecy="on")

    member = sworld.situation.members.get(name="Jean Frère")
    assert not member.bound_by_secrecy and not member.clinical_role


def test_someone_the_person_refused_cannot_be_added_even_without_an_account(client, sworld):
    before = Member.objects.count()

    response = add_member(client, sworld, kind="professional", name="Docteur X. Lemaire", role="Psychiatre")

    assert "ne soit pas associé" in response.content.decode()
    assert Member.objects.count() == before


def test_a_second_person_concerned_is_refused(client, sworld):
    before = Member.objects.count()

    response = add_member(client, sworld, kind="person", name="Quelqu'un d'autre")

    assert "figure déjà sur la carte" in response.content.decode()
    assert Member.objects.count() == before


def test_a_member_without_a_name_or_an_account_is_refused(client, sworld):
    before = Member.objects.count()

    response = add_member(client, sworld, kind="friend")

    assert response.status_code == 200
    assert Member.objects.count() == before


def test_editing_a_member_keeps_their_start_when_left_empty(client, sworld):
    member = sworld.members["nurse"]
    client.force_login(sworld.users["referent"])

    client.post(
        reverse("situations:member_edit", kwargs={"pk": sworld.situation.pk, "member_id": member.pk}),
        {"name": "", "role": "Soins du soir", "profession": "nurse", "bound_by_secrecy": "on", "since": ""},
    )

    member.refresh_from_db()
    assert member.role == "Soins du soir" and member.since is not None
    assert member.user == sworld.users["nurse"]


def test_the_map_draws_the_person_at_the_centre_and_warns_of_shared_roles(client, sworld):
    add_member(client, sworld, kind="professional", name="Eva Rue", role="Éducateur de rue (relais)")
    client.force_login(sworld.users["professional"])

    body = client.get(reverse("situations:network", kwargs={"pk": sworld.situation.pk})).content.decode()

    svg = body[body.index("<svg") : body.index("</svg>") + 6]
    tree = ElementTree.fromstring(svg)
    texts = [t.text for t in tree.iter("{http://www.w3.org/2000/svg}text")]
    assert CODE in texts
    assert "Gilles Petit" in texts and "Sarah Proche" in texts
    assert 'id="shared-roles"' in body and "Éducateur de rue (relais)" in body
    assert 'id="members"' in body  # the same network as a list, the map's text alternative
    assert "Ali Ancien" in body[body.index('id="past-members"') :]  # ended: listed apart, not on the map
    assert "Ali Ancien" not in texts


def test_names_are_escaped_in_the_map(client, sworld):
    add_member(client, sworld, kind=MemberKind.FRIEND, name="<script>alert(1)</script>", relation="voisin")
    client.force_login(sworld.users["referent"])

    body = client.get(reverse("situations:network", kwargs={"pk": sworld.situation.pk})).content.decode()

    assert "<script>alert(1)" not in body
