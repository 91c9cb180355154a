"""Each permission rule that a list needs as a query is written twice, once in Python for one row
and once in SQL for many: over the whole test world, both must give the same answer."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import OuterRef
from django.utils import timezone

from accounts.models import Network
from meetings import candidates, queries, rules
from meetings.followup import rules as followup_rules
from meetings.kinds import Kind, Membership
from meetings.models import (
    GroupMembership,
    Invitation,
    InvitationRole,
    Meeting,
    MembershipStatus,
    PartStat,
    Role,
    StandingGroup,
)
from meetings.services.groups import group_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(world):
    """The test world, with someone for every branch of the rules: an invited facilitator, a
    substitute, a facilitator who left, a member of another network's group, a professional who
    declined a concertation and the person concerned by it."""
    users = world.users
    Invitation.objects.create(
        meeting=world.concertation,
        user=users["applicant"],
        email=users["applicant"].email,
        role=InvitationRole.FACILITATOR,
    )
    Invitation.objects.create(
        meeting=world.concertation,
        user=users["pending"],
        email=users["pending"].email,
        partstat=PartStat.DECLINED,
    )
    Invitation.objects.create(
        meeting=world.concertation,
        user=users["other_coordinator"],
        email=users["other_coordinator"].email,
        role=InvitationRole.PERSON_CONCERNED,
    )
    GroupMembership.objects.create(
        group=world.group, user=users["outsider"], role=Role.SUBSTITUTE, status=MembershipStatus.ACTIVE
    )
    neighbours = group_create(
        network=world.other_network,
        kind=Kind.INTERVISION,
        name="Intervision voisine",
        facilitators=[users["other_coordinator"]],
        members=[users["applicant"]],
        by=users["other_coordinator"],
    )
    GroupMembership.objects.create(
        group=neighbours, user=users["member"], role=Role.FACILITATOR, status=MembershipStatus.LEFT
    )
    return {**users, "superuser": UserFactory(is_superuser=True), "anonymous": AnonymousUser()}


def _pks(queryset) -> list[int]:
    return list(queryset.order_by("pk").values_list("pk", flat=True))


def _agree(people, rows, model, python, sql) -> dict[str, list[int]]:
    """For each person: the rows PYTHON lets through one by one, checked against the rows the SQL
    filter lets through in one query. Returns the answers, by person."""
    answers = {}
    for name, user in people.items():
        in_python = [row.pk for row in rows if python(user, row)]
        assert _pks(model.objects.filter(sql(user))) == in_python, name
        answers[name] = in_python
    return answers


def _groups():
    return list(StandingGroup.objects.order_by("pk"))


def _meetings():
    return list(Meeting.objects.order_by("pk"))


def test_seeing_a_group_agrees_in_sql(people):
    answers = _agree(people, _groups(), StandingGroup, rules.can_see_group, rules.groups_seen_by)

    assert len(set(map(tuple, answers.values()))) >= 3
    assert answers["anonymous"] == []
    assert answers["superuser"] == []  # a member of no network, above no rule


def test_seeing_a_groups_details_as_a_member_agrees_in_sql(people):
    answers = _agree(
        people,
        _groups(),
        StandingGroup,
        rules.member_sees_details,
        lambda user: rules.sees_group_details(user.pk, OuterRef("pk")),
    )

    group, neighbours = _groups()
    assert answers["member"] == [group.pk]  # accepted the charter
    assert answers["pending"] == []  # has not
    assert answers["outsider"] == [group.pk]  # a substitute
    assert answers["other_coordinator"] == [neighbours.pk]
    assert answers["coordinator"] == []  # coordinates, is no member
    assert answers["anonymous"] == []


def test_seeing_a_groups_details_agrees_in_sql(people):
    answers = _agree(
        people, _groups(), StandingGroup, rules.can_see_group_details, rules.groups_whose_details_are_seen_by
    )

    group, _neighbours = _groups()
    assert answers["coordinator"] == [group.pk]
    assert answers["pending"] == []
    assert answers["anonymous"] == []
    assert answers["superuser"] == []


def test_managing_a_group_agrees_in_sql(people):
    answers = _agree(people, _groups(), StandingGroup, rules.can_manage_group, rules.groups_managed_by)

    group, neighbours = _groups()
    assert answers["facilitator"] == [group.pk]
    assert answers["outsider"] == [group.pk]  # a substitute
    assert answers["member"] == []  # left the neighbours' facilitation
    assert answers["other_coordinator"] == [neighbours.pk]
    assert answers["anonymous"] == []
    assert answers["superuser"] == []


def test_facilitating_a_meeting_agrees_in_sql(world, people):
    answers = _agree(
        people,
        _meetings(),
        Meeting,
        rules.is_facilitator,
        rules.meetings_facilitated_by,
    )

    assert len(set(map(tuple, answers.values()))) >= 3
    assert answers["applicant"] == [world.concertation.pk]  # invited to facilitate
    assert answers["member"] == []
    assert answers["anonymous"] == []
    assert answers["superuser"] == []


def test_reading_clinical_minutes_agrees_in_sql(world, people):
    """can_see_outcome's own test for kinds whose minutes may hold clinical content, among those
    who see the meeting's details."""
    clinical = [m for m in _meetings() if m.policy.clinical_minutes]
    assert clinical

    for name, user in people.items():
        readable = set(_pks(Meeting.objects.filter(followup_rules.clinical_minutes_readable_by(user))))
        for meeting in clinical:
            if rules.can_see_meeting_details(user, meeting):
                assert followup_rules.can_see_outcome(user, meeting) == (meeting.pk in readable), name

    who = {name for name, user in people.items() if followup_rules.can_see_outcome(user, world.concertation)}
    # The organiser and the invitees who did not decline; not the person concerned, nor a superuser.
    assert who == {"facilitator", "member", "applicant"}


