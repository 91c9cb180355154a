"""Planning a concertation: refusals (no agreement, outside its scope, excluded, the person left out
without a reason) change nothing; the template's rules are warnings confirmed before sending."""

from datetime import time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings.ical import public_summary
from meetings.kinds import Kind
from meetings.models import Invitation, InvitationRole, Meeting, MeetingStatus
from meetings.recurrence import local_start
from meetings.situations.models import Concertation
from meetings.situations.services import consent as consent_services
from meetings.situations.services.concertations import (
    NeedsConfirmation,
    Plan,
    concertation_schedule,
    warnings,
)
from tests.mail import html_body, text_body
from tests.situations.world import CODE, NOTE_TEXT, SHARED_CONTENT, deliver_pending, fresh, held_concertation


def plan_for(
    sworld, *, template="network", invited=("professional", "psychologist", "nurse"), days=10, **extra
):
    start = local_start(timezone.localdate() + timedelta(days=days), time(14, 0))
    fields = {
        "situation": fresh(sworld.situation),
        "template": template,
        "start": start,
        "end": start + timedelta(hours=1),
        "invited": [sworld.members[name] for name in invited],
        "invite_person": True,
        "place": "Maison médicale du Midi",
        **extra,
    }
    return Plan(**fields)


def test_a_concertation_invites_the_chosen_members_and_the_person_by_default(
    sworld, django_capture_on_commit_callbacks
):
    deliver_pending()

    with django_capture_on_commit_callbacks(execute=True):
        concertation = concertation_schedule(plan=plan_for(sworld), by=sworld.users["referent"])

    meeting = concertation.meeting
    assert meeting.kind == Kind.CONCERTATION
    roles = dict(meeting.invitations.values_list("email", "role"))
    assert roles == {
        "gp@midi.test": InvitationRole.PARTICIPANT,
        "psy@midi.test": InvitationRole.PARTICIPANT,
        "nurse@midi.test": InvitationRole.PARTICIPANT,
        "personne@midi.test": InvitationRole.PERSON_CONCERNED,
    }
    # The pseudonym never reaches a title that calendars and e-mails could show.
    assert CODE not in meeting.title and CODE not in public_summary(meeting)
    assert sorted(address for m in mail.outbox for address in m.to) == sorted(roles)
    for message in mail.outbox:
        for body in (message.subject, text_body(message), html_body(message)):
            assert CODE not in body and NOTE_TEXT not in body and SHARED_CONTENT not in body


def test_without_a_current_agreement_no_concertation_is_scheduled(client, sworld):
    consent_services.consent_withdraw(situation=fresh(sworld.situation), by=sworld.users["referent"])
    meetings_before = Meeting.objects.count()

    with pytest.raises(ValidationError) as refused:
        concertation_schedule(plan=plan_for(sworld), by=sworld.users["referent"], confirmed=True)
    client.force_login(sworld.users["referent"])
    page = client.get(reverse("situations:concertation_create", kwargs={"pk": sworld.situation.pk}))

    assert "aucune concertation ne peut être planifiée" in refused.value.messages[0]
    assert 'id="concertation-refused"' in page.content.decode()
    assert Meeting.objects.count() == meetings_before


@pytest.mark.parametrize(
    ("invited", "message"),
    [
        (("professional", "uncovered"), "n'est pas couvert·e par l'accord"),
        (("professional", "excluded"), "exclu·e par la personne"),
    ],
)
def test_inviting_outside_the_agreements_scope_or_someone_excluded_is_refused(sworld, invited, message):
    meetings_before, invitations_before = Meeting.objects.count(), Invitation.objects.count()

    with pytest.raises(ValidationError) as refused:
        concertation_schedule(
            plan=plan_for(sworld, invited=invited), by=sworld.users["referent"], confirmed=True
        )

    assert any(message in m for m in refused.value.messages)
    assert (Meeting.objects.count(), Invitation.objects.count()) == (meetings_before, invitations_before)


def test_leaving_the_person_out_needs_a_reason(sworld):
    with pytest.raises(ValidationError) as refused:
        concertation_schedule(
            plan=plan_for(sworld, invite_person=False), by=sworld.users["referent"], confirmed=True
        )
    concertation = concertation_schedule(
        plan=plan_for(
            sworld, invite_person=False, person_not_invited_reason="Hospitalisé ; sa sœur le représente."
        ),
        by=sworld.users["referent"],
        confirmed=True,
    )

    assert "notez pourquoi" in refused.value.messages[0]
    assert not concertation.meeting.invitations.filter(role=InvitationRole.PERSON_CONCERNED).exists()
    assert concertation.person_not_invited_reason == "Hospitalisé ; sa sœur le représente."


def test_home_care_needs_three_care_providers_including_the_gp(sworld):
    short = warnings(plan_for(sworld, template="home_care", invited=("psychologist", "nurse")))
    complete = warnings(
        plan_for(sworld, template="home_care", invited=("professional", "psychologist", "nurse"))
    )

    assert any("au moins 3 professionnel·les ; 2 sont invité·es" in w for w in short)
    assert any("le médecin généraliste" in w for w in short)
    assert complete == []


