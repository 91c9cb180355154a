"""Where the rules meet: an exclusion outweighs every other role, a référent outside the gate
coordinates without reading, a directory profile's secrecy cannot be edited away, and the admin
logs in through the same door as everyone."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings.followup.rules import can_see_outcome
from meetings.models import InvitationRole
from meetings.recurrence import local_start
from meetings.situations.models import Concertation, SituationStatus
from meetings.situations.rules import access_for
from meetings.situations.services import consent as consent_services
from meetings.situations.services import situations as situation_services
from meetings.situations.services.concertations import Plan, concertation_schedule, refusals
from tests.situations.world import CODE, RELATIVE_NOTE_TEXT, SHARED_CONTENT, fresh


def _exclude(sworld, name):
    situation = fresh(sworld.situation)
    covered = list(situation.consents.first().covered_members.all())
    consent_services.consent_record(
        situation=situation,
        by=sworld.users["referent"],
        given_on=timezone.localdate(),
        shared_content=SHARED_CONTENT,
        covered_members=[m for m in covered if m.user != sworld.users.get(name)],
        exclusions=[consent_services.Exclusion(name=sworld.users[name].get_full_name())],
    )


def test_an_excluded_referent_of_a_binome_sees_nothing_any_more(client, sworld):
    situation_services.handover(
        situation=fresh(sworld.situation),
        by=sworld.users["referent"],
        to=sworld.members["nurse"],
        note="Binôme",
        keep_own_role=True,
    )
    situation = fresh(sworld.situation)
    consent_services.consent_record(
        situation=situation,
        by=sworld.users["nurse"],
        given_on=timezone.localdate(),
        shared_content=SHARED_CONTENT,
        covered_members=[sworld.members["nurse"], sworld.members["professional"]],
        exclusions=[consent_services.Exclusion(name="Rita Renard")],
    )
    client.force_login(sworld.users["referent"])

    listing = client.get(reverse("situations:situations")).content.decode()
    notes = client.get(reverse("situations:notes", kwargs={"pk": sworld.situation.pk}))

    assert CODE not in listing
    assert notes.status_code == 404 and RELATIVE_NOTE_TEXT not in notes.content.decode()


def test_an_excluded_requester_sees_nothing_and_hears_nothing(
    client, sworld, django_capture_on_commit_callbacks
):
    from django.core import mail

    from tests.situations.world import deliver_pending

    _exclude(sworld, "requester")
    deliver_pending()
    client.force_login(sworld.users["requester"])

    page = client.get(reverse("situations:situation", kwargs={"pk": sworld.situation.pk}))
    with django_capture_on_commit_callbacks(execute=True):
        situation_services.status_change(
            situation=fresh(sworld.situation), status=SituationStatus.HANDED_OVER, by=sworld.users["referent"]
        )

    assert page.status_code == 404
    assert [m for m in mail.outbox if m.to == ["demande@midi.test"]] == []


def test_a_relative_who_coordinates_does_not_read_reports_or_the_signed_form(client, sworld):
    situation_services.handover(
        situation=fresh(sworld.situation),
        by=sworld.users["referent"],
        to=sworld.members["relative"],
        note="Sa sœur.",
    )
    access = access_for(sworld.users["relative"], fresh(sworld.situation))

    assert access.manages and access.reads_plan
    assert not access.reads_reports and not access.reads_notes
    client.force_login(sworld.users["relative"])
    assert client.get(reverse("situations:network", kwargs={"pk": sworld.situation.pk})).status_code == 200
    consent = fresh(sworld.situation).consents.first()
    document = reverse(
        "situations:consent_document", kwargs={"pk": sworld.situation.pk, "consent_id": consent.pk}
    )
    assert client.get(document).status_code == 403


def test_editing_a_member_does_not_override_their_profiles_secrecy(client, sworld):
    member = sworld.members["no_secrecy"]
    client.force_login(sworld.users["referent"])

    client.post(
        reverse("situations:member_edit", kwargs={"pk": sworld.situation.pk, "member_id": member.pk}),
        {"role": "Agent de logement", "bound_by_secrecy": "on", "clinical_role": "on"},
    )

    member.refresh_from_db()
    assert member.role == "Agent de logement" and not member.bound_by_secrecy
    assert not access_for(sworld.users["no_secrecy"], fresh(sworld.situation)).reads_notes


def _plan(sworld, invited, days=8):
    start = local_start(timezone.localdate() + timedelta(days=days), time(10, 0))
    return Plan(
        situation=fresh(sworld.situation),
        template="network",
        start=start,
        end=start + timedelta(hours=1),
        invited=[sworld.members[n] for n in invited],
        invite_person=False,
        person_not_invited_reason="Préfère qu'on passe le voir.",
        place="CPAS",
    )


def test_a_professional_not_bound_by_secrecy_takes_part_without_the_clinical_minutes(sworld):
    concertation = concertation_schedule(
        plan=_plan(sworld, ["professional", "no_secrecy"]), by=sworld.users["referent"], confirmed=True
    )
    meeting = concertation.meeting

    roles = dict(meeting.invitations.values_list("email", "role"))
    assert roles["logement@midi.test"] == InvitationRole.NOT_BOUND_BY_SECRECY
    assert roles["gp@midi.test"] == InvitationRole.PARTICIPANT
    assert can_see_outcome(sworld.users["professional"], meeting)
    assert not can_see_outcome(sworld.users["no_secrecy"], meeting)


def test_someone_who_left_the_network_is_not_invited(sworld):
    problems = refusals(_plan(sworld, ["professional", "former"]))

    assert any("ne fait plus partie du réseau" in p for p in problems)
    with pytest.raises(ValidationError):
        concertation_schedule(plan=_plan(sworld, ["former"]), by=sworld.users["referent"], confirmed=True)
    assert not Concertation.objects.exists()


def test_status_notes_are_for_those_who_read_the_plan(client, sworld):
    situation_services.status_change(
        situation=fresh(sworld.situation),
        status="handed_over",
        by=sworld.users["referent"],
        note="Hospitalisé hier",
    )

    client.force_login(sworld.users["relative"])
    relative = client.get(
        reverse("situations:situation", kwargs={"pk": sworld.situation.pk})
    ).content.decode()
    client.force_login(sworld.users["professional"])
    professional = client.get(
        reverse("situations:situation", kwargs={"pk": sworld.situation.pk})
    ).content.decode()

    assert "Hospitalisé hier" not in relative
    assert "Hospitalisé hier" in professional


def test_the_admin_logs_in_through_the_applications_login(client, sworld):
    response = client.post(
        reverse("admin:login"), {"username": "admin@midi.test", "password": "x"}, follow=False
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
