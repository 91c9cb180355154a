"""Opening a situation, its pseudonym, its statuses, the référent's handover and the "retour" to
whoever asked for the coordination."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.situations.models import Referent, Situation, SituationStatus, StatusChange
from meetings.situations.services import situations as situation_services
from tests.mail import html_body, text_body
from tests.situations.world import CODE, NOTE_TEXT, SHARED_CONTENT, deliver_pending, fresh

pytestmark = pytest.mark.slow  # the pseudonym is checked by the anonymiser (spaCy's French model)


@pytest.mark.parametrize(
    ("code", "what"),
    [
        ("Marc Bastin", "nom"),
        ("M.B. né le 12/03/1980", "date de naissance"),
        ("85.07.30-033.28", "registre national"),
    ],
)
def test_a_pseudonym_that_looks_like_a_real_identity_is_refused(client, sworld, code, what):
    client.force_login(sworld.users["referent"])
    before = Situation.objects.count()

    response = client.post(
        reverse("situations:situation_create"),
        {"network": sworld.network.pk, "code": code, "origin": "person"},
    )

    assert response.status_code == 200
    assert "ressemble à une identité réelle" in response.content.decode()
    assert what in response.content.decode().lower()
    assert Situation.objects.count() == before


def test_opening_a_situation_makes_its_author_the_referent_and_a_member(client, sworld):
    client.force_login(sworld.users["professional"])

    response = client.post(
        reverse("situations:situation_create"),
        {
            "network": sworld.network.pk,
            "code": "A.K. 2026-11",
            "origin": "noticed",
            "trigger": "Absences répétées",
        },
    )

    situation = Situation.objects.get(code="A.K. 2026-11")
    assert response["Location"] == reverse("situations:consent", kwargs={"pk": situation.pk})
    assert situation.status == SituationStatus.REQUESTED
    assert situation.referents.get().user == sworld.users["professional"]
    member = situation.members.get(user=sworld.users["professional"])
    assert member.bound_by_secrecy and member.profession == "general_practitioner"
    assert StatusChange.objects.filter(
        situation=situation, status="requested", by=sworld.users["professional"]
    ).exists()


def test_a_pseudonym_is_unique_in_its_network(sworld):
    with pytest.raises(ValidationError) as refused:
        situation_services.situation_create(
            network=sworld.network, code=CODE.lower(), origin="person", by=sworld.users["professional"]
        )

    assert refused.value.code == "code_taken"


def test_someone_outside_any_network_cannot_open_a_situation(client, sworld):
    client.force_login(sworld.users["relative"])

    response = client.post(
        reverse("situations:situation_create"),
        {"network": sworld.network.pk, "code": "Z.Z. 2026-11", "origin": "person"},
    )

    assert response.status_code == 200
    assert not Situation.objects.filter(code="Z.Z. 2026-11").exists()


def test_a_forged_situation_id_is_not_found(client, sworld):
    client.force_login(sworld.users["referent"])

    assert (
        client.get(reverse("situations:situation", kwargs={"pk": sworld.situation.pk + 999})).status_code
        == 404
    )


def test_each_status_change_is_dated_and_signed_and_the_requester_hears_back_once(
    client, sworld, django_capture_on_commit_callbacks
):
    client.force_login(sworld.users["referent"])
    deliver_pending()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("situations:situation_status", kwargs={"pk": sworld.situation.pk}),
            {"status": "handed_over", "note": "Relais au service de santé mentale"},
        )

    situation = fresh(sworld.situation)
    assert situation.status == SituationStatus.HANDED_OVER
    change = situation.status_changes.last()
    assert (change.status, change.previous, change.by) == ("handed_over", "active", sworld.users["referent"])
    retours = [m for m in mail.outbox if m.to == ["demande@midi.test"]]
    assert len(retours) == 1
    for body in (retours[0].subject, text_body(retours[0]), html_body(retours[0])):
        assert CODE not in body and NOTE_TEXT not in body and SHARED_CONTENT not in body
        assert "Relais au service" not in body  # the note stays in the application
    assert reverse("situations:situation", kwargs={"pk": situation.pk}) in text_body(retours[0])


def test_an_impossible_status_change_is_refused_and_changes_nothing(client, sworld):
    client.force_login(sworld.users["referent"])

    response = client.post(
        reverse("situations:situation_status", kwargs={"pk": sworld.situation.pk}),
        {"status": "requested"},
        follow=True,
    )

    assert "Choisissez un statut possible" in response.content.decode()
    assert fresh(sworld.situation).status == SituationStatus.ACTIVE


def test_closing_then_reopening_is_refused(sworld):
    situation_services.status_change(situation=sworld.situation, status="closed", by=sworld.users["referent"])

    with pytest.raises(ValidationError):
        situation_services.status_change(
            situation=sworld.situation, status="active", by=sworld.users["referent"]
        )

    assert fresh(sworld.situation).closed_at is not None


def test_handover_passes_the_role_with_a_note_and_keeps_the_history(client, sworld):
    client.force_login(sworld.users["referent"])

    client.post(
        reverse("situations:handover", kwargs={"pk": sworld.situation.pk}),
        {"to": sworld.members["psychologist"].pk, "note": "Je pars en congé ; Paula reprend."},
    )

    terms = list(Referent.objects.filter(situation=sworld.situation).order_by("started_at", "pk"))
    assert [t.user for t in terms] == [sworld.users["referent"], sworld.users["psychologist"]]
    assert terms[0].ended_at is not None and terms[1].ended_at is None
    assert terms[1].handover_note == "Je pars en congé ; Paula reprend."
    page = client.get(reverse("situations:consent", kwargs={"pk": sworld.situation.pk}))
    assert page.status_code == 403  # no longer référent


def test_a_binome_has_two_referents_and_no_more(sworld):
    situation = fresh(sworld.situation)
    situation_services.handover(
        situation=situation,
        by=sworld.users["referent"],
        to=sworld.members["nurse"],
        note="Binôme",
        keep_own_role=True,
    )

    with pytest.raises(ValidationError) as refused:
        situation_services.handover(
            situation=fresh(situation),
            by=sworld.users["referent"],
            to=sworld.members["psychologist"],
            note="Trio",
            keep_own_role=True,
        )

    assert refused.value.code == "handover_full"
    assert situation.referents.filter(ended_at__isnull=True).count() == 2


def test_the_role_can_go_to_a_relative(sworld):
    situation_services.handover(
        situation=fresh(sworld.situation),
        by=sworld.users["referent"],
        to=sworld.members["relative"],
        note="Sa sœur reprend.",
    )

    from meetings.situations.rules import access_for

    access = access_for(sworld.users["relative"], fresh(sworld.situation))
    assert access.manages
    assert not access.reads_notes  # managing is not reading above the gate


def test_the_list_shows_my_situations_only(client, sworld):
    client.force_login(sworld.users["professional"])
    mine = client.get(reverse("situations:situations")).content.decode()
    client.force_login(sworld.users["outsider"])
    theirs = client.get(reverse("situations:situations")).content.decode()

    assert CODE in mine
    assert CODE not in theirs and 'id="no-situation"' in theirs
