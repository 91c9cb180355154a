"""The shared-secrecy gate (DESIGN.md, privacy rule 4): each of its conditions, alone, removes
access to the notes; withdrawal freezes them; a named exclusion keeps someone out; relatives read
only what is marked for them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.situations.rules import access_for, can_read_notes
from meetings.situations.services import consent as consent_services
from tests.situations.world import NOTE_TEXT, RELATIVE_NOTE_TEXT, SHARED_CONTENT, fresh


def notes_page(client, user, situation):
    client.force_login(user)
    return client.get(reverse("situations:notes", kwargs={"pk": situation.pk}))


def test_a_member_through_the_gate_reads_every_note(client, sworld):
    response = notes_page(client, sworld.users["professional"], sworld.situation)

    body = response.content.decode()
    assert NOTE_TEXT in body and RELATIVE_NOTE_TEXT in body


def test_not_bound_by_secrecy_alone_closes_the_gate(sworld):
    member = sworld.members["professional"]
    member.bound_by_secrecy = False
    member.save(update_fields=["bound_by_secrecy"])

    assert not can_read_notes(sworld.users["professional"], fresh(sworld.situation))


def test_leaving_the_network_alone_closes_the_gate(sworld):
    member = sworld.members["professional"]
    member.until = timezone.localdate() - timedelta(days=1)
    member.save(update_fields=["until"])

    access = access_for(sworld.users["professional"], fresh(sworld.situation))
    assert not access.reads_notes and not access.sees


def test_a_member_who_has_not_started_yet_is_not_through_the_gate(sworld):
    member = sworld.members["professional"]
    member.since = timezone.localdate() + timedelta(days=3)
    member.save(update_fields=["since"])

    assert not can_read_notes(sworld.users["professional"], fresh(sworld.situation))


def test_not_covered_by_the_agreement_alone_closes_the_gate(sworld):
    situation = fresh(sworld.situation)
    access = access_for(sworld.users["uncovered"], situation)

    assert access.is_member and access.bound_by_secrecy
    assert not access.covered and not access.reads_notes


def test_a_named_exclusion_alone_closes_the_gate(sworld):
    situation = fresh(sworld.situation)
    covered = list(situation.consents.first().covered_members.all())
    consent_services.consent_record(
        situation=situation,
        by=sworld.users["referent"],
        given_on=timezone.localdate(),
        shared_content=SHARED_CONTENT,
        covered_members=[m for m in covered if m != sworld.members["professional"]],
        exclusions=[consent_services.Exclusion(name="Gilles Petit")],
    )

    situation = fresh(sworld.situation)
    access = access_for(sworld.users["professional"], situation)
    assert access.excluded and not access.sees and not access.reads_notes


def test_an_excluded_professional_sees_nothing_of_the_situation(client, sworld):
    client.force_login(sworld.users["excluded"])

    for name in ["situation", "notes", "network", "plan"]:
        response = client.get(reverse(f"situations:{name}", kwargs={"pk": sworld.situation.pk}))
        assert response.status_code == 404
    listing = client.get(reverse("situations:situations")).content.decode()
    assert sworld.situation.code not in listing


def test_an_agreement_cannot_cover_someone_it_excludes(sworld):
    situation = fresh(sworld.situation)

    with pytest.raises(consent_services.ValidationError):
        consent_services.consent_record(
            situation=situation,
            by=sworld.users["referent"],
            given_on=timezone.localdate(),
            shared_content=SHARED_CONTENT,
            covered_members=[sworld.members["professional"]],
            exclusions=[consent_services.Exclusion(name="Dr Petit")],
        )

    assert situation.consents.count() == 1  # nothing recorded


def test_withdrawal_freezes_notes_for_referents_bound_by_secrecy(client, sworld):
    consent_services.consent_withdraw(situation=fresh(sworld.situation), by=sworld.users["referent"])
    situation = fresh(sworld.situation)

    assert can_read_notes(sworld.users["referent"], situation)
    assert not can_read_notes(sworld.users["professional"], situation)
    referent_page = notes_page(client, sworld.users["referent"], situation).content.decode()
    assert NOTE_TEXT in referent_page
    assert 'id="note-form"' not in referent_page  # nothing new is shared


def test_after_withdrawal_relatives_read_nothing_new_or_old(client, sworld):
    consent_services.consent_withdraw(situation=fresh(sworld.situation), by=sworld.users["referent"])

    body = notes_page(client, sworld.users["relative"], sworld.situation).content.decode()

    assert RELATIVE_NOTE_TEXT not in body and NOTE_TEXT not in body


@pytest.mark.parametrize("role", ["relative", "no_secrecy"])
def test_relatives_and_members_not_bound_by_secrecy_read_only_what_is_marked_for_them(client, sworld, role):
    body = notes_page(client, sworld.users[role], sworld.situation).content.decode()

    assert RELATIVE_NOTE_TEXT in body
    assert NOTE_TEXT not in body
    assert 'id="note-form"' not in body


def test_a_relative_does_not_open_the_map_the_plan_or_the_agreement(client, sworld):
    client.force_login(sworld.users["relative"])

    for name in ["network", "plan", "consent", "log", "fhir"]:
        response = client.get(reverse(f"situations:{name}", kwargs={"pk": sworld.situation.pk}))
        assert response.status_code == 403, name
        assert NOTE_TEXT not in response.content.decode()


def test_the_situation_page_shows_a_relative_only_dates_and_their_actions(client, sworld):
    client.force_login(sworld.users["relative"])

    body = client.get(reverse("situations:situation", kwargs={"pk": sworld.situation.pk})).content.decode()

    assert sworld.situation.code in body
    assert SHARED_CONTENT not in body  # the agreement's details are for professionals
    assert 'id="open-actions"' not in body


def test_the_professional_who_asked_sees_only_the_retour(client, sworld):
    client.force_login(sworld.users["requester"])

    body = client.get(reverse("situations:situation", kwargs={"pk": sworld.situation.pk})).content.decode()

    assert 'id="retour"' in body
    assert "referente@midi.test" in body  # whom to contact
    assert SHARED_CONTENT not in body and NOTE_TEXT not in body
    assert notes_page(client, sworld.users["requester"], sworld.situation).status_code == 403


def test_a_note_cannot_be_written_by_someone_outside_the_gate(client, sworld):
    client.force_login(sworld.users["uncovered"])
    before = sworld.situation.notes.count()

    response = client.post(
        reverse("situations:notes", kwargs={"pk": sworld.situation.pk}),
        {"purpose": "Informer", "text": "Il a rechuté."},
    )

    assert response.status_code == 403
    assert sworld.situation.notes.count() == before


def test_sharing_after_withdrawal_is_refused_with_a_message(client, sworld):
    consent_services.consent_withdraw(situation=fresh(sworld.situation), by=sworld.users["referent"])
    client.force_login(sworld.users["referent"])
    before = sworld.situation.notes.count()

    response = client.post(
        reverse("situations:notes", kwargs={"pk": sworld.situation.pk}),
        {"purpose": "Informer", "text": "Nouvelle information."},
        follow=True,
    )

    assert "a retiré son accord" in response.content.decode()
    assert sworld.situation.notes.count() == before


def test_every_read_of_the_notes_is_in_the_access_log(client, sworld):
    from audit.models import AccessRecord

    notes_page(client, sworld.users["professional"], sworld.situation)
    notes_page(client, sworld.users["relative"], sworld.situation)

    reads = AccessRecord.objects.filter(subject=sworld.situation.audit_subject, item="notes")
    assert {r.reader for r in reads} == {sworld.users["professional"], sworld.users["relative"]}
