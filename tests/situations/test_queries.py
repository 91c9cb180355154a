"""The list of situations and a situation's page run a fixed number of queries, however many
situations, members, actions and concertations there are (DESIGN.md, quality bars)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profession
from meetings.kinds import Kind
from meetings.services.meetings import meeting_create
from meetings.situations.models import Concertation, MemberKind, SituationStatus
from meetings.situations.policies import Template
from meetings.situations.services import consent as consent_services
from meetings.situations.services import members as member_services
from meetings.situations.services import plan as plan_services
from meetings.situations.services import situations as situation_services
from tests.factories import NetworkFactory, OrganisationFactory, ProfessionalFactory, UserFactory

LETTERS = "ABCDEFGHJK"


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Maison médicale du Nord", kind="medical_house")


@pytest.fixture
def network(organisation):
    return NetworkFactory(name="Réseau Nord", organisations=[organisation])


def professional(organisation, email):
    user = UserFactory(email=email)
    ProfessionalFactory(
        user=user, organisations=[organisation], profession=Profession.NURSE, bound_by_secrecy=True
    )
    return user


def situation_with(network, organisation, referent, number: int, rows: int):
    """An active situation of REFERENT with ROWS members (besides the référent and the person),
    ROWS actions and ROWS concertations (past ones, with their report, and one to come)."""
    today, now = timezone.localdate(), timezone.now()
    situation = situation_services.situation_create(
        network=network, code=f"{LETTERS[number]}.M. 2026-0{number + 1}", origin="professional", by=referent
    )
    members = [situation.members.get(user=referent)]
    for i in range(rows):
        user = professional(organisation, f"membre{number}-{i}@nord.test")
        members.append(
            member_services.member_add(
                situation=situation,
                by=referent,
                kind=MemberKind.PROFESSIONAL,
                user=user,
                since=today - timedelta(days=30),
            )
        )
    member_services.member_add(situation=situation, by=referent, kind=MemberKind.PERSON, name="La personne")
    consent_services.consent_record(
        situation=situation,
        by=referent,
        given_on=today - timedelta(days=20),
        shared_content="Le suivi des soins.",
        covered_members=members,
    )
    situation_services.status_change(situation=situation, status=SituationStatus.ACTIVE, by=referent)
    for i in range(rows):
        start = now + timedelta(days=7) if i == 0 else now - timedelta(days=7 * i)
        meeting = meeting_create(
            network=network,
            kind=Kind.CONCERTATION,
            title=str(Template.NETWORK.label),
            start=start,
            end=start + timedelta(hours=1),
            organiser=referent,
        )
        concertation = Concertation.objects.create(
            situation=situation,
            meeting=meeting,
            template=Template.NETWORK,
            facilitator=members[0],
            created_by=referent,
        )
        if start < now:
            plan_services.report_save(
                concertation=concertation,
                by=referent,
                participants=members,
                needs="Des besoins.",
                next_review=None,
            )
    for i in range(rows):
        plan_services.action_add(
            situation=situation,
            by=referent,
            action=plan_services.NewAction(
                description=f"Action {i}",
                owner=members[i % len(members)],
                due_date=today + timedelta(days=i - 2),
            ),
        )
    return situation


def count_queries(client, user, url) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_situation_list_runs_the_same_queries_for_one_and_for_five_situations(client, network, organisation):
    one, five = professional(organisation, "une@nord.test"), professional(organisation, "cinq@nord.test")
    situation_with(network, organisation, one, 0, rows=3)
    many = [situation_with(network, organisation, five, n, rows=3) for n in range(1, 6)]
    url = reverse("situations:situations")

    counts = count_queries(client, one, url), count_queries(client, five, url)

    assert counts[0] == counts[1]
    client.force_login(five)
    body = client.get(url).content.decode()
    assert all(situation.code in body for situation in many)


@pytest.mark.parametrize("viewer", ["referent", "member"])
def test_situation_page_runs_the_same_queries_for_one_and_for_five_rows(
    client, network, organisation, viewer
):
    referent = professional(organisation, "referente@nord.test")
    small = situation_with(network, organisation, referent, 0, rows=1)
    large = situation_with(network, organisation, referent, 1, rows=5)
    if viewer == "member":
        # A professional through the gate, who owns an action of each situation, in both.
        user = professional(organisation, "membre@nord.test")
        for situation in (small, large):
            member = member_services.member_add(
                situation=situation,
                by=referent,
                kind=MemberKind.PROFESSIONAL,
                user=user,
                since=timezone.localdate(),
            )
            consent_services.consent_record(
                situation=situation,
                by=referent,
                given_on=timezone.localdate(),
                shared_content="Le suivi des soins.",
                covered_members=list(situation.members.exclude(kind=MemberKind.PERSON)),
            )
            plan_services.action_add(
                situation=situation,
                by=referent,
                action=plan_services.NewAction(
                    description="La mienne", owner=member, due_date=timezone.localdate()
                ),
            )
    else:
        user = referent

    counts = [
        count_queries(client, user, reverse("situations:situation", args=[s.pk])) for s in (small, large)
    ]

    assert counts[0] == counts[1]
    body = client.get(reverse("situations:situation", args=[large.pk])).content.decode()
    assert body.count('href="/meetings/') >= 5  # the five concertations are on the page
