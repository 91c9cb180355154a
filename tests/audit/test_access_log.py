"""One access log for the whole application (DESIGN.md, privacy rule 6): confidential outcomes and
actions, attendance exports and vignettes are logged when read; whoever runs the meeting sees who
read; the log is forgotten after two years."""

from datetime import timedelta

import time_machine
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from audit import services as audit
from audit.models import AccessRecord
from meetings.followup.services import outcomes as out
from meetings.vignettes.models import Vignette, VignetteStatus
from meetings.vignettes.services import vignette_read


def _outcome(world, meeting):
    with time_machine.travel(meeting.end + timedelta(minutes=5), tick=False):
        return out.outcome_record(meeting=meeting, by=meeting.organiser, summary="Sortie préparée.")


def test_reading_a_concertations_outcome_is_logged_and_shown_to_who_runs_it(client, world):
    meeting = world.concertation
    _outcome(world, meeting)

    with time_machine.travel(meeting.end + timedelta(hours=1)):
        client.force_login(world.users["member"])
        client.get(reverse("meetings:meeting", args=[meeting.pk]))
        client.force_login(world.users["facilitator"])
        page = client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()

    reads = AccessRecord.objects.filter(subject=f"meeting:{meeting.pk}", item="outcome")
    assert {r.reader for r in reads} == {world.users["member"], world.users["facilitator"]}
    assert reads.filter(reader=world.users["member"]).get().path == f"/meetings/{meeting.pk}/"
    listed = page[page.index('id="meeting-reads"') :]
    assert world.users["member"].get_full_name() in listed
    assert world.users["facilitator"].get_full_name() not in listed.split("</ul>")[0]  # not one's own reads


def test_an_open_meetings_outcome_is_not_confidential_and_not_logged(client, world):
    meeting = world.thematic
    _outcome(world, meeting)

    with time_machine.travel(meeting.end + timedelta(hours=1)):
        client.force_login(world.users["member"])
        page = client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()

    assert not AccessRecord.objects.filter(subject=f"meeting:{meeting.pk}").exists()
    assert 'id="meeting-reads"' not in page


def test_other_participants_do_not_see_who_read(client, world):
    meeting = world.concertation
    _outcome(world, meeting)

    with time_machine.travel(meeting.end + timedelta(hours=1)):
        client.force_login(world.users["member"])
        page = client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()

    assert 'id="reads-heading"' not in page


def test_an_attendance_export_is_a_logged_read(client, world):
    meeting = world.session
    client.force_login(world.users["facilitator"])

    with time_machine.travel(meeting.end + timedelta(hours=1)):
        response = client.get(reverse("attendance:attendance_csv", args=[meeting.pk]))

    assert response.status_code == 200
    record = AccessRecord.objects.get(subject=f"meeting:{meeting.pk}")
    assert (record.reader, record.item) == (world.users["facilitator"], "attendance_export")


def test_a_vignette_read_is_in_the_one_log(world):
    vignette = Vignette.objects.create(
        meeting=world.session,
        author=world.users["facilitator"],
        title="Un refus de soins",
        text="Une femme refuse les soins.",
        status=VignetteStatus.SHARED,
        shared_at=timezone.now(),
    )

    vignette_read(vignette=vignette, reader=world.users["member"])
    vignette_read(vignette=vignette, reader=world.users["facilitator"])  # the author: not a read

    records = AccessRecord.objects.filter(subject=f"vignette:{vignette.pk}")
    assert [(r.reader, r.item, r.item_id) for r in records] == [
        (world.users["member"], "vignette", vignette.pk)
    ]


def test_the_log_is_forgotten_after_its_retention(world):
    old = audit.record_read(reader=world.users["member"], subject="meeting:1", item="outcome")
    AccessRecord.objects.filter(pk=old.pk).update(read_at=timezone.now() - timedelta(days=731))
    recent = audit.record_read(reader=world.users["member"], subject="meeting:1", item="outcome")

    assert audit.purge_expired() == 1
    assert list(AccessRecord.objects.all()) == [recent]
    with (
        override_settings(ACCESS_LOG_RETENTION_DAYS=30),
        time_machine.travel(timezone.now() + timedelta(days=31)),
    ):
        assert audit.purge_expired() == 1
