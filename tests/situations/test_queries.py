"""Every page of the situations runs a fixed number of queries, however many situations, members,
notes, actions, concertations and reads there are (DESIGN.md, quality bars)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profession
from audit.services import record_read
from meetings.kinds import Kind
from meetings.services.meetings import meeting_create
from meetings.situations.models import Concertation, MemberKind, SituationStatus
from meetings.situations.policies import Template
from meetings.situations.services import consent as consent_services
from meetings.situations.services import members as member_services
from meetings.situations.services import notes as note_services
from meetings.situations.services import plan as plan_services
from meetings.situations.services import situations as situation_services
from tests.e2e import phone_pages as pages
from tests.factories import NetworkFactory, OrganisationFactory, ProfessionalFactory, UserFactory
from tests.queries import MANY, Budget, check_budget, quietly

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


# Every other page of a situation, on the demo's (tests/queries.py): the same queries for its
# few members, notes, actions and reads as for many.


def _demo_situation(demo):
    from meetings.situations.models import Situation

    return Situation.objects.get(pk=demo["situation"]["pk"])


def _referent(situation):
    return situation.referents.filter(ended_at__isnull=True).get().user


def more_members(demo) -> list[str]:
    """MANY professionals of the network join the situation, covered by a new agreement."""
    situation = _demo_situation(demo)
    referent = _referent(situation)
    organisation = situation.network.organisations.order_by("pk").first()
    added = []
    for i in range(MANY):
        user = UserFactory(first_name=f"Membre{i}", last_name="Réseau", email=f"membre{i}@reseau.test")
        ProfessionalFactory(
            user=user, organisations=[organisation], profession=Profession.NURSE, bound_by_secrecy=True
        )
        added.append(
            member_services.member_add(
                situation=situation, by=referent, kind=MemberKind.PROFESSIONAL, user=user
            )
        )
    member_services.member_add(situation=situation, by=referent, kind=MemberKind.FRIEND, name="Voisin Un")
    current = situation.consents.get(replaced_at__isnull=True)
    consent_services.consent_record(
        situation=situation,
        by=referent,
        given_on=timezone.localdate(),
        shared_content="Le suivi des soins.",
        covered_members=[*current.covered_members.all(), *added],
        exclusions=[consent_services.Exclusion(name=f"Dr Exclu{i}") for i in range(3)],
    )
    return [u.user.get_full_name() for u in added]


def more_notes(demo) -> list[str]:
    situation = _demo_situation(demo)
    texts = [f"Note numéro {i} pour le suivi." for i in range(MANY)]
    for text in texts:
        note_services.note_create(
            situation=situation, author=_referent(situation), purpose="Que le réseau sache.", text=text
        )
    return texts


def more_actions(demo) -> list[str]:
    names = more_members(demo)
    situation = _demo_situation(demo)
    owners = situation.members.filter(user__first_name__startswith="Membre")
    descriptions = [f"Action du plan {i}" for i in range(MANY)]
    for description, owner in zip(descriptions, owners, strict=True):
        plan_services.action_add(
            situation=situation,
            by=_referent(situation),
            action=plan_services.NewAction(
                description=description, owner=owner, due_date=timezone.localdate() + timedelta(days=3)
            ),
        )
    return [*names, *descriptions]


def more_participants(demo) -> list[str]:
    """The report names MANY more participants, goals and actions."""
    names = more_members(demo)
    situation = _demo_situation(demo)
    concertation = situation.concertations.get(pk=demo["situation_report"]["concertation_id"])
    members = list(situation.members.exclude(kind=MemberKind.PERSON))
    goals = [f"Objectif {i}" for i in range(MANY)]
    plan_services.report_save(
        concertation=concertation,
        by=_referent(situation),
        participants=members,
        needs="Des besoins.",
        next_review=None,
        goals=goals,
        actions=[
            plan_services.NewAction(
                description=f"Action {i}", owner=m, due_date=timezone.localdate(), goal=goals[i % MANY]
            )
            for i, m in enumerate(members)
        ],
    )
    return [*names, *goals]


def more_reads(demo) -> list[str]:
    situation = _demo_situation(demo)
    names = more_members(demo)
    for member in situation.members.filter(user__first_name__startswith="Membre").select_related("user"):
        for item in ("situation", "notes", "plan"):
            record_read(reader=member.user, subject=situation.audit_subject, item=item, path="/situations/")
    return names


def more_situations(demo) -> list[str]:
    """The référent's networks and situations: the creation form lists neither, but stays put."""
    situation = _demo_situation(demo)
    referent = _referent(situation)
    codes = [f"Z.{chr(65 + i)}. 2026-0{1 + i % 9}" for i in range(MANY)]
    for code in codes:
        situation_services.situation_create(
            network=situation.network, code=code, origin="noticed", by=referent
        )
    return []


V = pages.Visit
BUDGETS = [
    Budget(V("situations:situation_create", "referent"), more_situations),
    Budget(V("situations:handover", "referent", "situation"), more_members),
    Budget(V("situations:consent", "referent", "situation"), more_members),
    Budget(V("situations:network", "referent", "situation"), more_members),
    Budget(V("situations:member_add", "referent", "situation"), quietly(more_members)),
    Budget(V("situations:member_edit", "referent", "situation_member"), quietly(more_members)),
    Budget(V("situations:notes", "referent", "situation"), more_notes),
    Budget(V("situations:notes", "relative", "situation"), quietly(more_notes)),
    Budget(V("situations:plan", "referent", "situation"), more_actions),
    Budget(V("situations:concertation_create", "referent", "situation"), more_members),
    Budget(V("situations:report", "referent", "situation_report"), more_participants),
    Budget(V("situations:log", "referent", "situation"), more_reads),
    Budget(V("situations:report_pdf", "referent", "situation_report"), quietly(more_participants)),
    Budget(V("situations:fhir", "referent", "situation"), more_actions),
    Budget(V("situations:consent_document", "referent", "consent_document"), quietly(more_members)),
]


@pytest.mark.xdist_group("queries-situations")
@pytest.mark.parametrize("budget", BUDGETS, ids=lambda b: b.id)
def test_each_page_of_a_situation_asks_the_same_queries_for_few_and_many_rows(client, demo, db, budget):
    check_budget(client, demo, budget)