def test_home_care_needs_the_person_or_their_representative(sworld):
    found = warnings(
        plan_for(sworld, template="home_care", invite_person=False, person_not_invited_reason="Absent")
    )

    assert any("présence de la personne" in w for w in found)


def test_psychiatric_care_at_home_accepts_an_informal_carer_instead_of_the_person(sworld):
    with_carer = warnings(
        plan_for(
            sworld,
            template="psychiatric_home",
            invited=("professional", "psychologist", "nurse", "relative"),
            invite_person=False,
            person_not_invited_reason="Il ne souhaite pas venir.",
        )
    )

    assert not any("présence de la personne" in w for w in with_carer)


def test_psychiatric_care_at_home_needs_mental_health_and_first_line(sworld):
    found = warnings(
        plan_for(sworld, template="psychiatric_home", invited=("professional", "nurse", "no_secrecy"))
    )

    assert any("santé mentale" in w for w in found)
    assert not any("première ligne" in w for w in found)


def test_first_line_psychology_needs_two_health_professionals(sworld):
    found = warnings(
        plan_for(sworld, template="first_line_psychology", invited=("professional", "no_secrecy", "relative"))
    )

    assert any("deux professionnel·les de la santé" in w for w in found)


def test_funding_covers_at_most_four_participants(sworld):
    found = warnings(
        plan_for(
            sworld,
            template="home_care",
            invited=("referent", "professional", "psychologist", "nurse", "no_secrecy"),
        )
    )

    assert any("au plus 4 participant·es" in w for w in found)


def _held_concertation(sworld, template, days_ago):
    return held_concertation(sworld, template=template, days_ago=days_ago)


def test_the_yearly_count_is_reached_after_three_psychiatric_concertations(sworld):
    for days_ago in (40, 150, 300):
        _held_concertation(sworld, "psychiatric_home", days_ago)
    _held_concertation(sworld, "psychiatric_home", 400)  # more than a year ago: not counted

    found = warnings(
        plan_for(sworld, template="psychiatric_home", invited=("professional", "psychologist", "nurse"))
    )
    other = warnings(plan_for(sworld, template="network"))

    assert any("3 concertation(s) de ce cadre" in w for w in found)
    assert other == []


def test_a_cancelled_concertation_does_not_count_for_the_year(sworld):
    concertation = _held_concertation(sworld, "first_line_psychology", 30)
    concertation.meeting.status = MeetingStatus.CANCELLED
    concertation.meeting.save(update_fields=["status"])

    found = warnings(
        plan_for(sworld, template="first_line_psychology", invited=("professional", "psychologist", "nurse"))
    )

    assert not any("nombre annuel" in w for w in found)


def test_a_facilitator_with_a_clinical_role_is_warned_about_a_neutral_one(sworld):
    clinical = warnings(plan_for(sworld, facilitator=sworld.members["professional"]))
    neutral_member = sworld.members["psychologist"]
    neutral_member.clinical_role = False
    neutral_member.save(update_fields=["clinical_role"])
    neutral = warnings(plan_for(sworld, facilitator=neutral_member))

    assert any("animation neutre" in w for w in clinical)
    assert not any("animation neutre" in w for w in neutral)


def test_warnings_are_shown_before_sending_and_kept_once_confirmed(client, sworld):
    client.force_login(sworld.users["referent"])
    day = timezone.localdate() + timedelta(days=12)
    data = {
        "template": "home_care",
        "day": day.isoformat(),
        "start_time": "14:00",
        "minutes": "60",
        "invited": [sworld.members["psychologist"].pk],
        "invite_person": "on",
        "place": "Maison médicale du Midi",
    }
    url = reverse("situations:concertation_create", kwargs={"pk": sworld.situation.pk})
    meetings_before = Meeting.objects.count()

    first = client.post(url, data)

    body = first.content.decode()
    assert 'id="concertation-warnings"' in body and "le médecin généraliste" in body
    assert Meeting.objects.count() == meetings_before  # nothing sent yet
    second = client.post(url, {**data, "confirmed": "True"})
    concertation = Concertation.objects.get(situation=sworld.situation)
    assert second["Location"] == reverse("meetings:meeting", kwargs={"pk": concertation.meeting_id})
    assert any("le médecin généraliste" in w for w in concertation.accepted_warnings)


def test_the_needs_confirmation_exception_carries_the_warnings(sworld):
    with pytest.raises(NeedsConfirmation) as pending:
        concertation_schedule(
            plan=plan_for(sworld, template="home_care", invited=("nurse",)), by=sworld.users["referent"]
        )

    assert len(pending.value.warnings) >= 2


def test_the_meeting_page_links_to_the_situation_only_for_who_may_see_it(client, sworld):
    concertation = concertation_schedule(plan=plan_for(sworld), by=sworld.users["referent"], confirmed=True)
    url = reverse("meetings:meeting", kwargs={"pk": concertation.meeting_id})

    client.force_login(sworld.users["professional"])
    member_page = client.get(url).content.decode()
    client.force_login(sworld.users["coordinator"])
    coordinator_page = client.get(url)

    assert 'id="situation-panel"' in member_page and CODE in member_page
    assert coordinator_page.status_code == 404
