"""Standing groups: joining, size limits, the confidentiality charter."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.kinds import Kind
from meetings.models import CharterAcceptance, GroupMembership, MembershipStatus
from meetings.rules import can_see_meeting_details
from meetings.services.groups import (
    charter_update,
    group_add_member,
    group_create,
    group_decide_request,
    group_request_join,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_join_request_then_acceptance(client, world):
    applicant = world.users["applicant"]
    client.force_login(world.users["facilitator"])

    response = client.post(
        reverse("meetings:group_decide", args=[world.group.pk, world.join_request.pk]), {"decision": "accept"}
    )

    assert response.status_code == 302
    membership = GroupMembership.objects.get(group=world.group, user=applicant)
    assert membership.status == MembershipStatus.ACTIVE
    assert membership.decided_by == world.users["facilitator"]


def test_declined_request_and_asking_twice(world):
    group_decide_request(membership=world.join_request, accept=False, by=world.users["facilitator"])

    with pytest.raises(ValidationError) as error:
        group_decide_request(membership=world.join_request, accept=True, by=world.users["facilitator"])

    assert error.value.messages == ["Cette demande a déjà été traitée."]
    assert GroupMembership.objects.get(pk=world.join_request.pk).status == MembershipStatus.DECLINED


def test_asking_to_join_through_the_page(client, world):
    client.force_login(world.users["outsider"])

    client.post(reverse("meetings:group_join", args=[world.group.pk]), {"message": "Je suis MG à Cureghem."})
    second = client.post(reverse("meetings:group_join", args=[world.group.pk]), follow=True)

    membership = GroupMembership.objects.get(group=world.group, user=world.users["outsider"])
    assert membership.status == MembershipStatus.REQUESTED
    assert membership.message == "Je suis MG à Cureghem."
    assert "Votre demande est déjà en attente." in second.content.decode()


def test_balint_group_holds_at_most_twelve_members(world):
    extra = [UserFactory() for _ in range(10)]  # the group has 2 members already
    for user in extra:
        group_add_member(group=world.group, user=user, by=world.users["facilitator"])

    with pytest.raises(ValidationError) as error:
        group_add_member(group=world.group, user=UserFactory(), by=world.users["facilitator"])

    assert error.value.messages == ["Ce groupe est complet : 12 membres au maximum."]
    assert world.group.memberships.filter(status=MembershipStatus.ACTIVE, role="member").count() == 12


def test_accepting_a_request_into_a_full_group_is_refused(client, world):
    world.group.max_size = 2
    world.group.save()
    client.force_login(world.users["facilitator"])

    response = client.post(
        reverse("meetings:group_decide", args=[world.group.pk, world.join_request.pk]),
        {"decision": "accept"},
        follow=True,
    )

    assert "Ce groupe est complet : 2 membres au maximum." in response.content.decode()
    assert GroupMembership.objects.get(pk=world.join_request.pk).status == MembershipStatus.REQUESTED


def test_group_needs_one_or_two_facilitators(world):
    three = [UserFactory() for _ in range(3)]

    with pytest.raises(ValidationError) as error:
        group_create(
            network=world.network, kind=Kind.INTERVISION, name="Trop", facilitators=three, by=three[0]
        )

    assert error.value.messages == ["Un groupe a un ou deux animateurs."]


def test_only_group_kinds_make_groups(world):
    with pytest.raises(ValidationError):
        group_create(
            network=world.network,
            kind=Kind.CONCERTATION,
            name="Pas un groupe",
            facilitators=[world.users["facilitator"]],
            by=world.users["coordinator"],
        )


def test_accepting_the_charter_reveals_details(client, world):
    pending = world.users["pending"]
    assert not can_see_meeting_details(pending, world.session)
    client.force_login(pending)

    client.post(reverse("meetings:charter_accept", args=[world.group.pk]), {"version": "1"})

    acceptance = CharterAcceptance.objects.get(group=world.group, user=pending)
    assert acceptance.version == 1
    assert acceptance.accepted_at is not None
    body = client.get(reverse("meetings:meeting", args=[world.session.pk])).content.decode()
    assert "Rue Haute 100" in body


def test_a_new_charter_version_asks_again(client, world):
    member = world.users["member"]
    client.force_login(member)
    assert (
        "Rue Haute 100" in client.get(reverse("meetings:meeting", args=[world.session.pk])).content.decode()
    )

    charter_update(
        group=world.group, text="Nouvelle charte : rien ne sort du groupe.", by=world.users["facilitator"]
    )

    body = client.get(reverse("meetings:meeting", args=[world.session.pk])).content.decode()
    assert "Rue Haute 100" not in body
    group_page = client.get(reverse("meetings:group", args=[world.group.pk])).content.decode()
    assert "Charte de confidentialité (version 2)" in group_page
    assert "J'accepte la charte" in group_page.replace("&#x27;", "'")


def test_accepting_an_outdated_version_is_refused(client, world):
    charter_update(group=world.group, text="Version 2", by=world.users["facilitator"])
    client.force_login(world.users["pending"])

    client.post(reverse("meetings:charter_accept", args=[world.group.pk]), {"version": "1"})

    assert not CharterAcceptance.objects.filter(group=world.group, user=world.users["pending"]).exists()


def test_group_request_by_a_member_is_refused(world):
    with pytest.raises(ValidationError) as error:
        group_request_join(group=world.group, user=world.users["member"])

    assert error.value.messages == ["Vous faites déjà partie de ce groupe."]