def test_networks_offered_for_new_groups_meetings_and_series_agree_with_the_rules(people):
    networks = list(Network.objects.order_by("pk"))
    for name, user in people.items():
        assert _pks(rules.networks_for_new_groups(user)) == [
            n.pk for n in networks if rules.can_create_group(user, n)
        ], name
        assert _pks(rules.networks_for_new_series(user)) == [
            n.pk for n in networks if rules.can_schedule_series(user, n)
        ], name
        assert _pks(rules.networks_for_new_meetings(user)) == [
            n.pk for n in networks if rules.can_create_meeting(user, n, Membership.INVITED_ONLY)
        ], name
        assert rules.may_create_groups(user) == bool(_pks(rules.networks_for_new_groups(user))), name


def test_naming_a_meeting_in_lists_agrees_in_sql(world, people):
    """The agenda decides in Python whether a meeting is shown by its title; the home page's
    "À faire" reads the same rule in SQL (queries.shows_details)."""
    now = timezone.now()
    titled = {}
    for name, user in people.items():
        if not user.is_authenticated:
            continue
        entries = queries.agenda(user, now - timedelta(days=400), now + timedelta(days=400))
        in_sql = dict(
            Meeting.objects.filter(pk__in=[e.meeting.pk for e in entries])
            .annotate(shown=queries.shows_details(user))
            .values_list("pk", "shown")
        )
        assert {e.meeting.pk: e.show_details for e in entries} == in_sql, name
        titled[name] = in_sql.get(world.session.pk)

    assert titled["member"] is True and titled["facilitator"] is True
    assert titled["pending"] is False  # has not accepted the charter


def test_facilitating_in_the_agenda_and_by_candidate_ids_agrees_with_the_rule(world, people):
    """The agenda tells whether I facilitate each entry from my groups and my invitations it read
    already; "Réunions à clôturer" finds them by candidates.facilitated_by: both say what
    rules.meetings_facilitated_by says."""
    now = timezone.now()
    facilitating = {}
    for name, user in people.items():
        if not user.is_authenticated:
            continue
        by_rule = set(_pks(Meeting.objects.filter(rules.meetings_facilitated_by(user))))
        assert set(candidates.facilitated_by(user).values_list("pk", flat=True)) == by_rule, name
        entries = queries.agenda(user, now - timedelta(days=400), now + timedelta(days=400))
        assert {e.meeting.pk for e in entries if e.facilitating} == by_rule & {
            e.meeting.pk for e in entries
        }, name
        facilitating[name] = by_rule

    assert world.concertation.pk in facilitating["applicant"]  # invited to facilitate
    assert world.session.pk in facilitating["outsider"]  # a substitute
    assert facilitating["member"] == set()  # left the neighbours' facilitation
