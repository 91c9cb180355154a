"""Retention and the access log (DESIGN.md, privacy rule 6): closed situations lose their texts
after SITUATION_RETENTION_MONTHS, keeping dates and counts; every read is in one log the
référents see and can print for the person."""

from datetime import timedelta

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessRecord
from meetings.situations.models import Note
from meetings.situations.services import consent as consent_services
from meetings.situations.services import plan as plan_services
from meetings.situations.services import retention
from meetings.situations.services import situations as situation_services
from tests.situations.world import NOTE_TEXT, SHARED_CONTENT, fresh


def _close(sworld):
    situation_services.status_change(
        situation=fresh(sworld.situation), status="closed", by=sworld.users["referent"]
    )
    return fresh(sworld.situation)


def test_a_closed_situation_keeps_its_texts_until_the_retention_ends(sworld):
    _close(sworld)

    with time_machine.travel(timezone.now() + timedelta(days=300), tick=False):
        assert retention.purge_closed_situations() == 0

    assert Note.objects.filter(situation=sworld.situation, text=NOTE_TEXT).exists()


def test_after_the_retention_notes_reports_and_plan_lose_their_texts_and_keep_dates_and_counts(
    sworld, tmp_path
):
    with override_settings(PRIVATE_MEDIA_ROOT=tmp_path):
        consent_services.consent_record(
            situation=fresh(sworld.situation),
            by=sworld.users["referent"],
            given_on=timezone.localdate(),
            shared_content=SHARED_CONTENT,
            covered_members=[sworld.members["professional"]],
            document=SimpleUploadedFile("f.pdf", b"%PDF-1.4 form"),
        )
        plan_services.action_add(
            situation=fresh(sworld.situation),
            by=sworld.users["referent"],
            action=plan_services.NewAction(
                description="Appeler le propriétaire",
                owner=sworld.members["professional"],
                due_date=timezone.localdate(),
            ),
        )
        situation = _close(sworld)
        notes_before = situation.notes.count()
        file_path = tmp_path / situation.consents.first().document.name
        assert file_path.exists()

        with (
            time_machine.travel(timezone.now() + timedelta(days=370), tick=False),
            override_settings(SITUATION_RETENTION_MONTHS=12),
        ):
            purged = retention.purge_closed_situations()
            again = retention.purge_closed_situations()

    situation = fresh(sworld.situation)
    assert (purged, again) == (1, 0)
    assert situation.purged_at is not None
    assert situation.notes.count() == notes_before  # counted, dated
    assert not situation.notes.exclude(text="").exists()
    assert all(n.created_at for n in situation.notes.all())
    assert situation.actions.get().description == "—" and situation.actions.get().due_date
    assert not file_path.exists()
    assert SHARED_CONTENT not in {c.shared_content for c in situation.consents.all()}


def test_a_shorter_retention_setting_purges_sooner(sworld):
    _close(sworld)

    with (
        time_machine.travel(timezone.now() + timedelta(days=40), tick=False),
        override_settings(SITUATION_RETENTION_MONTHS=1),
    ):
        assert retention.purge_closed_situations() == 1


def test_an_active_situation_is_never_purged(sworld):
    with time_machine.travel(timezone.now() + timedelta(days=800), tick=False):
        assert retention.purge_closed_situations() == 0


def test_the_access_log_shows_who_read_what_and_when_to_the_referents(client, sworld):
    client.force_login(sworld.users["professional"])
    for name in ["situation", "notes", "network", "plan"]:
        client.get(reverse(f"situations:{name}", kwargs={"pk": sworld.situation.pk}))
    client.force_login(sworld.users["referent"])

    page = client.get(reverse("situations:log", kwargs={"pk": sworld.situation.pk})).content.decode()

    items = set(
        AccessRecord.objects.filter(
            subject=sworld.situation.audit_subject, reader=sworld.users["professional"]
        ).values_list("item", flat=True)
    )
    assert items == {"situation", "notes", "map", "plan"}
    assert 'id="access-log"' in page
    assert "Gilles Petit" in page and "la carte du réseau" in page and "les notes" in page
    assert "Imprimer pour la personne" in page


def test_the_log_outlives_the_retention(sworld, client):
    client.force_login(sworld.users["professional"])
    client.get(reverse("situations:notes", kwargs={"pk": sworld.situation.pk}))
    _close(sworld)

    with time_machine.travel(timezone.now() + timedelta(days=400), tick=False):
        retention.purge_closed_situations()

    assert AccessRecord.objects.filter(subject=sworld.situation.audit_subject, item="notes").exists()
